package issuerkey

import (
	"context"
	"crypto"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loginwithiota/verifier/did"
	didjwk "github.com/loginwithiota/verifier/did/jwk"
	didkey "github.com/loginwithiota/verifier/did/key"
)

func TestLoadOrCreate(t *testing.T) {
	for _, typ := range []string{TypeEd25519, TypeP256} {
		path := filepath.Join(t.TempDir(), "sub", "key.json")
		k1, created, err := LoadOrCreate(path, typ)
		if err != nil || !created {
			t.Fatal(err, created)
		}
		fi, err := os.Stat(path)
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("mode %v, %v", fi.Mode(), err)
		}
		k2, created, err := LoadOrCreate(path, typ)
		if err != nil || created {
			t.Fatal(err, created)
		}
		if !k1.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(k2.Public()) {
			t.Fatal("the key read back differs")
		}
		other := TypeP256
		if typ == TypeP256 {
			other = TypeEd25519
		}
		if _, _, err := LoadOrCreate(path, other); err == nil {
			t.Fatal("a key of the other type was accepted")
		}
		if err := os.Chmod(path, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, _, err := LoadOrCreate(path, typ); err == nil || !strings.Contains(err.Error(), "chmod 600") {
			t.Fatalf("a world-readable key: %v", err)
		}
	}
}

// TestIdentities: did:key and did:jwk resolve (with the verifier's own
// resolvers) to a document whose assertion key is the issuer's.
func TestIdentities(t *testing.T) {
	r := did.NewRegistry()
	r.Register("key", didkey.New())
	r.Register("jwk", didjwk.New())
	for _, typ := range []string{TypeEd25519, TypeP256} {
		k, _ := generate(typ)
		for _, m := range []string{MethodKey, MethodJWK} {
			id, err := NewIdentity(k, m, "")
			if err != nil {
				t.Fatal(err)
			}
			doc, err := r.Resolve(context.Background(), id.Signer.DID)
			if err != nil {
				t.Fatal(err)
			}
			vm, err := doc.Dereference(id.Signer.KeyID, "assertionMethod")
			if err != nil {
				t.Fatal(err)
			}
			pub, err := vm.PublicKey()
			if err != nil || !k.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(pub) {
				t.Fatalf("%s %s: %v", typ, m, err)
			}
		}
	}
	k, _ := generate(TypeEd25519)
	web, err := NewIdentity(k, MethodWeb, "https://issuer.example:8443/tenant/a")
	if err != nil {
		t.Fatal(err)
	}
	if web.Signer.DID != "did:web:issuer.example%3A8443:tenant:a" || web.DocumentPath != "/tenant/a/did.json" {
		t.Fatal(web.Signer.DID, web.DocumentPath)
	}
	doc, err := did.DocumentFromMap(web.Document)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := doc.Dereference(web.Signer.KeyID, "assertionMethod"); err != nil {
		t.Fatal(err)
	}
	if _, err := NewIdentity(k, MethodWeb, "http://127.0.0.1:8081"); err == nil {
		t.Fatal("did:web over http")
	}
}
