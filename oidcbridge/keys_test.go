package oidcbridge_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	jose "github.com/go-jose/go-jose/v4"
	"golang.org/x/oauth2"

	"github.com/loginwithiota/verifier/config"
	"github.com/loginwithiota/verifier/oidcbridge/oidcsetup"
	"github.com/loginwithiota/verifier/oidcbridge/oidctest"
)

// keySet reads the provider's JWKS.
func keySet(t *testing.T, srv *oidctest.Server) jose.JSONWebKeySet {
	t.Helper()
	resp, err := http.Get(srv.Issuer + "/keys")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var set jose.JSONWebKeySet
	if err := json.NewDecoder(resp.Body).Decode(&set); err != nil {
		t.Fatal(err)
	}
	for _, k := range set.Keys {
		if !k.IsPublic() || k.Use != "sig" || k.KeyID == "" {
			t.Fatalf("key %+v: want a public signing key with a kid", k)
		}
	}
	return set
}

func kids(set jose.JSONWebKeySet) []string {
	var out []string
	for _, k := range set.Keys {
		out = append(out, k.KeyID+"/"+k.Algorithm)
	}
	return out
}

// idTokenKid logs in and returns the kid and alg the ID token was signed with,
// after go-oidc verified it against the key set.
func idTokenKid(t *testing.T, srv *oidctest.Server) (string, string) {
	t.Helper()
	ctx := context.Background()
	provider, err := oidc.NewProvider(ctx, srv.Issuer)
	if err != nil {
		t.Fatal(err)
	}
	conf := oauth2.Config{ClientID: oidctest.ShopID, ClientSecret: oidctest.ShopSecret, Endpoint: provider.Endpoint(),
		RedirectURL: oidctest.ShopRedirect, Scopes: []string{oidc.ScopeOpenID, oidctest.Scope}}
	pkce := oauth2.GenerateVerifier()
	back, err := oidctest.NewBrowser(oidctest.NewPeople(t).Wallet).Login(ctx, conf.AuthCodeURL(rand.Text(), oauth2.S256ChallengeOption(pkce)))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := conf.Exchange(ctx, back.Query().Get("code"), oauth2.VerifierOption(pkce))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := provider.Verifier(&oidc.Config{ClientID: oidctest.ShopID}).Verify(ctx, raw)
	if err != nil {
		t.Fatalf("ID token: %v", err)
	}
	if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
		t.Errorf("at_hash: %v", err)
	}
	jws, err := jose.ParseSigned(raw, []jose.SignatureAlgorithm{jose.ES256, jose.EdDSA})
	if err != nil {
		t.Fatal(err)
	}
	return jws.Signatures[0].Header.KeyID, jws.Signatures[0].Header.Algorithm
}

// TestEdDSA: generated Ed25519 keys; go-oidc verifies the ID token (and its
// at_hash, SHA-512 for EdDSA as both libraries agree).
func TestEdDSA(t *testing.T) {
	section := strings.Replace(oidctest.Section, "  issuer: /oidc\n", "  issuer: /oidc\n  keys: {algorithm: EdDSA}\n", 1)
	srv := start(t, "memory", oidctest.Instance{OIDC: section})
	set := keySet(t, srv)
	if len(set.Keys) != 1 || set.Keys[0].Algorithm != "EdDSA" {
		t.Fatalf("key set %v", kids(set))
	}
	if kid, alg := idTokenKid(t, srv); kid != set.Keys[0].KeyID || alg != "EdDSA" {
		t.Fatalf("signed by %s/%s", kid, alg)
	}
}

