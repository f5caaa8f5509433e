package handler_test

import (
	"strings"
	"testing"
)

// TestPathsNotLogged: the access log names route patterns, so an offer id
// in a path (a known route or not) and a query never reach it.
func TestPathsNotLogged(t *testing.T) {
	e := newEnv(t, "", nil)
	for _, p := range []string{"/offers/SECRETSECRET/bogus?credential_offer=SECRET2", "/offers/SECRETSECRET3", "/offers/SECRET4/qr.png"} {
		if a := e.get(p); a.status != 404 {
			t.Fatalf("%s: %d", p, a.status)
		}
	}
	if strings.Contains(e.logs.String(), "SECRET") {
		t.Fatalf("logged: %s", e.logs.String())
	}
}
