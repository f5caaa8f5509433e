package oidcbridge_test

import (
	"encoding/json"
	"log/slog"
	"os"
	"testing"

	"github.com/loginwithiota/verifier/oidcbridge/oidctest"
)

// stores are the backends every client-library test runs on.
var stores = []string{"memory", "redis"}

// start runs one instance on store.
func start(t testing.TB, store string, o oidctest.Instance) *oidctest.Server {
	t.Helper()
	if store == "redis" {
		o.Redis, o.Prefix = oidctest.RedisClient(t)
	}
	return oidctest.Start(t, o)
}

// claimsOf is v (claims with a MarshalJSON) as a JSON object.
func claimsOf(t *testing.T, v any) map[string]any {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestMain quiets zitadel/oidc, which logs through slog's default logger
// (TestLogsHoldNoPersonalData reads it on purpose).
func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.DiscardHandler))
	os.Exit(m.Run())
}