// TestKeyRotation: a generated key signs for keys.rotation; its successor
// is published a tenth of that before its turn, and the old key leaves the
// set a day after it was replaced. Instances on one store share the ring.
func TestKeyRotation(t *testing.T) {
	rdb, prefix := oidctest.RedisClient(t)
	clock := oidctest.NewClock()
	a := oidctest.Start(t, oidctest.Instance{Redis: rdb, Prefix: prefix, Clock: clock})
	b := oidctest.Start(t, oidctest.Instance{Redis: rdb, Prefix: prefix, Clock: clock})
	first := keySet(t, a)
	if len(first.Keys) != 1 || kids(keySet(t, b))[0] != kids(first)[0] {
		t.Fatalf("A %v, B %v: want one shared key", kids(first), kids(keySet(t, b)))
	}
	k1 := first.Keys[0].KeyID
	if kid, _ := idTokenKid(t, b); kid != k1 {
		t.Fatalf("B signed with %s, want %s", kid, k1)
	}

	clock.Advance(648*time.Hour + time.Second) // 720h rotation, less its tenth
	next := keySet(t, a)
	if len(next.Keys) != 2 || next.Keys[0].KeyID != k1 {
		t.Fatalf("before the turn: %v, want %s and its successor", kids(next), k1)
	}
	k2 := next.Keys[1].KeyID
	if kid, _ := idTokenKid(t, a); kid != k1 {
		t.Fatalf("before the turn A signed with %s, want %s", kid, k1)
	}
	clock.Advance(72 * time.Hour)
	if kid, _ := idTokenKid(t, b); kid != k2 {
		t.Fatalf("after the turn B signed with %s, want %s", kid, k2)
	}
	if got := kids(keySet(t, b)); len(got) != 2 {
		t.Fatalf("after the turn B publishes %v, want both keys", got)
	}
	clock.Advance(24 * time.Hour)
	if got := keySet(t, a); len(got.Keys) != 1 || got.Keys[0].KeyID != k2 {
		t.Fatalf("a day later: %v, want %s alone", kids(got), k2)
	}
}

// TestConfiguredKeys: keys from PEM files (PKCS#8 P-256 and Ed25519, SEC 1
// P-256): the first signs, all are published; a bad file stops the start.
func TestConfiguredKeys(t *testing.T) {
	dir := t.TempDir()
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	_, ed, _ := ed25519.GenerateKey(rand.Reader)
	write := func(name, typ string, der []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ecDER, _ := x509.MarshalPKCS8PrivateKey(ec)
	edDER, _ := x509.MarshalPKCS8PrivateKey(ed)
	sec1, _ := x509.MarshalECPrivateKey(ec)
	files := []string{write("ed.pem", "PRIVATE KEY", edDER), write("ec.pem", "PRIVATE KEY", ecDER)}
	section := strings.Replace(oidctest.Section, "  issuer: /oidc\n", "  issuer: /oidc\n  keys: {files: ["+strings.Join(files, ", ")+"]}\n", 1)
	srv := start(t, "memory", oidctest.Instance{OIDC: section})
	set := keySet(t, srv)
	if len(set.Keys) != 2 || set.Keys[0].Algorithm != "EdDSA" || set.Keys[1].Algorithm != "ES256" {
		t.Fatalf("key set %v", kids(set))
	}
	if kid, alg := idTokenKid(t, srv); kid != set.Keys[0].KeyID || alg != "EdDSA" {
		t.Fatalf("signed by %s/%s, want the first file's key", kid, alg)
	}

	for name, file := range map[string]string{
		"SEC 1":    write("sec1.pem", "EC PRIVATE KEY", sec1),
		"missing":  filepath.Join(dir, "missing.pem"),
		"not PEM":  notPEM(t, dir),
		"RSA type": write("rsa.pem", "RSA PRIVATE KEY", []byte{1, 2, 3}),
	} {
		section := strings.Replace(oidctest.Section, "  issuer: /oidc\n", "  issuer: /oidc\n  keys: {files: ["+file+"]}\n", 1)
		cfg, err := config.Parse([]byte(section + oneDefinition))
		if err != nil {
			t.Fatal(err)
		}
		_, err = oidcsetup.New(context.Background(), cfg.OIDC, oidcsetup.Deps{PublicURL: "http://127.0.0.1:1", Sessions: srv.Verifier})
		if (name == "SEC 1") != (err == nil) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

const oneDefinition = `
presentation_definitions:
  - id: verifiable-id
    input_descriptors:
      - id: d
        constraints:
          fields:
            - path: ["$.type"]
`

func notPEM(t *testing.T, dir string) string {
	p := filepath.Join(dir, "junk.pem")
	if err := os.WriteFile(p, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
