package jwtvc_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/did/jwk"
	"github.com/loginwithiota/verifier/did/key"
	"github.com/loginwithiota/verifier/internal/testshared"
	"github.com/loginwithiota/verifier/jwtvc"
)

// syntheticDir is the iota-synthetic vector folder, relative to the shared
// folder.
var syntheticDir = filepath.Join("vectors", "iota-synthetic")

// registryKeys is the test KeyResolver over did.Registry, the shape of the
// verifier's adapter: resolve the kid's DID, find the method under the
// relationship named by the purpose (or anywhere, for DIDs in legacy:
// IOTA documents made with MethodScope.VerificationMethod list keys only
// under verificationMethod), decode the key — with package did, or with
// jwtvc.PublicKeyFromJWK for the P-256 JWKs package did does not decode.
type registryKeys struct {
	reg    *did.Registry
	legacy map[string]bool
}

func (r registryKeys) ResolveKey(ctx context.Context, kid string, purpose jwtvc.Purpose) (*jwtvc.Key, error) {
	id, _ := did.Split(kid)
	doc, err := r.reg.Resolve(ctx, id)
	if err != nil {
		return nil, err
	}
	rel := string(purpose)
	if r.legacy[id] {
		rel = ""
	}
	vm, err := doc.Dereference(kid, rel)
	if err != nil {
		return nil, err
	}
	pub, err := vm.PublicKey()
	if errors.Is(err, did.ErrUnsupportedKey) && vm.PublicKeyJwk != nil {
		pub, err = jwtvc.PublicKeyFromJWK(vm.PublicKeyJwk)
	}
	if err != nil {
		return nil, err
	}
	return &jwtvc.Key{ID: vm.ID, Type: vm.Type, Controller: vm.Controller, PublicKey: pub}, nil
}

func didJWK(t testing.TB, pub crypto.PublicKey) string {
	t.Helper()
	raw, err := json.Marshal(jose.JSONWebKey{Key: pub})
	if err != nil {
		t.Fatal(err)
	}
	return "did:jwk:" + base64.RawURLEncoding.EncodeToString(raw)
}

// synthetic is testdata/synthetic_jwt.json (made by IOTA's library, see
// testdata/README.md).
type synthetic struct {
	Nonce, Audience, IAT, Exp string
	CredentialNotBefore       string `json:"credentialNotBefore"`
	CredentialExpires         string `json:"credentialExpires"`
	Documents                 map[string]map[string]any
	Tokens                    map[string]string
	RevokedIndex, ValidIndex  int
}

func loadSynthetic(t testing.TB) *synthetic {
	t.Helper()
	return testshared.DecodeFile[*synthetic](t, filepath.Join("testdata", "synthetic_jwt.json"))
}

// keysFor returns a resolver with the synthetic documents pinned, did:key
// and did:jwk (packages did/key, did/jwk) registered, and the given extra documents pinned.
func keysFor(t testing.TB, s *synthetic, extra ...map[string]any) registryKeys {
	t.Helper()
	reg := did.NewRegistry()
	reg.Register("key", key.New())
	reg.Register("jwk", jwk.New())
	legacy := map[string]bool{}
	var docs []map[string]any
	if s != nil {
		for _, d := range s.Documents {
			docs = append(docs, d)
		}
	}
	for _, name := range []string{"issuer-did-document.core.json", "holder-did-document.core.json"} {
		docs = append(docs, testshared.ReadJSON(t, syntheticDir, name))
	}
	docs = append(docs, extra...)
	for _, m := range docs {
		doc, err := did.DocumentFromMap(m)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(doc.ID, "did:jwk:") {
			reg.Pin(doc)
		}
		if len(doc.AssertionMethod)+len(doc.Authentication) == 0 {
			legacy[doc.ID] = true
		}
	}
	return registryKeys{reg: reg, legacy: legacy}
}

// readToken reads the token file name of iota-synthetic.
func readToken(t testing.TB, name string) string {
	t.Helper()
	return strings.TrimSpace(string(testshared.Read(t, syntheticDir, name)))
}

