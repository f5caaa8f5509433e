package handler_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"

	didkey "github.com/loginwithiota/verifier/did/key"
	"github.com/loginwithiota/verifier/issuer"
	"github.com/loginwithiota/verifier/issuer/handler"
	"github.com/loginwithiota/verifier/issuer/issuerkey"
)

// TestES256Issuer: with a P-256 key the issuer signs jwt_vc_json with
// ES256, says so in its metadata, and refuses ldp_vc configurations (the
// Ed25519 suites) at the start.
func TestES256Issuer(t *testing.T) {
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	d, vm, err := didkey.FromP256(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, "", func(c *issuer.Config) {
		c.Signer = issuer.Signer{DID: d, KeyID: vm, Key: k}
		c.Configurations = configurations()[2:] // the jwt_vc_json one
		c.DemoClaims = map[string]any{"givenName": "Jane"}
	})
	md := e.get("/.well-known/openid-credential-issuer")
	cfg := md.body["credential_configurations_supported"].(map[string]any)["VerifiableId_jwt"].(map[string]any)
	if algs := cfg["credential_signing_alg_values_supported"].([]any); len(algs) != 1 || algs[0] != "ES256" {
		t.Fatalf("algs %v", algs)
	}
	code, tx, _ := e.offer(map[string]any{"credential_configuration_ids": []string{"VerifiableId_jwt"}, "claims": map[string]any{"givenName": "Jane"}})
	tok := e.accessToken(code, tx)
	h := newHolder(t, false)
	a := e.credential(tok, map[string]any{"credential_configuration_id": "VerifiableId_jwt",
		"proofs": map[string]any{"jwt": []string{e.proof(h, e.nonce(), proofSpec{})}}})
	if a.status != http.StatusOK {
		t.Fatalf("%d %s", a.status, a.raw)
	}
	jwt := a.body["credentials"].([]any)[0].(map[string]any)["credential"].(string)
	jws, err := jose.ParseSigned(jwt, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := jws.Verify(&k.PublicKey); err != nil {
		t.Fatal(err)
	}

	_, err = issuer.New(issuer.Config{Identifier: "https://i.example", Signer: issuer.Signer{DID: d, KeyID: vm, Key: k},
		Configurations: configurations()[:1], Keys: resolver()}, nil)
	if err == nil {
		t.Fatal("no store accepted")
	}
}

func TestLDPNeedsEd25519(t *testing.T) {
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	d, vm, _ := didkey.FromP256(&k.PublicKey)
	_, err := issuer.New(issuer.Config{Identifier: "https://i.example", Signer: issuer.Signer{DID: d, KeyID: vm, Key: k},
		Configurations: configurations()[:1], Keys: resolver()}, memStore())
	if err == nil || !strings.Contains(err.Error(), "Ed25519") {
		t.Fatalf("%v", err)
	}
}

// TestDIDWebDocument: a did:web issuer serves its document where did:web
// resolution looks for it.
func TestDIDWebDocument(t *testing.T) {
	e := newEnv(t, "", nil)
	id, err := issuerkey.NewIdentity(e.signer.Key, issuerkey.MethodWeb, "https://issuer.example")
	if err != nil {
		t.Fatal(err)
	}
	h := handler.New(e.iss, handler.Options{DIDDocument: id.Document, DIDPath: id.DocumentPath})
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/.well-known/did.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&doc)
	if resp.StatusCode != 200 || doc["id"] != "did:web:issuer.example" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/did+json") {
		t.Fatalf("%d %v %s", resp.StatusCode, doc, resp.Header.Get("Content-Type"))
	}
}
