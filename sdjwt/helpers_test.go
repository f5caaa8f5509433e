package sdjwt_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/loginwithiota/verifier/sdjwt"
)

var (
	ctx = context.Background()
	// now is the verification time of every test.
	now = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
)

const (
	testIssuer   = "https://issuer.example.org"
	testVCT      = "https://credentials.example.org/identity_credential"
	testNonce    = "n-0S6_WzA2Mj"
	testAudience = "decentralized_identifier:did:jwk:eyJrdHkiOiJPS1AifQ"
)

// staticKeys is an IssuerKeys that knows one key.
type staticKeys struct{ pub crypto.PublicKey }

func (k staticKeys) IssuerKey(_ context.Context, req sdjwt.KeyRequest) (*sdjwt.IssuerKey, error) {
	return &sdjwt.IssuerKey{PublicKey: k.pub, Method: "static", ID: req.Kid, Issuer: req.Issuer}, nil
}

func edKey(seed byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed([]byte(strings.Repeat(string(rune('A'+seed)), 32)))
}

func ecKey(t testing.TB) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// fixture is an issued credential with its keys.
type fixture struct {
	issuer, holder crypto.Signer
	issued         string
}

// baseClaims is a credential with a nested object and an array.
func baseClaims(t testing.TB, holder crypto.PublicKey) map[string]any {
	jwk, err := sdjwt.JWKOf(holder)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]any{
		"iss": testIssuer, "vct": testVCT,
		"iat": float64(now.Add(-time.Hour).Unix()), "exp": float64(now.Add(24 * time.Hour).Unix()),
		"given_name": "Erika", "family_name": "Mustermann", "birthdate": "1964-08-12",
		"address":       map[string]any{"street_address": "Heidestraße 17", "locality": "Köln", "postal_code": "51147"},
		"nationalities": []any{"DE", "FR"},
		"cnf":           map[string]any{"jwk": jwk},
		"status":        map[string]any{"status_list": map[string]any{"idx": float64(7), "uri": "https://issuer.example.org/status/1"}},
	}
}

// basePaths makes every personal claim disclosable: flat names, the
// address members one by one, the nationalities one by one and the
// array as a whole (a recursive disclosure).
var basePaths = []sdjwt.Path{
	{"given_name"}, {"family_name"}, {"birthdate"},
	{"address", "street_address"}, {"address", "locality"}, {"address", "postal_code"},
	{"nationalities", nil}, {"nationalities"},
}

func newFixture(t testing.TB) fixture {
	t.Helper()
	f := fixture{issuer: edKey(0), holder: edKey(1)}
	var err error
	f.issued, err = sdjwt.Issue(baseClaims(t, f.holder.Public()), basePaths, sdjwt.Signer{Key: f.issuer, KeyID: "key-1"}, sdjwt.IssueOptions{Decoys: 3})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f fixture) holderOf(nonce, aud string, iat time.Time) *sdjwt.Holder {
	return &sdjwt.Holder{Signer: sdjwt.Signer{Key: f.holder}, Nonce: nonce, Audience: aud, IssuedAt: iat}
}

// present presents the given paths with a good KB-JWT.
func (f fixture) present(t testing.TB, paths ...sdjwt.Path) string {
	t.Helper()
	p, err := sdjwt.Present(f.issued, paths, f.holderOf(testNonce, testAudience, now))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (f fixture) opts() sdjwt.Options {
	return sdjwt.Options{Keys: staticKeys{f.issuer.Public()}, RequireKeyBinding: true, Nonce: testNonce, Audience: testAudience,
		Now: func() time.Time { return now }}
}

// wantCode fails unless err is an *sdjwt.Error with code.
func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %s", code)
	}
	if got := sdjwt.Code(err); got != code {
		t.Fatalf("code %q (%v), want %q", got, err, code)
	}
	var e *sdjwt.Error
	if errors.As(err, &e) && (strings.Contains(e.Reason, "go-jose") || strings.Contains(e.Reason, "Erika")) {
		t.Fatalf("reason leaks: %q", e.Reason)
	}
}

// disclosure encodes a disclosure array.
func disclosure(t testing.TB, arr ...any) string {
	raw, err := json.Marshal(arr)
	if err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(raw)
}

func digestOf(d string) string {
	h := sha256.Sum256([]byte(d))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

// signRaw signs any payload as an issuer-signed JWT with header typ, for
// payloads Issue would refuse to make.
func signRaw(t testing.TB, key crypto.Signer, typ string, payload any) string {
	t.Helper()
	alg := jose.EdDSA
	if _, ok := key.(*ecdsa.PrivateKey); ok {
		alg = jose.ES256
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, (&jose.SignerOptions{}).WithType(jose.ContentType(typ)))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	obj, err := s.Sign(raw)
	if err != nil {
		t.Fatal(err)
	}
	out, err := obj.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// kbFor signs a KB-JWT over presented with claims edited by edit.
func kbFor(t testing.TB, key crypto.Signer, typ, presented string, edit func(map[string]any)) string {
	t.Helper()
	h := sha256.Sum256([]byte(presented))
	claims := map[string]any{"iat": now.Unix(), "aud": testAudience, "nonce": testNonce,
		"sd_hash": base64.RawURLEncoding.EncodeToString(h[:])}
	if edit != nil {
		edit(claims)
	}
	return signRaw(t, key, typ, claims)
}

// signRawX5C signs payload with the leaf key of p and its x5c header.
func signRawX5C(t testing.TB, p pki, typ string, payload any) string {
	t.Helper()
	so := (&jose.SignerOptions{}).WithType(jose.ContentType(typ)).WithHeader("x5c", []string{base64.StdEncoding.EncodeToString(p.leaf.Raw)})
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: p.leafKey}, so)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(payload)
	obj, err := s.Sign(raw)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := obj.CompactSerialize()
	return out
}
