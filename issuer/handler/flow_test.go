package handler_test

import (
	"context"
	"crypto/ed25519"
	"net/http"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"

	"github.com/loginwithiota/verifier/ldproof"
)

// issuerKeys answers ldproof's key lookup with the issuer's one key.
type issuerKeys struct {
	vm  string
	pub ed25519.PublicKey
	did string
}

func (k issuerKeys) ResolveKey(_ context.Context, vmID string, _ ldproof.Purpose) (*ldproof.Key, error) {
	if vmID != k.vm {
		return nil, &ldproof.Error{Code: ldproof.CodeKeyResolutionFailed, Reason: "unknown key " + vmID}
	}
	return &ldproof.Key{ID: vmID, Type: "Ed25519VerificationKey2020", Controller: k.did, PublicKey: k.pub}, nil
}

// TestIssue takes every configuration through the flow, with each kind of
// holder key, and checks what comes back: bound to the proof's key,
// carrying the offered claims, signed by the issuer.
func TestIssue(t *testing.T) {
	for _, path := range []string{"", "/issuer"} {
		e := newEnv(t, path, nil)
		for _, cfg := range []string{"VerifiableId", "VerifiableId_rdfc", "VerifiableId_jwt"} {
			for _, tc := range []struct {
				name   string
				p256   bool
				useJWK bool
			}{{"ed25519-kid", false, false}, {"p256-kid", true, false}, {"ed25519-jwk", false, true}, {"p256-jwk", true, true}} {
				t.Run(path+"/"+cfg+"/"+tc.name, func(t *testing.T) {
					e.t = t
					code, tx, _ := e.offer(map[string]any{"credential_configuration_ids": []string{cfg},
						"claims": map[string]any{"givenName": "Jane", "familyName": "Doe"}})
					tok := e.accessToken(code, tx)
					h := newHolder(t, tc.p256)
					a := e.credential(tok, map[string]any{"credential_configuration_id": cfg,
						"proofs": map[string]any{"jwt": []string{e.proof(h, e.nonce(), proofSpec{useJWK: tc.useJWK})}}})
					if a.status != http.StatusOK || a.header.Get("Cache-Control") != "no-store" {
						t.Fatalf("credential: %d %s", a.status, a.raw)
					}
					cred := a.body["credentials"].([]any)[0].(map[string]any)["credential"]
					subject := h.did
					if tc.useJWK {
						subject = "did:jwk:"
					}
					e.checkCredential(t, cred, subject, tc.useJWK)
					// The token issued its one configuration: it is used up.
					again := e.credential(tok, map[string]any{"credential_configuration_id": cfg,
						"proofs": map[string]any{"jwt": []string{e.proof(h, e.nonce(), proofSpec{useJWK: tc.useJWK})}}})
					wantError(t, again, http.StatusUnauthorized, "invalid_token")
				})
			}
		}
	}
}

func (e *env) checkCredential(t *testing.T, cred any, subject string, jwkBound bool) {
	t.Helper()
	pub := e.signer.Key.Public().(ed25519.PublicKey)
	var vc map[string]any
	switch c := cred.(type) {
	case string: // jwt_vc_json
		jws, err := jose.ParseSigned(c, []jose.SignatureAlgorithm{jose.EdDSA})
		if err != nil {
			t.Fatal(err)
		}
		if jws.Signatures[0].Header.KeyID != e.signer.KeyID {
			t.Fatalf("kid %q", jws.Signatures[0].Header.KeyID)
		}
		payload, err := jws.Verify(pub)
		if err != nil {
			t.Fatal(err)
		}
		var claims map[string]any
		if err := jsonUnmarshal(payload, &claims); err != nil {
			t.Fatal(err)
		}
		if claims["iss"] != e.signer.DID || !strings.HasPrefix(claims["sub"].(string), subject) {
			t.Fatalf("iss %v sub %v", claims["iss"], claims["sub"])
		}
		if _, hasCnf := claims["cnf"]; hasCnf != jwkBound {
			t.Fatalf("cnf present %v, want %v", hasCnf, jwkBound)
		}
		vc = claims["vc"].(map[string]any)
	case map[string]any: // ldp_vc
		if _, err := ldproof.Verify(context.Background(), c, issuerKeys{e.signer.KeyID, pub, e.signer.DID},
			ldproof.Options{Purpose: ldproof.PurposeAssertionMethod}); err != nil {
			t.Fatalf("ldp proof: %v", err)
		}
		if c["issuer"] != e.signer.DID {
			t.Fatalf("issuer %v", c["issuer"])
		}
		vc = c
	default:
		t.Fatalf("credential is %T", cred)
	}
	cs := vc["credentialSubject"].(map[string]any)
	if id, _ := cs["id"].(string); !strings.HasPrefix(id, subject) || cs["givenName"] != "Jane" || cs["familyName"] != "Doe" {
		t.Fatalf("credentialSubject %v", cs)
	}
}

func wantError(t *testing.T, a answer, status int, code string) {
	t.Helper()
	if a.status != status || a.body["error"] != code || a.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("got %d %s (Cache-Control %q), want %d %s", a.status, a.raw, a.header.Get("Cache-Control"), status, code)
	}
	if _, issued := a.body["credentials"]; issued {
		t.Fatal("an error answer carries credentials")
	}
	desc, _ := a.body["error_description"].(string)
	for _, r := range desc {
		// OID4VCI: "MUST NOT include characters outside the set %x20-21 / %x23-5B / %x5D-7E".
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			t.Fatalf("error_description %q has %q", desc, r)
		}
	}
}
