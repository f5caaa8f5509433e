package memory_test

import (
	"testing"

	"github.com/loginwithiota/verifier/webhook"
	"github.com/loginwithiota/verifier/webhook/memory"
	"github.com/loginwithiota/verifier/webhook/webhooktest"
)

func TestConformance(t *testing.T) {
	webhooktest.Run(t, func(t *testing.T) webhook.Log { return memory.New(0, nil) })
}
