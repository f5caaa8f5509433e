package jwk_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"errors"
	"testing"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/did/jwk"
)

// The did:jwk specification's examples.
const (
	specP256   = "did:jwk:eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6ImFjYklRaXVNczNpOF91c3pFakoydHBUdFJNNEVVM3l6OTFQSDZDZEgyVjAiLCJ5IjoiX0tjeUxqOXZXTXB0bm1LdG00NkdxRHo4d2Y3NEk1TEtncmwyR3pIM25TRSJ9"
	specX25519 = "did:jwk:eyJrdHkiOiJPS1AiLCJjcnYiOiJYMjU1MTkiLCJ1c2UiOiJlbmMiLCJ4IjoiM3A3YmZYdDl3YlRUVzJIQzdPUTFOei1EUThoYmVHZE5yZngtRkctSUswOCJ9"
)

func TestResolveSpecExamples(t *testing.T) {
	ctx := context.Background()
	doc, err := jwk.New().Resolve(ctx, specP256)
	if err != nil {
		t.Fatal(err)
	}
	vm, err := doc.Dereference(specP256+"#0", did.AssertionMethod)
	if err != nil {
		t.Fatal(err)
	}
	if pub, err := vm.PublicKey(); err != nil {
		t.Fatal(err)
	} else if _, ok := pub.(*ecdsa.PublicKey); !ok {
		t.Errorf("key %T", pub)
	}
	if _, err := doc.Dereference(specP256+"#0", did.KeyAgreement); err != nil {
		t.Errorf("no use: keyAgreement too: %v", err)
	}
	doc, err = jwk.New().Resolve(ctx, specX25519)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := doc.Dereference(specX25519+"#0", did.AssertionMethod); !errors.Is(err, did.ErrNotAuthorized) {
		t.Errorf("encryption key usable for assertions: %v", err)
	}
}

func TestRoundTripEd25519(t *testing.T) {
	pub := ed25519.NewKeyFromSeed(make([]byte, 32)).Public().(ed25519.PublicKey)
	id, vmID, err := jwk.FromJWK(map[string]any{"kty": "OKP", "crv": "Ed25519", "use": "sig",
		"x": "O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik"})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jwk.New().Resolve(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	vm, err := doc.Dereference(vmID, did.Authentication)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := vm.PublicKey(); err != nil || !pub.Equal(got) {
		t.Errorf("key %x, %v; want %x", got, err, pub)
	}
	if _, err := doc.Dereference(vmID, did.KeyAgreement); err == nil {
		t.Error(`"use": "sig" key listed for keyAgreement`)
	}
}

func TestResolveErrors(t *testing.T) {
	for name, in := range map[string]string{
		"other method":  "did:key:z6Mk",
		"not base64url": "did:jwk:***",
		"padded":        "did:jwk:e30=",
		"not an object": "did:jwk:WzFd",
		"empty object":  "did:jwk:e30",
		"private key":   "did:jwk:eyJrdHkiOiJPS1AiLCJjcnYiOiJFZDI1NTE5IiwieCI6Ik8yb252TTYycEMxaW82alFLbThOYzJVeUZYY2Q0a09tT3NCSW9ZdFoyaWsiLCJkIjoiQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQSJ9",
	} {
		if _, err := jwk.New().Resolve(context.Background(), in); !errors.Is(err, did.ErrInvalidDID) {
			t.Errorf("%s: %v, want ErrInvalidDID", name, err)
		}
	}
}

func FuzzResolve(f *testing.F) {
	f.Add(specP256)
	f.Add(specX25519)
	f.Fuzz(func(t *testing.T, in string) {
		doc, err := jwk.New().Resolve(context.Background(), in)
		if err != nil {
			return
		}
		if len(doc.Authentication) > 0 {
			if _, err := doc.VerificationMethod[0].PublicKey(); err != nil {
				t.Fatalf("%q: signing method without a usable key: %v", in, err)
			}
		}
	})
}
