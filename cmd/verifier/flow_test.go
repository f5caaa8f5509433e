package main

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/testwallet"
)

// people is an issuer and a holder with a VerifiableId credential.
type people struct {
	issuer, holder *testwallet.Party
	idCard         map[string]any
}

func newPeople(t *testing.T) people {
	t.Helper()
	issuer, holder := testwallet.NewParty(), testwallet.NewParty()
	vc, err := issuer.Issue(holder.DID, testwallet.Credential{
		Types:   []string{"VerifiableAttestation", "VerifiableId"},
		Subject: map[string]any{"firstName": "Jane", "familyName": "DOE"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return people{issuer: issuer, holder: holder, idCard: vc}
}

func TestLoginHappyPath(t *testing.T) {
	for _, store := range stores {
		t.Run(store+"/cross-device", func(t *testing.T) {
			p := startProgram(t, store, "")
			s := newSite(t, p)
			pp := newPeople(t)
			c := s.start("verifiable-id", "cross-device")
			if !strings.HasPrefix(c.AuthorizationRequest, "openid4vp://?") {
				t.Fatalf("authorization_request %q", c.AuthorizationRequest)
			}
			w := &testwallet.Wallet{Holder: pp.holder, Credentials: []map[string]any{pp.idCard}}
			resp, body, err := w.Login(context.Background(), c.AuthorizationRequest)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("wallet answer: %d %s", resp.StatusCode, body)
			}
			st := s.status(c)
			if st.Status != "verified" || st.Result == nil {
				t.Fatalf("status %+v", st)
			}
			if st.Result.Holder != pp.holder.DID || len(st.Result.Credentials) != 1 {
				t.Fatalf("result %+v", st.Result)
			}
			cred := st.Result.Credentials[0]
			if cred.Issuer != pp.issuer.DID || cred.CredentialSubject["firstName"] != "Jane" || !contains(cred.Type, "VerifiableId") {
				t.Fatalf("credential %+v", cred)
			}
			// The browser that started the login reads it with its cookie alone.
			code, _, body := s.do("GET", c.StatusURL, "", "", nil)
			if code != http.StatusOK || !strings.Contains(string(body), `"verified"`) {
				t.Fatalf("cookie read: %d %s", code, body)
			}
			for _, qr := range []struct{ path, ctype string }{{c.QRSVG, "image/svg+xml"}, {c.QRPNG, "image/png"}} {
				// The QR of a completed session is no longer served.
				code, _, _ := s.do("GET", qr.path, "", "", nil)
				if code != http.StatusNotFound {
					t.Errorf("%s after completion: %d", qr.path, code)
				}
			}
		})
		t.Run(store+"/same-device", func(t *testing.T) {
			p := startProgram(t, store, "")
			s := newSite(t, p)
			pp := newPeople(t)
			c := s.start("verifiable-id", "same-device")
			w := &testwallet.Wallet{Holder: pp.holder, Credentials: []map[string]any{pp.idCard}}
			r, err := testwallet.ParseRequest(context.Background(), http.DefaultClient, c.AuthorizationRequest)
			if err != nil {
				t.Fatal(err)
			}
			if r.ResponseMode != "form_post" {
				t.Fatalf("response_mode %q", r.ResponseMode)
			}
			a, err := w.Answer(r)
			if err != nil {
				t.Fatal(err)
			}
			// form_post: the browser posts the wallet's answer and follows the redirect.
			form, _ := a.Form()
			code, hdr, body := s.do("POST", strings.TrimPrefix(r.ResponseURI, s.base), "application/x-www-form-urlencoded", form.Encode(), nil)
			if code != http.StatusOK || !strings.Contains(string(body), `data-status="verified"`) || !strings.Contains(string(body), pp.holder.DID) {
				t.Fatalf("form_post: %d %v %s", code, hdr, body)
			}
			if st := s.status(c); st.Status != "verified" {
				t.Fatalf("status %+v", st)
			}
		})
	}
}

func TestQRCodes(t *testing.T) {
	p := startProgram(t, "memory", "")
	s := newSite(t, p)
	c := s.start("verifiable-id", "")
	for _, qr := range []struct{ path, ctype, magic string }{{c.QRSVG, "image/svg+xml", "<svg"}, {c.QRPNG, "image/png", "\x89PNG"}} {
		code, hdr, body := s.do("GET", qr.path, "", "", nil)
		if code != http.StatusOK || hdr.Get("Content-Type") != qr.ctype || !strings.HasPrefix(string(body), qr.magic) {
			t.Errorf("%s: %d %s %.20q", qr.path, code, hdr.Get("Content-Type"), body)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestRejections runs every bad answer the contract names against both stores.
func TestRejections(t *testing.T) {
	type answerFn func(t *testing.T, pp people, r *testwallet.Request) testwallet.Answer
	present := func(t *testing.T, holder *testwallet.Party, vcs []map[string]any, nonce, domain string) map[string]any {
		t.Helper()
		vp, err := holder.Present(vcs, nonce, domain)
		if err != nil {
			t.Fatal(err)
		}
		return vp
	}
	sub := func(r *testwallet.Request) map[string]any {
		return testwallet.Submission(r.DefinitionID(), r.DescriptorIDs(), []int{0})
	}
	type rejection struct {
		name       string
		answer     answerFn
		wantCode   int
		wantError  string
		wantReason string
		// failsSession: the session becomes failed (else it stays pending).
		failsSession bool
	}
	cases := []rejection{
		{
			name: "wrong nonce",
			answer: func(t *testing.T, pp people, r *testwallet.Request) testwallet.Answer {
				return testwallet.Answer{VPToken: present(t, pp.holder, []map[string]any{pp.idCard}, "not-the-nonce", r.ClientID), Submission: sub(r), State: r.State}
			},
			wantCode: 400, wantError: "invalid_request", wantReason: "nonce_mismatch", failsSession: true,
		},
		{
			name: "wrong domain",
			answer: func(t *testing.T, pp people, r *testwallet.Request) testwallet.Answer {
				return testwallet.Answer{VPToken: present(t, pp.holder, []map[string]any{pp.idCard}, r.Nonce, "https://evil.example"), Submission: sub(r), State: r.State}
			},
			wantCode: 400, wantError: "invalid_request", wantReason: "domain_mismatch", failsSession: true,
		},
		{
			name: "changed claim",
			answer: func(t *testing.T, pp people, r *testwallet.Request) testwallet.Answer {
				vc := clone(t, pp.idCard)
				vc["credentialSubject"].(map[string]any)["firstName"] = "Mallory"
				return testwallet.Answer{VPToken: present(t, pp.holder, []map[string]any{vc}, r.Nonce, r.ClientID), Submission: sub(r), State: r.State}
			},
			wantCode: 400, wantError: "invalid_request", wantReason: "invalid_vc_proof", failsSession: true,
		},
		{
			name: "broken VP signature",
			answer: func(t *testing.T, pp people, r *testwallet.Request) testwallet.Answer {
				vp := present(t, pp.holder, []map[string]any{pp.idCard}, r.Nonce, r.ClientID)
				proof := vp["proof"].(map[string]any)
				sig := proof["signatureValue"].(string)
				proof["signatureValue"] = flipChar(sig)
				return testwallet.Answer{VPToken: vp, Submission: sub(r), State: r.State}
			},
			wantCode: 400, wantError: "invalid_request", wantReason: "invalid_vp_proof", failsSession: true,
		},
		{
			name: "credential of the wrong type",
			answer: func(t *testing.T, pp people, r *testwallet.Request) testwallet.Answer {
				vc, err := pp.issuer.Issue(pp.holder.DID, testwallet.Credential{Types: []string{"LibraryCard"}})
				if err != nil {
					t.Fatal(err)
				}
				return testwallet.Answer{VPToken: present(t, pp.holder, []map[string]any{vc}, r.Nonce, r.ClientID), Submission: sub(r), State: r.State}
			},
			wantCode: 400, wantError: "invalid_request", wantReason: "presentation_definition_not_satisfied", failsSession: true,
		},
		{
			name: "expired credential",
			answer: func(t *testing.T, pp people, r *testwallet.Request) testwallet.Answer {
				vc, err := pp.issuer.Issue(pp.holder.DID, testwallet.Credential{
					Types:          []string{"VerifiableId"},
					IssuanceDate:   time.Now().Add(-48 * time.Hour),
					ExpirationDate: time.Now().Add(-24 * time.Hour),
				})
				if err != nil {
					t.Fatal(err)
				}
				return testwallet.Answer{VPToken: present(t, pp.holder, []map[string]any{vc}, r.Nonce, r.ClientID), Submission: sub(r), State: r.State}
			},
			wantCode: 400, wantError: "invalid_request", wantReason: "credential_expired", failsSession: true,
		},
		{
			name: "VP signed by someone other than the subject",
			answer: func(t *testing.T, pp people, r *testwallet.Request) testwallet.Answer {
				thief := testwallet.NewParty()
				return testwallet.Answer{VPToken: present(t, thief, []map[string]any{pp.idCard}, r.Nonce, r.ClientID), Submission: sub(r), State: r.State}
			},
			wantCode: 400, wantError: "invalid_request", wantReason: "holder_binding_failed", failsSession: true,
		},
		{
			name: "unknown state",
			answer: func(t *testing.T, pp people, r *testwallet.Request) testwallet.Answer {
				return testwallet.Answer{VPToken: present(t, pp.holder, []map[string]any{pp.idCard}, r.Nonce, r.ClientID), Submission: sub(r), State: "no-such-state"}
			},
			wantCode: 400, wantError: "invalid_request", wantReason: "unknown_state",
		},
		{
			name: "malformed JSON",
			answer: func(t *testing.T, pp people, r *testwallet.Request) testwallet.Answer {
				return testwallet.Answer{RawVPToken: `{"type": [`, Submission: sub(r), State: r.State}
			},
			wantCode: 400, wantError: "invalid_request", wantReason: "malformed_vp_token", failsSession: true,
		},
		{
			name: "malformed submission",
			answer: func(t *testing.T, pp people, r *testwallet.Request) testwallet.Answer {
				return testwallet.Answer{VPToken: present(t, pp.holder, []map[string]any{pp.idCard}, r.Nonce, r.ClientID), RawSubmission: `{"id": 1}`, State: r.State}
			},
			wantCode: 400, wantError: "invalid_request", wantReason: "malformed_presentation_submission", failsSession: true,
		},
		{
			name: "submission for another definition",
			answer: func(t *testing.T, pp people, r *testwallet.Request) testwallet.Answer {
				return testwallet.Answer{VPToken: present(t, pp.holder, []map[string]any{pp.idCard}, r.Nonce, r.ClientID), Submission: testwallet.Submission("other", r.DescriptorIDs(), []int{0}), State: r.State}
			},
			wantCode: 400, wantError: "invalid_request", wantReason: "definition_id_mismatch", failsSession: true,
		},
		{
			name: "missing vp_token",
			answer: func(t *testing.T, pp people, r *testwallet.Request) testwallet.Answer {
				return testwallet.Answer{Submission: sub(r), State: r.State}
			},
			wantCode: 400, wantError: "invalid_request", wantReason: "missing_parameter", failsSession: true,
		},
	}
	// A processed error response answers 200 (OID4VP 1.0 §8.5, draft 20
	// §6.2), whatever the wallet's code: its code fails the session and
	// never becomes our HTTP status.
	for _, code := range []string{"access_denied", "server_error", "temporarily_unavailable", "unauthorized"} {
		cases = append(cases, rejection{
			name: "wallet answers " + code,
			answer: func(t *testing.T, pp people, r *testwallet.Request) testwallet.Answer {
				return testwallet.Answer{Error: code, ErrorDescription: "the holder declined", State: r.State}
			},
			wantCode: 200, wantError: code, wantReason: "wallet_error", failsSession: true,
		})
	}
	for _, store := range stores {
		p := startProgram(t, store, "")
		for _, tc := range cases {
			t.Run(store+"/"+tc.name, func(t *testing.T) {
				s := newSite(t, p)
				pp := newPeople(t)
				c := s.start("verifiable-id", "cross-device")
				r, err := testwallet.ParseRequest(context.Background(), http.DefaultClient, c.AuthorizationRequest)
				if err != nil {
					t.Fatal(err)
				}
				resp, body, err := testwallet.Post(context.Background(), http.DefaultClient, r.ResponseURI, tc.answer(t, pp, r))
				if err != nil {
					t.Fatal(err)
				}
				if resp.StatusCode != tc.wantCode {
					t.Fatalf("answer: %d %s", resp.StatusCode, body)
				}
				if tc.wantCode >= 400 {
					e := decodeError(t, body)
					if e.Error != tc.wantError || e.Reason != tc.wantReason {
						t.Fatalf("error %+v, want %s/%s", e, tc.wantError, tc.wantReason)
					}
				} else if strings.Contains(string(body), "error") {
					t.Fatalf("a processed decline answered %s", body)
				}
				st := s.status(c)
				if !tc.failsSession {
					if st.Status != "pending" {
						t.Fatalf("session changed: %+v", st)
					}
					return
				}
				if st.Status != "failed" || st.Error == nil || st.Error.Error != tc.wantError || st.Error.Reason != tc.wantReason || st.Result != nil {
					t.Fatalf("status %+v", st)
				}
				// A correct answer after the failure changes nothing: a session completes once.
				w := &testwallet.Wallet{Holder: pp.holder, Credentials: []map[string]any{pp.idCard}}
				a, _ := w.Answer(r)
				resp, body, _ = testwallet.Post(context.Background(), http.DefaultClient, r.ResponseURI, a)
				if resp.StatusCode != 400 || decodeError(t, body).Reason != "session_not_pending" {
					t.Fatalf("answer after failure: %d %s", resp.StatusCode, body)
				}
				if st2 := s.status(c); st2.Status != "failed" {
					t.Fatalf("status after second answer %+v", st2)
				}
			})
		}
	}
}

// TestCompletesOnce: a replayed answer and twenty parallel answers complete a
// session exactly once.
func TestCompletesOnce(t *testing.T) {
	for _, store := range stores {
		t.Run(store, func(t *testing.T) {
			p := startProgram(t, store, "")
			s := newSite(t, p)
			pp := newPeople(t)
			w := &testwallet.Wallet{Holder: pp.holder, Credentials: []map[string]any{pp.idCard}}

			// Replay.
			c := s.start("verifiable-id", "cross-device")
			r, err := testwallet.ParseRequest(context.Background(), http.DefaultClient, c.AuthorizationRequest)
			if err != nil {
				t.Fatal(err)
			}
			a, _ := w.Answer(r)
			resp, body, _ := testwallet.Post(context.Background(), http.DefaultClient, r.ResponseURI, a)
			if resp.StatusCode != 200 {
				t.Fatalf("first: %d %s", resp.StatusCode, body)
			}
			resp, body, _ = testwallet.Post(context.Background(), http.DefaultClient, r.ResponseURI, a)
			if resp.StatusCode != 400 || decodeError(t, body).Reason != "session_not_pending" {
				t.Fatalf("replay: %d %s", resp.StatusCode, body)
			}
			if st := s.status(c); st.Status != "verified" {
				t.Fatalf("after replay %+v", st)
			}

			// Twenty in parallel.
			c = s.start("verifiable-id", "cross-device")
			r, err = testwallet.ParseRequest(context.Background(), http.DefaultClient, c.AuthorizationRequest)
			if err != nil {
				t.Fatal(err)
			}
			a, _ = w.Answer(r)
			var wg sync.WaitGroup
			codes := make(chan int, 20)
			for range 20 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					resp, _, err := testwallet.Post(context.Background(), http.DefaultClient, r.ResponseURI, a)
					if err != nil {
						t.Error(err)
						return
					}
					codes <- resp.StatusCode
				}()
			}
			wg.Wait()
			close(codes)
			ok := 0
			for code := range codes {
				switch code {
				case 200:
					ok++
				case 400:
				default:
					t.Errorf("unexpected status %d", code)
				}
			}
			if ok != 1 {
				t.Fatalf("%d answers accepted, want exactly 1", ok)
			}
		})
	}
}

func clone(t *testing.T, m map[string]any) map[string]any {
	t.Helper()
	out := map[string]any{}
	for k, v := range m {
		if mm, ok := v.(map[string]any); ok {
			v = clone(t, mm)
		}
		out[k] = v
	}
	return out
}

// flipChar changes one base58 character of a signature.
func flipChar(s string) string {
	b := []byte(s)
	i := len(b) / 2
	if b[i] == '2' {
		b[i] = '3'
	} else {
		b[i] = '2'
	}
	return string(b)
}
