package verifier_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/internal/testshared"
	"github.com/loginwithiota/verifier/session/memory"
	"github.com/loginwithiota/verifier/verifier"
)

// The key policy for JWT credentials: a key is authorised for the purpose
// its relationship says; in a did:iota document a key that no relationship
// names serves every purpose (identity.rs's default), one scoped to other
// relationships does not; elsewhere only a pinned any_relationship
// document relaxes it.
func TestKeyRelationshipPolicy(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	jwk := map[string]any{"kty": "OKP", "crv": "Ed25519", "x": base64.RawURLEncoding.EncodeToString(pub)}
	doc := func(id string, relationships ...string) *did.Document {
		m := map[string]any{"id": id, "verificationMethod": []any{map[string]any{
			"id": id + "#key-1", "type": "JsonWebKey2020", "controller": id, "publicKeyJwk": jwk}}}
		for _, r := range relationships {
			m[r] = []any{id + "#key-1"}
		}
		d, err := did.DocumentFromMap(m)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	const iotaDID = "did:iota:testnet:0x1111111111111111111111111111111111111111111111111111111111111111"
	cases := []struct {
		name   string
		doc    *did.Document
		any    bool
		reason string // "" = valid
	}{
		{"did:iota, verificationMethod only", doc(iotaDID), false, ""},
		{"did:iota, under assertionMethod", doc(iotaDID, "assertionMethod"), false, ""},
		{"did:iota, scoped to authentication", doc(iotaDID, "authentication"), false, "invalid_vc_proof"},
		{"did:example, verificationMethod only", doc("did:example:issuer"), false, "invalid_vc_proof"},
		{"did:example, pinned any_relationship", doc("did:example:issuer"), true, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			reg := did.NewRegistry()
			reg.PinWith(tc.doc, did.PinOptions{AnyRelationship: tc.any})
			v, err := verifier.New(verifier.Config{PublicURL: "https://verifier.example", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))},
				memory.New(memory.Options{}), reg)
			if err != nil {
				t.Fatal(err)
			}
			token := signJWT(t, priv, tc.doc.ID+"#key-1", map[string]any{"iss": tc.doc.ID, "sub": "did:example:holder",
				"nbf": time.Now().Add(-time.Hour).Unix(), "vc": map[string]any{"@context": []any{"https://www.w3.org/2018/credentials/v1"},
					"type": []any{"VerifiableCredential"}, "credentialSubject": map[string]any{"name": "A"}}})
			r, err := v.Check(context.Background(), verifier.CheckRequest{Input: []byte(token)})
			if err != nil {
				t.Fatal(err)
			}
			if r.Reason != tc.reason || r.Valid != (tc.reason == "") || r.Kind != "credential" {
				out, _ := json.Marshal(r.Checks)
				t.Errorf("valid %v reason %q, want %q\n%s", r.Valid, r.Reason, tc.reason, out)
			}
		})
	}
}

func signJWT(t *testing.T, priv ed25519.PrivateKey, kid string, claims map[string]any) string {
	t.Helper()
	return testshared.SignJWT(t, jose.SigningKey{Algorithm: jose.EdDSA, Key: priv}, (&jose.SignerOptions{}).WithHeader("kid", kid), claims)
}
