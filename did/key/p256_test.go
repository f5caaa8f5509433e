package key_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"strings"
	"testing"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/did/key"
)

func TestResolveP256(t *testing.T) {
	// The did:key spec's P-256 example.
	const example = "did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169"
	doc, err := key.New().Resolve(context.Background(), example)
	if err != nil {
		t.Fatal(err)
	}
	vm, err := doc.Dereference(example+"#zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169", did.AssertionMethod)
	if err != nil || vm.Type != did.TypeMultikey {
		t.Fatalf("method %+v, %v", vm, err)
	}
	if _, err := vm.PublicKey(); err != nil {
		t.Fatal(err)
	}
	for range 4 { // both parities of y
		priv, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		id, vmID, err := key.FromP256(&priv.PublicKey)
		if err != nil || !strings.HasPrefix(id, "did:key:zDn") {
			t.Fatalf("FromP256 = %s, %v", id, err)
		}
		doc, err := key.New().Resolve(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		vm, err := doc.Dereference(vmID, did.Authentication)
		if err != nil {
			t.Fatal(err)
		}
		pub, err := vm.PublicKey()
		if err != nil || !priv.PublicKey.Equal(pub) {
			t.Errorf("key = %v, %v", pub, err)
		}
		if _, err := doc.Dereference(vmID, did.KeyAgreement); err == nil {
			t.Error("P-256 signing key listed for keyAgreement")
		}
	}
}