func at(s string) func() time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return func() time.Time { return t }
}

func unix(sec int64) func() time.Time { return func() time.Time { return time.Unix(sec, 0) } }

// signer makes JWTs with go-jose for the cases IOTA's library does not
// produce (ES256, did:key holders, broken claims).
type signer struct {
	alg jose.SignatureAlgorithm
	key crypto.Signer
	did string
	kid string
}

func edSigner(t testing.TB, seed byte) signer {
	priv := ed25519.NewKeyFromSeed(bytesOf(seed))
	d, vm := key.FromEd25519(priv.Public().(ed25519.PublicKey))
	return signer{alg: jose.EdDSA, key: priv, did: d, kid: vm}
}

func esSigner(t testing.TB) signer {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	d := didJWK(t, &priv.PublicKey)
	return signer{alg: jose.ES256, key: priv, did: d, kid: d + "#0"}
}

func bytesOf(b byte) []byte {
	s := make([]byte, ed25519.SeedSize)
	for i := range s {
		s[i] = b
	}
	return s
}

// sign signs claims; headers are extra protected headers (kid defaults to
// the signer's, "" drops it).
func (s signer) sign(t testing.TB, claims map[string]any, headers map[string]any) string {
	t.Helper()
	opts := (&jose.SignerOptions{}).WithType("JWT")
	kid := s.kid
	for k, v := range headers {
		if k == "kid" {
			kid, _ = v.(string)
			continue
		}
		opts = opts.WithHeader(jose.HeaderKey(k), v)
	}
	if kid != "" {
		opts = opts.WithHeader("kid", kid)
	}
	return testshared.SignJWT(t, jose.SigningKey{Algorithm: s.alg, Key: s.key}, opts, claims)
}

// vcClaims is a VC Data Model 1.1 JWT credential of issuer s about sub.
func (s signer) vcClaims(sub string, nbf, exp time.Time) map[string]any {
	c := map[string]any{"iss": s.did, "sub": sub, "nbf": nbf.Unix(), "jti": "urn:uuid:1",
		"vc": map[string]any{"@context": []any{"https://www.w3.org/2018/credentials/v1"},
			"type": []any{"VerifiableCredential", "ExampleCredential"}, "credentialSubject": map[string]any{"name": "Alice"}}}
	if !exp.IsZero() {
		c["exp"] = exp.Unix()
	}
	return c
}

// vpClaims is a presentation of s holding vcs, with the nonce in the
// payload (the OID4VP way).
func (s signer) vpClaims(nonce, aud string, iat time.Time, vcs ...any) map[string]any {
	return map[string]any{"iss": s.did, "aud": aud, "nonce": nonce, "iat": iat.Unix(), "exp": iat.Add(5 * time.Minute).Unix(),
		"vp": map[string]any{"@context": []any{"https://www.w3.org/2018/credentials/v1"}, "type": []any{"VerifiablePresentation"},
			"verifiableCredential": vcs}}
}

// esIssuerDoc is a pinned document whose key is a P-256 JsonWebKey2020.
func esIssuerDoc(t testing.TB, id string, pub *ecdsa.PublicKey) map[string]any {
	raw, _ := json.Marshal(jose.JSONWebKey{Key: pub})
	var jwk map[string]any
	_ = json.Unmarshal(raw, &jwk)
	return map[string]any{"id": id, "verificationMethod": []any{map[string]any{"id": id + "#es", "type": "JsonWebKey2020",
		"controller": id, "publicKeyJwk": jwk}}, "assertionMethod": []any{id + "#es"}}
}

func wantCode(t testing.TB, err error, code string, credential int) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	e, ok := errors.AsType[*jwtvc.Error](err)
	if !ok || e.Code != code {
		t.Fatalf("error = %v (code %q), want code %q", err, jwtvc.Code(err), code)
	}
	if e.Credential != credential {
		t.Errorf("error %v is about credential %d, want %d", err, e.Credential, credential)
	}
}

var ctx = context.Background()
