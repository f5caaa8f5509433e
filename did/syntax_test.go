package did_test

import (
	"errors"
	"testing"

	"github.com/loginwithiota/verifier/did"
)

func TestSplit(t *testing.T) {
	tests := []struct{ in, did, frag string }{
		{"did:ex:1", "did:ex:1", ""},
		{"did:ex:1#key-1", "did:ex:1", "key-1"},
		{"did:ex:1/path?q=1#k", "did:ex:1", "k"},
		{"did:ex:1?versionId=2", "did:ex:1", ""},
		{"#k", "", "k"},
		{"did:key:z6Mk#z6Mk", "did:key:z6Mk", "z6Mk"},
	}
	for _, tt := range tests {
		d, f := did.Split(tt.in)
		if d != tt.did || f != tt.frag {
			t.Errorf("Split(%q) = %q, %q; want %q, %q", tt.in, d, f, tt.did, tt.frag)
		}
	}
}

func TestMethod(t *testing.T) {
	valid := map[string]string{
		"did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH":                        "key",
		"did:iota:rms:0xe5d5a7c02874b0284ccc2f28bada68780cad26702e7e8186d521e9615a73bc45": "iota",
		"did:web:example.com%3A8443:user":                                                 "web",
		"did:example:abcd":                                                                "example",
		"did:e2e:a.b-c_d":                                                                 "e2e",
	}
	for in, want := range valid {
		if got, err := did.Method(in); err != nil || got != want {
			t.Errorf("Method(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "did:", "did:key", "did::x", "did:Key:x", "did:key:", "did:key:a:",
		"dud:key:x", "did:key:x y", "did:key:%zz", "did:key:x#frag", "did:ké:x"} {
		if _, err := did.Method(in); !errors.Is(err, did.ErrInvalidDID) {
			t.Errorf("Method(%q) error = %v, want ErrInvalidDID", in, err)
		}
	}
}
