package main

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/loginwithiota/verifier/internal/testshared"
	"github.com/loginwithiota/verifier/testwallet"
)

// jwtDefinition asks for a VerifiableId as a credential JWT in a
// presentation JWT, appended to the shipped config as operators do.
const jwtDefinition = `
  - id: jwt-id
    format:
      jwt_vp_json: {alg: [EdDSA]}
      jwt_vc_json: {alg: [EdDSA]}
    input_descriptors:
      - id: id-card
        constraints:
          fields:
            - path: ["$.type"]
              filter: {type: string, pattern: VerifiableId}
`

// hostile is a login on the binary, answered by a wallet the test writes
// by hand.
type hostile struct {
	t   *testing.T
	s   *site
	c   created
	req *testwallet.Request
}

func startHostile(t *testing.T, b *binary, definition string) *hostile {
	t.Helper()
	s := b.site(t)
	c := s.start(definition, "cross-device")
	r, err := testwallet.ParseRequest(context.Background(), http.DefaultClient, c.AuthorizationRequest)
	if err != nil {
		t.Fatal(err)
	}
	return &hostile{t: t, s: s, c: c, req: r}
}

// post sends the answer and returns the HTTP status, the error reason
// ("" for a 2xx) and the session afterwards.
func (h *hostile) post(a testwallet.Answer) (int, string, status) {
	h.t.Helper()
	a.State = h.req.State
	resp, body, err := testwallet.Post(context.Background(), http.DefaultClient, h.req.ResponseURI, a)
	if err != nil {
		h.t.Fatal(err)
	}
	reason := ""
	if resp.StatusCode >= 400 {
		reason = decodeError(h.t, body).Reason
	}
	return resp.StatusCode, reason, h.s.status(h.c)
}

// ldSubmission maps descriptor id to path_nested path in the one VP.
func ldSubmission(definition, id, nested string) map[string]any {
	return map[string]any{"id": "s", "definition_id": definition, "descriptor_map": []any{map[string]any{
		"id": id, "format": "ldp_vp", "path": "$",
		"path_nested": map[string]any{"id": id, "format": "ldp_vc", "path": nested}}}}
}

// The credentials the website is told about are exactly the ones the
// query selected, and each of them was verified: a tampered credential a
// submission names outside verifiableCredential (LD and JWT) fails the
// login; a valid credential the map names beside a tampered one it does
// not name is all that counts; a tampered one it names fails.
func TestHostileTamperedCredential(t *testing.T) {
	for _, store := range stores {
		t.Run(store, func(t *testing.T) {
			b := startBinary(t, store, shippedConfig(t)+jwtDefinition)
			pp := newPeople(t)
			tampered := clone(t, pp.idCard)
			tampered["credentialSubject"].(map[string]any)["firstName"] = "Mallory"

			t.Run("LD credential beside verifiableCredential", func(t *testing.T) {
				h := startHostile(t, b, "verifiable-id")
				vp, err := pp.holder.PresentWith(nil, map[string]any{"evidence": []any{tampered}}, h.req.Nonce, h.req.ClientID)
				if err != nil {
					t.Fatal(err)
				}
				code, reason, st := h.post(testwallet.Answer{VPToken: vp, Submission: ldSubmission("verifiable-id", "verifiable-id-credential", "$.evidence[0]")})
				if code != 400 || st.Status != "failed" || st.Result != nil {
					t.Fatalf("%d %s, session %s %+v", code, reason, st.Status, st.Result)
				}
			})
			t.Run("JWT credential beside verifiableCredential", func(t *testing.T) {
				h := startHostile(t, b, "jwt-id")
				issuer, holder := newParty(t), newParty(t)
				vc := issuer.signJWT(t, map[string]any{"iss": issuer.did, "sub": holder.did, "nbf": 1700000000,
					"vc": map[string]any{"@context": []any{"https://www.w3.org/2018/credentials/v1"}, "type": []any{"VerifiableCredential", "VerifiableId"},
						"credentialSubject": map[string]any{"firstName": "Jane"}}})
				evil := testshared.TamperJWT(t, vc, func(c map[string]any) {
					c["vc"].(map[string]any)["credentialSubject"].(map[string]any)["firstName"] = "Mallory"
				})
				vp := holder.signJWT(t, map[string]any{"iss": holder.did, "aud": h.req.ClientID, "nonce": h.req.Nonce,
					"vp": map[string]any{"@context": []any{"https://www.w3.org/2018/credentials/v1"}, "type": []any{"VerifiablePresentation"},
						"verifiableCredential": []any{}, "evil": evil}})
				sub := map[string]any{"id": "s", "definition_id": "jwt-id", "descriptor_map": []any{map[string]any{
					"id": "id-card", "format": "jwt_vp_json", "path": "$",
					"path_nested": map[string]any{"id": "id-card", "format": "jwt_vc_json", "path": "$.vp.evil"}}}}
				code, reason, st := h.post(testwallet.Answer{RawVPToken: vp, Submission: sub})
				if code != 400 || st.Status != "failed" || st.Result != nil {
					t.Fatalf("%d %s, session %s", code, reason, st.Status)
				}
			})
			t.Run("valid named beside tampered unnamed", func(t *testing.T) {
				h := startHostile(t, b, "verifiable-id")
				vp, err := pp.holder.Present([]map[string]any{pp.idCard, tampered}, h.req.Nonce, h.req.ClientID)
				if err != nil {
					t.Fatal(err)
				}
				code, reason, st := h.post(testwallet.Answer{VPToken: vp, Submission: ldSubmission("verifiable-id", "verifiable-id-credential", "$.verifiableCredential[0]")})
				if code != 200 || st.Status != "verified" || len(st.Result.Credentials) != 1 || st.Result.Credentials[0].CredentialSubject["firstName"] != "Jane" {
					t.Fatalf("%d %s, session %+v", code, reason, st)
				}
			})
			t.Run("tampered named beside valid unnamed", func(t *testing.T) {
				h := startHostile(t, b, "verifiable-id")
				vp, err := pp.holder.Present([]map[string]any{pp.idCard, tampered}, h.req.Nonce, h.req.ClientID)
				if err != nil {
					t.Fatal(err)
				}
				code, reason, st := h.post(testwallet.Answer{VPToken: vp, Submission: ldSubmission("verifiable-id", "verifiable-id-credential", "$.verifiableCredential[1]")})
				if code != 400 || reason != "invalid_vc_proof" || st.Status != "failed" {
					t.Fatalf("%d %s, session %s", code, reason, st.Status)
				}
			})
		})
	}
}

