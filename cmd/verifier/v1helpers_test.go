package main

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	didjwk "github.com/loginwithiota/verifier/did/jwk"
	"github.com/loginwithiota/verifier/sdjwt"
	"github.com/loginwithiota/verifier/testwallet"
)

// The OID4VP 1.0 tests' parts: a P-256 holder with its did:jwk, a
// website starting 1.0 logins, JWT credentials and presentations signed
// with go-jose.

type v1Holder struct {
	key      *ecdsa.PrivateKey
	did, kid string
}

func newV1Holder(t *testing.T) *v1Holder {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	jwk, _ := sdjwt.JWKOf(k.Public())
	did, kid, _ := didjwk.FromJWK(jwk)
	return &v1Holder{key: k, did: did, kid: kid}
}

// startV1 starts a login of protocol on the site.
func (s *site) startV1(protocol, flow string) created {
	s.t.Helper()
	code, _, body := s.do("POST", "/api/v1/sessions", "application/json",
		fmt.Sprintf(`{"definition":"verifiable-id","flow":%q,"protocol":%q}`, flow, protocol), nil)
	if code != http.StatusCreated {
		s.t.Fatalf("create: %d %s", code, body)
	}
	var c created
	if err := json.Unmarshal(body, &c); err != nil {
		s.t.Fatal(err)
	}
	return c
}

// signJWT signs claims with key (ES256), kid and typ in the header.
func signJWT(t *testing.T, key crypto.Signer, kid, typ string, claims map[string]any) string {
	t.Helper()
	opts := (&jose.SignerOptions{}).WithType(jose.ContentType(typ)).WithHeader("kid", kid)
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key}, opts)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(claims)
	jws, err := s.Sign(b)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := jws.CompactSerialize()
	return out
}

// vcJWT is a VerifiableId VC-JWT (VC Data Model 1.1) by issuer about
// holder, of types.
func vcJWT(t *testing.T, issuer *testwallet.SDIssuer, holder string, types ...string) string {
	now := time.Now().Add(-time.Minute).Unix()
	return signJWT(t, issuer.Key, issuer.KID, "JWT", map[string]any{"iss": issuer.DID, "sub": holder, "nbf": now, "iat": now,
		"vc": map[string]any{"@context": []any{"https://www.w3.org/2018/credentials/v1"}, "type": append([]any{"VerifiableCredential"}, toAnys(types)...),
			"credentialSubject": map[string]any{"givenName": "Jane", "familyName": "Doe"}}})
}

// vpJWT is a presentation JWT of credentials by h for nonce and aud.
func vpJWT(t *testing.T, h *v1Holder, nonce, aud string, credentials ...string) string {
	return signJWT(t, h.key, h.kid, "JWT", map[string]any{"iss": h.did, "aud": aud, "nonce": nonce, "iat": time.Now().Unix(),
		"vp": map[string]any{"@context": []any{"https://www.w3.org/2018/credentials/v1"}, "type": []any{"VerifiablePresentation"},
			"verifiableCredential": toAnys(credentials)}})
}

func toAnys(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// kbJWT is a KB-JWT of claims by holder: for KB-JWTs the library would
// not make (a wrong sd_hash).
func kbJWT(t *testing.T, h *v1Holder, claims map[string]any) string {
	return signJWT(t, h.key, "", "kb+jwt", claims)
}

// withoutKB is a presentation's SD-JWT part (what sd_hash covers).
func withoutKB(p string) string { return p[:strings.LastIndex(p, "~")+1] }

// fetchV1 fetches a login's request object by POST with form.
func fetchV1(t *testing.T, c created, form map[string]string) *testwallet.V1Request {
	t.Helper()
	f := testwallet.EncryptMetadata("")
	if form != nil {
		f = map[string][]string{}
		for k, v := range form {
			f[k] = []string{v}
		}
	}
	r, err := testwallet.FetchV1(context.Background(), http.DefaultClient, c.AuthorizationRequest, http.MethodPost, f)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func sha256Sum(b []byte) []byte {
	h := sha256.Sum256(b)
	return h[:]
}

func slicesSort(s []string) { slices.Sort(s) }
