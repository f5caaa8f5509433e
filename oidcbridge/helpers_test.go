package oidcbridge_test

import (
	"testing"

	"github.com/loginwithiota/verifier/oidcbridge/oidctest"
)

// stores are the backends every client-library test runs on.
var stores = []string{"memory", "redis"}

// start runs one instance on store.
func start(t *testing.T, store string, o oidctest.Instance) *oidctest.Server {
	t.Helper()
	if store == "redis" {
		o.Redis, o.Prefix = oidctest.RedisClient(t)
	}
	return oidctest.Start(t, o)
}
