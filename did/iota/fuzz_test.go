package iota

import (
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/internal/testshared"
)

// FuzzParse: Parse never panics, and what it accepts prints back as given.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"did:iota:0x" + strings.Repeat("ab", 32), "did:iota:testnet:0x" + strings.Repeat("0", 64),
		"did:iota:smr:0x1", "did:iota:EvaQhPXXsJsGgxSXGhZGMCvTt63KuAFtaGThx6a5nSpw", "did:iota:a:b:c", "did:iota:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Parse(s)
		if err != nil {
			return
		}
		if base, _ := did.Split(s); d.String() != base {
			t.Fatalf("Parse(%q).String() = %q", s, d.String())
		}
		if _, err := did.Method(d.String()); err != nil {
			t.Fatalf("accepted %q, which is not a DID: %v", s, err)
		}
	})
}

// FuzzDocumentFromPacked: the packed bytes come from the chain, written by
// whoever controls the object. Never a panic, and a document is one of the
// DID asked for.
func FuzzDocumentFromPacked(f *testing.F) {
	for _, name := range []string{"issuer-packed.hex", "issuer-packed.revoked-5.hex"} {
		if raw, err := os.ReadFile(testshared.Path(f, "vectors", "iota-synthetic", name)); err == nil {
			if b, err := hex.DecodeString(strings.TrimSpace(string(raw))); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte("DID\x01\x00\x02\x00{}"))
	const id = "did:iota:0x" + "00000000000000000000000000000000000000000000000000000000000000aa"
	f.Fuzz(func(t *testing.T, b []byte) {
		doc, err := DocumentFromPacked(b, id)
		if err != nil {
			if !errors.Is(err, did.ErrInvalidDocument) && !errors.Is(err, ErrDeactivated) {
				t.Fatalf("unclassified error: %v", err)
			}
			return
		}
		if doc.ID != id {
			t.Fatalf("document of %q", doc.ID)
		}
	})
}

// FuzzObjectResponse: node replies are untrusted too.
func FuzzObjectResponse(f *testing.F) {
	f.Add([]byte(`{"data":{"objectId":"0x1","content":{"dataType":"moveObject","type":"0x2::identity::Identity","fields":{"did_doc":{"type":"x","fields":{"controlled_value":[68,73,68]}}}}}}`))
	f.Add([]byte(`{"error":{"code":"deleted"}}`))
	f.Add([]byte(`{"data":{"objectId":"0x1","content":{"dataType":"moveObject","type":"0x2::dynamic_field::Field<0x2::object::ID, 0x2::object::ID>","fields":{"value":"0x2"}}}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		o, err := parseObjectResponse(raw)
		if err != nil || o == nil {
			return
		}
		if _, err := parseIdentity(o.Fields); err == nil && o.Fields == nil {
			t.Fatal("identity without fields")
		}
		_, _ = parseAliasMetadata(o.Fields)
		_, _ = parseRegistryEntry(o)
	})
}
