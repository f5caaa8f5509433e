package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestUsage: unknown commands and missing arguments are usage errors
// (exit 2); flags may follow the positional argument.
func TestUsage(t *testing.T) {
	home := t.TempDir()
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "usage"},
		{[]string{"--home", home, "frobnicate"}, 2, "unknown command"},
		{[]string{"--home", home, "show"}, 2, "one credential number"},
		{[]string{"--home", home, "list", "extra"}, 2, "no arguments"},
		{[]string{"--home", home, "receive", "openid-credential-offer://?x=1", "--tx-code", "123456"}, 1, "exactly one credential_offer"},
		{[]string{"--home", home, "list"}, 0, "No credentials yet"},
	} {
		var out, errb bytes.Buffer
		code := run(context.Background(), tc.args, strings.NewReader(""), &out, &errb)
		if code != tc.code || !strings.Contains(out.String()+errb.String(), tc.want) {
			t.Errorf("%v: exit %d %q %q, want %d %q", tc.args, code, out.String(), errb.String(), tc.code, tc.want)
		}
	}
}
