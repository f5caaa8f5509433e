package iota_test

import (
	"encoding/binary"
	"errors"
	"reflect"
	"testing"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/did/iota"
	"github.com/loginwithiota/verifier/internal/testshared"
)

// The packed bytes of iota-synthetic (made by identity-wasm's pack())
// unpack to the documents identity-wasm printed for the same DID.
func TestDocumentFromPackedShared(t *testing.T) {
	for _, tc := range []struct{ packed, core string }{
		{"issuer-packed.hex", "issuer-did-document.core.json"},
		{"issuer-packed.revoked-5.hex", "issuer-did-document.revoked-5.core.json"},
	} {
		doc, err := iota.DocumentFromPacked(readHex(t, tc.packed), sharedIssuer)
		if err != nil {
			t.Fatalf("%s: %v", tc.packed, err)
		}
		if want := testshared.ReadJSON(t, syntheticDir, tc.core); !reflect.DeepEqual(doc.Raw, want) {
			t.Errorf("%s:\n got %v\nwant %v", tc.packed, doc.Raw, want)
		}
		vm, err := doc.Dereference("#key-1", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := vm.PublicKey(); err != nil {
			t.Errorf("key: %v", err)
		}
	}
}

func TestUnpackPacked(t *testing.T) {
	p, err := iota.Unpack(readHex(t, "issuer-packed.hex"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Doc["id"] != "did:0:0" || p.Meta["created"] != "2026-11-22T23:29:15Z" {
		t.Errorf("Unpack = %v", p)
	}
}

func TestUnpackErrors(t *testing.T) {
	good := readHex(t, "issuer-packed.hex")
	with := func(f func(b []byte) []byte) []byte {
		return f(append([]byte(nil), good...))
	}
	setLen := func(n int) []byte {
		return with(func(b []byte) []byte { binary.LittleEndian.PutUint16(b[5:7], uint16(n)); return b })
	}
	payload := len(good) - 7
	for _, tc := range []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, iota.ErrBadMagic},
		{"bad magic", with(func(b []byte) []byte { b[0] = 'd'; return b }), iota.ErrBadMagic},
		{"not packed at all", []byte(`{"doc":{}}`), iota.ErrBadMagic},
		{"truncated header", good[:5], iota.ErrBadLength},
		{"version 0", with(func(b []byte) []byte { b[3] = 0; return b }), iota.ErrUnsupportedVersion},
		{"version 2", with(func(b []byte) []byte { b[3] = 2; return b }), iota.ErrUnsupportedVersion},
		{"encoding 1", with(func(b []byte) []byte { b[4] = 1; return b }), iota.ErrUnsupportedEncoding},
		{"length one too long", setLen(payload + 1), iota.ErrBadLength},
		{"length one too short", setLen(payload - 1), iota.ErrBadLength},
		{"length zero", setLen(0), iota.ErrBadLength},
		{"length max", setLen(0xffff), iota.ErrBadLength},
		{"trailing byte", append(with(func(b []byte) []byte { return b }), ' '), iota.ErrBadLength},
		{"payload truncated", good[:len(good)-1], iota.ErrBadLength},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := iota.Unpack(tc.in)
			if !errors.Is(err, tc.want) || !errors.Is(err, did.ErrInvalidDocument) {
				t.Fatalf("Unpack = %v, want %v and did.ErrInvalidDocument", err, tc.want)
			}
			for _, other := range []error{iota.ErrBadMagic, iota.ErrUnsupportedVersion, iota.ErrUnsupportedEncoding, iota.ErrBadLength} {
				if other != tc.want && errors.Is(err, other) {
					t.Errorf("error also matches %v", other)
				}
			}
		})
	}
}

func pack(json string) []byte {
	b := append([]byte("DID\x01\x00\x00\x00"), json...)
	binary.LittleEndian.PutUint16(b[5:7], uint16(len(json)))
	return b
}

func TestDocumentFromPackedPayload(t *testing.T) {
	const id = "did:iota:0x" + hex64
	for _, tc := range []struct {
		name, json string
		want       error
	}{
		{"not JSON", `{"doc":`, did.ErrInvalidDocument},
		{"two values", `{"doc":{"id":"did:0:0"}} {}`, did.ErrInvalidDocument},
		{"no doc", `{"meta":{}}`, did.ErrInvalidDocument},
		{"another DID's document", `{"doc":{"id":"did:iota:0x` + hex64[:63] + `f"},"meta":{}}`, did.ErrInvalidDocument},
		{"deactivated in metadata", `{"doc":{"id":"did:0:0"},"meta":{"deactivated":true}}`, iota.ErrDeactivated},
		{"bad method", `{"doc":{"id":"did:0:0","verificationMethod":[{"id":"#k"}]},"meta":{}}`, did.ErrInvalidDocument},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := iota.DocumentFromPacked(pack(tc.json), id); !errors.Is(err, tc.want) {
				t.Fatalf("DocumentFromPacked = %v, want %v", err, tc.want)
			}
		})
	}
}

// did:0:0 is replaced where a DID names the document, and nowhere else.
func TestDocumentFromPackedPlaceholder(t *testing.T) {
	const id = "did:iota:testnet:0x" + hex64
	doc, err := iota.DocumentFromPacked(pack(`{"doc":{"id":"did:0:0","controller":["did:0:0","did:key:z6Mk"],`+
		`"verificationMethod":[{"id":"did:0:0#k","type":"Multikey","controller":"did:0:0","publicKeyMultibase":"z6Mk"}],`+
		`"authentication":["did:0:0#k",{"id":"did:0:0#e","type":"Multikey","controller":"did:0:0","publicKeyMultibase":"z"}],`+
		`"service":[{"id":"did:0:0#s","type":"LinkedDomains","serviceEndpoint":"did:0:0"}],`+
		`"alsoKnownAs":["did:0:0"],"custom":"did:0:0"},"meta":{}}`), id)
	if err != nil {
		t.Fatal(err)
	}
	if doc.ID != id || doc.Controller[0] != id || doc.Controller[1] != "did:key:z6Mk" ||
		doc.VerificationMethod[0].ID != id+"#k" || doc.VerificationMethod[0].Controller != id ||
		doc.Authentication[0].Ref != id+"#k" || doc.Authentication[1].Method.ID != id+"#e" ||
		doc.Service[0]["id"] != id+"#s" {
		t.Errorf("placeholders left: %+v", doc)
	}
	if doc.Service[0]["serviceEndpoint"] != "did:0:0" || doc.Raw["custom"] != "did:0:0" {
		t.Errorf("properties changed: %v", doc.Raw)
	}
}
