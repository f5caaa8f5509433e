package main

import (
	"net/http"
	"strings"
	"testing"
)

// loginWith starts a login of definition in protocol, as a website does.
func (s *stack) loginWith(t *testing.T, flow, definition, protocol string) *session {
	t.Helper()
	b := newBrowser(t)
	var out struct {
		ID                   string `json:"id"`
		AuthorizationRequest string `json:"authorization_request"`
	}
	body := map[string]string{"definition": definition, "flow": flow, "protocol": protocol}
	if st := b.json(http.MethodPost, s.verifier.URL+"/api/v1/sessions", body, &out); st != 201 {
		t.Fatalf("start a %s session: %d", protocol, st)
	}
	return &session{ID: out.ID, Request: out.AuthorizationRequest, browser: b}
}

// receiveInto gives a fresh wallet home a credential of configuration
// with a given name, a family name and a birth date.
func (s *stack) receiveInto(t *testing.T, configuration string) string {
	t.Helper()
	home := t.TempDir()
	uri, tx := s.offerClaims(t, configuration, `{"givenName":"Jane","familyName":"Doe","birthDate":"1993-04-08"}`)
	if out, err := walletRun(t, home, "", "receive", uri, "--tx-code", tx); err != nil || !strings.Contains(out, "issuer signature verified") {
		t.Fatalf("receive %s: %v\n%s", configuration, err, out)
	}
	return home
}

// TestV1LogIn: the wallet receives a VC-JWT and an SD-JWT VC from the
// built issuer and logs in to the built verifier on the shipped configs
// with OID4VP 1.0 — the "1.0" login and the one QR (1.0+draft-20),
// cross-device and same-device, on memory and on Redis. The wallet POSTs
// the request_uri (its metadata says it encrypts, so the shipped
// when_supported policy makes it direct_post.jwt), verifies the request
// object by the verifier's did:jwk, answers the shipped DCQL query with
// whichever credential it holds, and, for the SD-JWT VC, discloses the
// two claims asked for and not the birth date. The website is told
// exactly those two.
func TestV1LogIn(t *testing.T) {
	for _, store := range []string{"memory", "redis"} {
		t.Run(store, func(t *testing.T) {
			redis := ""
			if store == "redis" {
				redis = redisURL(t)
			}
			s := startStack(t, redis, "")
			homes := map[string]string{"jwt_vc_json": s.receiveInto(t, "VerifiableId_JWT"), "dc+sd-jwt": s.receiveInto(t, "VerifiableId_SD_JWT")}
			checkHome(t, homes["dc+sd-jwt"])
			for _, protocol := range []string{"1.0", "1.0+draft-20"} {
				for _, flow := range []string{"cross-device", "same-device"} {
					for format, home := range homes {
						t.Run(protocol+"/"+flow+"/"+format, func(t *testing.T) {
							se := s.loginWith(t, flow, "verifiable-id", protocol)
							out, err := walletRun(t, home, "", "present", se.Request, "--yes")
							if err != nil || !strings.Contains(out, "The verifier accepted the presentation.") ||
								!strings.Contains(out, "Request:  1.0, response mode direct_post.jwt, encrypted to the verifier") ||
								!strings.Contains(out, "(its request is signed by did:jwk:") {
								t.Fatalf("present: %v\n%s", err, out)
							}
							if format == "dc+sd-jwt" && (!strings.Contains(out, "not shared: birthDate") || strings.Contains(out, "1993-04-08")) {
								t.Fatalf("the SD-JWT VC's birth date is shared, or not said to be withheld:\n%s", out)
							}
							if flow == "same-device" {
								// The browser follows the wallet's redirect, with the
								// one-time response_code; there the page says so.
								lines := strings.Split(strings.TrimSpace(out), "\n")
								if page := se.browser.page(lines[len(lines)-1]); !strings.Contains(page, "You are logged in.") {
									t.Fatalf("the result page after %s:\n%s", lines[len(lines)-1], page)
								}
							}
							st := s.status(t, se)
							res, _ := st["result"].(map[string]any)
							creds, _ := res["credentials"].([]any)
							if st["status"] != "verified" || len(creds) != 1 {
								t.Fatalf("session: %v", st)
							}
							cs, _ := creds[0].(map[string]any)["credentialSubject"].(map[string]any)
							if cs["givenName"] != "Jane" || cs["familyName"] != "Doe" || cs["birthDate"] != nil {
								t.Fatalf("the website is told %v", cs)
							}
						})
					}
				}
			}
			if !strings.Contains(s.verifier.Logs(), "store="+store) {
				t.Fatal("not on the store asked for")
			}
		})
	}
}

// TestOneQRDraft20: --draft-20 GETs the one QR's request_uri and gets its
// draft-20 request (Presentation Exchange, signed under the same
// client_id), which the wallet answers with a jwt_vp_json whose aud is
// the full prefixed client identifier; an SD-JWT VC answers no
// Presentation Exchange definition, so a wallet holding only that one is
// refused clearly.
func TestOneQRDraft20(t *testing.T) {
	s := startStack(t, "", "")
	home := s.receiveInto(t, "VerifiableId_JWT")
	se := s.loginWith(t, "cross-device", "verifiable-id", "1.0+draft-20")
	out, err := walletRun(t, home, "", "present", se.Request, "--yes", "--draft-20")
	if err != nil || !strings.Contains(out, "Request:  draft-20, response mode direct_post") || !strings.Contains(out, "as a jwt_vp_json") {
		t.Fatalf("present --draft-20: %v\n%s", err, out)
	}
	if st := s.status(t, se); st["status"] != "verified" {
		t.Fatalf("%v", st)
	}
	sdHome := s.receiveInto(t, "VerifiableId_SD_JWT")
	se = s.loginWith(t, "cross-device", "verifiable-id", "1.0+draft-20")
	if out, err := walletRun(t, sdHome, "", "present", se.Request, "--yes", "--draft-20"); err == nil || !strings.Contains(out, "no credential in this wallet answers the request") {
		t.Fatalf("an SD-JWT VC for a draft-20 request: %v\n%s", err, out)
	}
}

// TestV1Refusals: a 1.0 decline and a wallet with nothing that answers
// the query are error responses the login fails with (access_denied),
// sent encrypted as the request asks.
func TestV1Refusals(t *testing.T) {
	s := startStack(t, "", "")
	home := s.receiveInto(t, "VerifiableId_SD_JWT")
	se := s.loginWith(t, "cross-device", "verifiable-id", "1.0")
	out, err := walletRun(t, home, "n\n", "present", se.Request)
	if err != nil || !strings.Contains(out, "Share? [y/N]") || !strings.Contains(out, "Declined") {
		t.Fatalf("decline: %v\n%s", err, out)
	}
	if st := s.status(t, se); st["status"] != "failed" || !strings.Contains(stringify(st["error"]), "access_denied") {
		t.Fatalf("%v", st)
	}
	se = s.loginWith(t, "cross-device", "verifiable-id", "1.0")
	out, err = walletRun(t, t.TempDir(), "", "present", se.Request, "--yes")
	if err == nil || !strings.Contains(out, "no credential in this wallet answers the request") || !strings.Contains(out, "The verifier was told access_denied") {
		t.Fatalf("an empty wallet: %v\n%s", err, out)
	}
	if st := s.status(t, se); st["status"] != "failed" || !strings.Contains(stringify(st["error"]), "access_denied") {
		t.Fatalf("%v", st)
	}
}