// A wallet's own error code never becomes ours: each is processed (200),
// fails the session with the wallet's code, and logs nothing at ERROR.
func TestHostileWalletErrorCodes(t *testing.T) {
	for _, store := range stores {
		t.Run(store, func(t *testing.T) {
			b := startBinary(t, store, shippedConfig(t))
			for _, code := range []string{"server_error", "temporarily_unavailable", "unauthorized", "access_denied"} {
				h := startHostile(t, b, "verifiable-id")
				status, reason, st := h.post(testwallet.Answer{Error: code, ErrorDescription: "declined"})
				if status != 200 || st.Status != "failed" || st.Error == nil || st.Error.Error != code || st.Error.Reason != "wallet_error" {
					t.Errorf("%s: %d %s, session %+v", code, status, reason, st)
				}
			}
			if strings.Contains(b.log.String(), "level=ERROR") {
				t.Errorf("a wallet's error was logged at ERROR:\n%s", b.log)
			}
		})
	}
}

// A JSON-LD context that makes json-gold panic fails the login (400,
// session failed) instead of answering 500 with the session left pending.
func TestHostilePanickingContext(t *testing.T) {
	for _, store := range stores {
		t.Run(store, func(t *testing.T) {
			b := startBinary(t, store, shippedConfig(t))
			pp := newPeople(t)
			h := startHostile(t, b, "verifiable-id")
			vp := map[string]any{
				"@context":             []any{"https://www.w3.org/2018/credentials/v1", map[string]any{"": map[string]any{"@id": "A:", "@container": nil}}},
				"type":                 []any{"VerifiablePresentation"},
				"holder":               pp.holder.DID,
				"verifiableCredential": []any{pp.idCard},
				"proof": map[string]any{"type": "Ed25519Signature2020", "verificationMethod": pp.holder.VMID, "proofPurpose": "authentication",
					"challenge": h.req.Nonce, "domain": h.req.ClientID, "created": "2026-01-01T00:00:00Z",
					"proofValue": "z3FXQjecWufY46yg5abdVZsXqLhxhueuSoZgNSARiKBk9czhSePTFehP8c3PGfb6a22gkfUKKiYRcgcx7DqobMhaS"},
			}
			code, reason, st := h.post(testwallet.Answer{VPToken: vp, Submission: ldSubmission("verifiable-id", "verifiable-id-credential", "$.verifiableCredential[0]")})
			if code != 400 || reason != "invalid_vp_proof" || st.Status != "failed" {
				t.Fatalf("%d %s, session %s", code, reason, st.Status)
			}
			t.Logf("%s: %s", reason, st.Error.Description)
		})
	}
}

// Twenty copies of one valid answer at once: exactly one completes the
// session (200), the nineteen others are refused (4xx) — most without
// being verified, the answer for that state being in flight.
func TestHostileParallelCopies(t *testing.T) {
	for _, store := range stores {
		t.Run(store, func(t *testing.T) {
			b := startBinary(t, store, shippedConfig(t))
			pp := newPeople(t)
			h := startHostile(t, b, "verifiable-id")
			w := &testwallet.Wallet{Holder: pp.holder, Credentials: []map[string]any{pp.idCard}}
			a, err := w.Answer(h.req)
			if err != nil {
				t.Fatal(err)
			}
			form, _ := a.Form()
			body := form.Encode()
			var wg sync.WaitGroup
			codes := make([]int, 20)
			start := make(chan struct{})
			for i := range codes {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					resp, err := http.Post(h.req.ResponseURI, "application/x-www-form-urlencoded", strings.NewReader(body))
					if err != nil {
						t.Error(err)
						return
					}
					resp.Body.Close()
					codes[i] = resp.StatusCode
				}()
			}
			close(start)
			wg.Wait()
			ok, refused := 0, 0
			for _, c := range codes {
				switch {
				case c == 200:
					ok++
				case c >= 400 && c < 500:
					refused++
				}
			}
			if ok != 1 || refused != 19 {
				t.Fatalf("codes %v: %d accepted, %d refused", codes, ok, refused)
			}
			if st := h.s.status(h.c); st.Status != "verified" {
				t.Fatalf("session %+v", st)
			}
		})
	}
}
