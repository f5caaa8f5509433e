package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/testwallet"
)

// Every bad OID4VP 1.0 input of the issue, through the built binary on
// the shipped config: each answered 400 with its own reason, the session
// failed with it, nothing trusted.
func TestV1BadInputsThroughTheBinary(t *testing.T) {
	b := startBinary(t, "memory", shippedConfigAsIs(t))
	s := b.site(t)
	ctx := context.Background()
	issuer := testwallet.NewSDIssuer()
	claims := map[string]any{"givenName": "Jane", "familyName": "Doe"}
	names := []string{"givenName", "familyName"}
	const sdQuery, jwtQuery = "verifiable-id-sd-jwt", "verifiable-id-jwt"

	// sd issues and presents a valid SD-JWT VC for r by h.
	sd := func(t *testing.T, h *v1Holder, r *testwallet.V1Request, vct string, iat time.Time) string {
		issued, err := issuer.Issue(h.key.Public(), vct, claims, nil)
		if err != nil {
			t.Fatal(err)
		}
		p, err := testwallet.PresentSD(issued, names, h.key, r.Nonce, r.ClientID, iat)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	type answer struct {
		form    url.Values // posted as is; nil: vp_token below, in the clear
		vpToken any
	}
	cases := []struct {
		name, reason string
		build        func(t *testing.T, h *v1Holder, r *testwallet.V1Request) answer
	}{
		{"a disclosure that matches no digest", "disclosure_unreferenced", func(t *testing.T, h *v1Holder, r *testwallet.V1Request) answer {
			p := sd(t, h, r, "VerifiableId", time.Now())
			forged := base64.RawURLEncoding.EncodeToString([]byte(`["c2FsdHNhbHRzYWx0","givenName","Mallory"]`))
			i := strings.Index(p, "~")
			return answer{vpToken: map[string]any{sdQuery: []any{p[:i+1] + forged + p[i:]}}}
		}},
		{"a duplicated disclosure", "disclosure_duplicate", func(t *testing.T, h *v1Holder, r *testwallet.V1Request) answer {
			p := sd(t, h, r, "VerifiableId", time.Now())
			parts := strings.Split(p, "~")
			return answer{vpToken: map[string]any{sdQuery: []any{parts[0] + "~" + parts[1] + "~" + strings.Join(parts[1:], "~")}}}
		}},
		{"a KB-JWT with a wrong nonce", "nonce_mismatch", func(t *testing.T, h *v1Holder, r *testwallet.V1Request) answer {
			r2 := *r
			r2.Nonce = "another-nonce"
			return answer{vpToken: map[string]any{sdQuery: []any{sd(t, h, &r2, "VerifiableId", time.Now())}}}
		}},
		{"a KB-JWT with a wrong aud", "audience_mismatch", func(t *testing.T, h *v1Holder, r *testwallet.V1Request) answer {
			r2 := *r
			r2.ClientID = strings.TrimPrefix(r.ClientID, "decentralized_identifier:") // the unprefixed DID
			return answer{vpToken: map[string]any{sdQuery: []any{sd(t, h, &r2, "VerifiableId", time.Now())}}}
		}},
		{"a KB-JWT with iat an hour old", "key_binding_iat", func(t *testing.T, h *v1Holder, r *testwallet.V1Request) answer {
			return answer{vpToken: map[string]any{sdQuery: []any{sd(t, h, r, "VerifiableId", time.Now().Add(-time.Hour))}}}
		}},
		{"a KB-JWT with iat in the future", "key_binding_iat", func(t *testing.T, h *v1Holder, r *testwallet.V1Request) answer {
			return answer{vpToken: map[string]any{sdQuery: []any{sd(t, h, r, "VerifiableId", time.Now().Add(time.Hour))}}}
		}},
		{"no KB-JWT where binding is required", "holder_binding_required", func(t *testing.T, h *v1Holder, r *testwallet.V1Request) answer {
			return answer{vpToken: map[string]any{sdQuery: []any{withoutKB(sd(t, h, r, "VerifiableId", time.Now()))}}}
		}},
		{"a KB-JWT with a wrong sd_hash", "key_binding_sd_hash", func(t *testing.T, h *v1Holder, r *testwallet.V1Request) answer {
			p := withoutKB(sd(t, h, r, "VerifiableId", time.Now()))
			kb := kbJWT(t, h, map[string]any{"iat": time.Now().Unix(), "nonce": r.Nonce, "aud": r.ClientID, "sd_hash": "bm90IHRoZSBoYXNoIG9mIGl0"})
			return answer{vpToken: map[string]any{sdQuery: []any{p + kb}}}
		}},
		{"a tampered issuer signature", "invalid_vc_proof", func(t *testing.T, h *v1Holder, r *testwallet.V1Request) answer {
			p := sd(t, h, r, "VerifiableId", time.Now())
			jwt, rest, _ := strings.Cut(p, "~")
			parts := strings.Split(jwt, ".")
			sig := []byte(parts[2])
			if sig[10] == 'A' {
				sig[10] = 'B'
			} else {
				sig[10] = 'A'
			}
			tampered := parts[0] + "." + parts[1] + "." + string(sig) + "~" + rest
			// The KB-JWT covers the SD-JWT as presented: sign it anew, so
			// only the issuer signature is wrong.
			kbless := withoutKB(tampered)
			kb := kbJWT(t, h, map[string]any{"iat": time.Now().Unix(), "nonce": r.Nonce, "aud": r.ClientID, "sd_hash": sdHash(kbless)})
			return answer{vpToken: map[string]any{sdQuery: []any{kbless + kb}}}
		}},
		{"an SD-JWT VC not of the query's vct", "credential_type_mismatch", func(t *testing.T, h *v1Holder, r *testwallet.V1Request) answer {
			return answer{vpToken: map[string]any{sdQuery: []any{sd(t, h, r, "UniversityDegree", time.Now())}}}
		}},
		{"a VC-JWT not of the query's type_values", "credential_type_mismatch", func(t *testing.T, h *v1Holder, r *testwallet.V1Request) answer {
			return answer{vpToken: map[string]any{jwtQuery: []any{vpJWT(t, h, r.Nonce, r.ClientID, vcJWT(t, issuer, h.did, "UniversityDegree"))}}}
		}},
		{"a claim disclosed that the query did not ask for", "claim_not_requested", func(t *testing.T, h *v1Holder, r *testwallet.V1Request) answer {
			issued, _ := issuer.Issue(h.key.Public(), "VerifiableId", map[string]any{"givenName": "Jane", "familyName": "Doe", "birthDate": "1990-01-01"}, nil)
			p, _ := testwallet.PresentSD(issued, []string{"givenName", "familyName", "birthDate"}, h.key, r.Nonce, r.ClientID, time.Now())
			return answer{vpToken: map[string]any{sdQuery: []any{p}}}
		}},
		{"a requested claim missing", "claims_mismatch", func(t *testing.T, h *v1Holder, r *testwallet.V1Request) answer {
			issued, _ := issuer.Issue(h.key.Public(), "VerifiableId", claims, nil)
			p, _ := testwallet.PresentSD(issued, []string{"givenName"}, h.key, r.Nonce, r.ClientID, time.Now())
			return answer{vpToken: map[string]any{sdQuery: []any{p}}}
		}},
		{"an SD-JWT VC for the VC-JWT query", "credential_format_mismatch", func(t *testing.T, h *v1Holder, r *testwallet.V1Request) answer {
			return answer{vpToken: map[string]any{jwtQuery: []any{sd(t, h, r, "VerifiableId", time.Now())}}}
		}},
		{"an unknown credential query id", "unknown_credential_query", func(t *testing.T, h *v1Holder, r *testwallet.V1Request) answer {
			return answer{vpToken: map[string]any{"passport": []any{sd(t, h, r, "VerifiableId", time.Now())}}}
		}},
		{"two presentations for a query without multiple", "multiple_not_allowed", func(t *testing.T, h *v1Holder, r *testwallet.V1Request) answer {
			return answer{vpToken: map[string]any{sdQuery: []any{sd(t, h, r, "VerifiableId", time.Now()), sd(t, h, r, "VerifiableId", time.Now())}}}
		}},
		{"a JWE encrypted to another key", "response_decryption_failed", func(t *testing.T, h *v1Holder, r *testwallet.V1Request) answer {
			other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
			jwe, err := testwallet.EncryptJWE(responsePayload(r, sd(t, h, r, "VerifiableId", time.Now())), other.Public(), r.EncKey.KeyID, "A128GCM")
			if err != nil {
				t.Fatal(err)
			}
			return answer{form: url.Values{"response": {jwe}}}
		}},
		{"a response with alg none", "response_alg_not_allowed", func(t *testing.T, h *v1Holder, r *testwallet.V1Request) answer {
			enc := base64.RawURLEncoding
			jwt := enc.EncodeToString([]byte(`{"alg":"none"}`)) + "." + enc.EncodeToString(responsePayload(r, sd(t, h, r, "VerifiableId", time.Now()))) + "."
			return answer{form: url.Values{"response": {jwt}}}
		}},
		{"a JWE with an unexpected enc", "response_enc_not_allowed", func(t *testing.T, h *v1Holder, r *testwallet.V1Request) answer {
			jwe, err := testwallet.EncryptJWE(responsePayload(r, sd(t, h, r, "VerifiableId", time.Now())), r.EncKey.Key, r.EncKey.KeyID, "A192GCM")
			if err != nil {
				t.Fatal(err)
			}
			return answer{form: url.Values{"response": {jwe}}}
		}},
	}
	seen := map[string]string{}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newV1Holder(t)
			c := s.startV1("1.0", "cross-device")
			r := fetchV1(t, c, nil) // the wallet says it encrypts: direct_post.jwt
			a := tc.build(t, h, r)
			form := a.form
			if form == nil {
				tok, _ := json.Marshal(a.vpToken)
				form = url.Values{"vp_token": {string(tok)}, "state": {r.State}}
			}
			resp, body, err := testwallet.PostForm(ctx, http.DefaultClient, r.ResponseURI, form)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("answer: %d %s", resp.StatusCode, body)
			}
			if e := decodeError(t, body); e.Reason != tc.reason {
				t.Fatalf("reason %q (%s), want %q", e.Reason, e.Description, tc.reason)
			}
			st := s.status(c)
			if st.Status != "failed" || st.Error == nil || st.Error.Reason != tc.reason {
				t.Fatalf("session %+v", st)
			}
		})
		if prev, ok := seen[tc.reason]; ok && tc.reason != "key_binding_iat" && tc.reason != "credential_type_mismatch" {
			t.Errorf("%q and %q share the reason %s", prev, tc.name, tc.reason)
		}
		seen[tc.reason] = tc.name
	}
}

// responsePayload is a direct_post.jwt payload: the vp_token and state.
func responsePayload(r *testwallet.V1Request, sdjwtPresentation string) []byte {
	b, _ := json.Marshal(map[string]any{"vp_token": map[string]any{"verifiable-id-sd-jwt": []any{sdjwtPresentation}}, "state": r.State})
	return b
}

// sdHash is RFC 9901's sd_hash of an SD-JWT (without its KB-JWT).
func sdHash(presented string) string {
	return base64.RawURLEncoding.EncodeToString(sha256Sum([]byte(presented)))
}
