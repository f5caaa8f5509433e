package memory_test

import (
	"testing"

	"github.com/loginwithiota/verifier/oidcbridge"
	"github.com/loginwithiota/verifier/oidcbridge/store/memory"
	"github.com/loginwithiota/verifier/oidcbridge/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, storetest.Backend{
		New: func(t *testing.T, clock *storetest.Clock) oidcbridge.Store {
			return memory.New(memory.Options{Now: clock.Now})
		},
	})
}
