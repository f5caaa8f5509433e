package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/issuer/issuertest"
)

var (
	twoConfigs = map[string]any{"credential_configuration_ids": []string{"VerifiableId", "VerifiableId_JWT"},
		"claims": map[string]any{"givenName": "Jane"}}
	noTxCode = map[string]any{"credential_configuration_ids": []string{"VerifiableId"}, "claims": map[string]any{"givenName": "Jane"}, "tx_code": false}
)

// want checks an error answer: status, OAuth code, no-store, nothing issued.
func want(t *testing.T, a issuertest.Answer, status int, code string) {
	t.Helper()
	if a.Status != status || a.Code() != code || a.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("got %d %s, want %d %s", a.Status, a.Raw, status, code)
	}
	if _, ok := a.Body["credentials"]; ok {
		t.Fatal("an error answer carries credentials")
	}
	if d, _ := a.Body["error_description"].(string); d == "" {
		t.Fatal("no error_description")
	}
}

// secrets collects what the issuer handed out, for the log check.
type secrets []string

func (s *secrets) add(v ...string) {
	for _, x := range v {
		if len(x) >= 16 { // codes, tokens, nonces, offer ids (tx codes are short digits)
			*s = append(*s, x)
		}
	}
}

// TestBadInputThroughTheProgram drives the built issuer with every bad
// input the issue lists; each is its OAuth error and nothing is issued.
// Then the log holds none of the codes, tokens and nonces handed out.
func TestBadInputThroughTheProgram(t *testing.T) {
	p := start(t, t.TempDir(), baseConfig(""))
	c := client(t, p)
	var sec secrets
	h := issuertest.NewHolder(t, false)
	_, other, _ := ed25519.GenerateKey(rand.Reader)

	t.Run("token", func(t *testing.T) {
		c.T = t
		o := c.Offer(twoConfigs)
		sec.add(o.Code, o.OfferURI)
		wrong := "000000"
		if o.TxCode == wrong {
			wrong = "111111"
		}
		want(t, c.Token(o.Code, ""), 400, "invalid_request") // tx_code missing
		for range 5 {
			want(t, c.Token(o.Code, wrong), 400, "invalid_grant")
		}
		a := c.Token(o.Code, o.TxCode) // the 6th try, right code: dead
		want(t, a, 400, "invalid_grant")
		if !strings.Contains(a.Body["error_description"].(string), "too many wrong") {
			t.Fatal(string(a.Raw))
		}

		o = c.Offer(noTxCode)
		sec.add(o.Code)
		want(t, c.Token(o.Code, "123456"), 400, "invalid_request") // tx_code when none was offered
		tok := c.AccessToken(o.Code, "")
		sec.add(tok)
		want(t, c.Token(o.Code, ""), 400, "invalid_grant") // reused code
		// ... and its first token is revoked.
		want(t, c.Credential(tok, map[string]any{"credential_configuration_id": "VerifiableId"}), 401, "invalid_token")

		want(t, c.Token("no-such-code", ""), 400, "invalid_grant")
		want(t, c.PostForm("/token", url.Values{"grant_type": {"authorization_code"}, "code": {"x"}}), 400, "unsupported_grant_type")
	})

	t.Run("credential", func(t *testing.T) {
		c.T = t
		o := c.Offer(twoConfigs)
		tok := c.AccessToken(o.Code, o.TxCode)
		sec.add(o.Code, tok)
		body := func(cfg string, proofs ...string) map[string]any {
			return map[string]any{"credential_configuration_id": cfg, "proofs": map[string]any{"jwt": proofs}}
		}
		nonce := func() string { n := c.Nonce(); sec.add(n); return n }
		cases := []struct {
			name   string
			body   func() any
			status int
			code   string
		}{
			{"unknown c_nonce", func() any { return body("VerifiableId", c.Proof(h, "unknown-nonce-0123456789", issuertest.Spec{})) }, 400, "invalid_nonce"},
			{"wrong aud", func() any {
				return body("VerifiableId", c.Proof(h, nonce(), issuertest.Spec{Aud: "https://other.example"}))
			}, 400, "invalid_proof"},
			{"iat far in the past", func() any {
				return body("VerifiableId", c.Proof(h, nonce(), issuertest.Spec{Claims: map[string]any{"iat": time.Now().Add(-time.Hour).Unix()}}))
			}, 400, "invalid_proof"},
			{"iat far in the future", func() any {
				return body("VerifiableId", c.Proof(h, nonce(), issuertest.Spec{Claims: map[string]any{"iat": time.Now().Add(time.Hour).Unix()}}))
			}, 400, "invalid_proof"},
			{"alg none", func() any { return body("VerifiableId", c.Proof(h, nonce(), issuertest.Spec{AlgNone: true})) }, 400, "invalid_proof"},
			{"kid and jwk", func() any {
				return body("VerifiableId", c.Proof(h, nonce(), issuertest.Spec{JWK: true, Header: map[string]any{"kid": h.KID}}))
			}, 400, "invalid_proof"},
			{"typ JWT", func() any {
				return body("VerifiableId", c.Proof(h, nonce(), issuertest.Spec{Header: map[string]any{"typ": "JWT"}}))
			}, 400, "invalid_proof"},
			{"kid of another key", func() any { return body("VerifiableId", c.Proof(h, nonce(), issuertest.Spec{SignWith: other})) }, 400, "invalid_proof"},
			{"jwk of another key", func() any {
				return body("VerifiableId", c.Proof(h, nonce(), issuertest.Spec{JWK: true, SignWith: other}))
			}, 400, "invalid_proof"},
			{"private key in jwk", func() any { return body("VerifiableId", c.Proof(h, nonce(), issuertest.Spec{PrivJWK: true})) }, 400, "invalid_proof"},
			{"no nonce", func() any {
				return body("VerifiableId", c.Proof(h, "", issuertest.Spec{Claims: map[string]any{"nonce": nil}}))
			}, 400, "invalid_proof"},
			{"no proofs", func() any { return map[string]any{"credential_configuration_id": "VerifiableId"} }, 400, "invalid_proof"},
			{"unknown configuration", func() any { return body("DriversLicence", c.Proof(h, nonce(), issuertest.Spec{})) }, 400, "unknown_credential_configuration"},
			{"configuration not offered", func() any {
				return body("VerifiableId_DataIntegrity", c.Proof(h, nonce(), issuertest.Spec{}))
			}, 403, "insufficient_scope"},
			{"repeated member", func() any {
				return []byte(`{"credential_configuration_id":"VerifiableId","credential_configuration_id":"VerifiableId_JWT"}`)
			}, 400, "invalid_credential_request"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				c.T = t
				want(t, c.Credential(tok, tc.body()), tc.status, tc.code)
			})
		}
		c.T = t
		// Nothing was spent: the token still issues, once per configuration.
		n := nonce()
		ok := c.Credential(tok, body("VerifiableId", c.Proof(h, n, issuertest.Spec{})))
		if ok.Status != 200 {
			t.Fatalf("%d %s", ok.Status, ok.Raw)
		}
		// A reused c_nonce.
		want(t, c.Credential(tok, body("VerifiableId_JWT", c.Proof(h, n, issuertest.Spec{}))), 400, "invalid_nonce")
		// The configuration already issued: the token does not allow it again.
		want(t, c.Credential(tok, body("VerifiableId", c.Proof(h, nonce(), issuertest.Spec{}))), 403, "insufficient_scope")
		want(t, c.Credential("", body("VerifiableId")), 401, "invalid_token")
	})

	t.Run("dc+sd-jwt", func(t *testing.T) {
		c.T = t
		// An SD-JWT VC's registered claims are the issuer's, not an offer's.
		for _, name := range []string{"vct", "iss", "cnf"} {
			want(t, c.PostJSON("/api/v1/offers", testAPIKey, map[string]any{"credential_configuration_ids": []string{"VerifiableId_SD_JWT"},
				"claims": map[string]any{"givenName": "Jane", name: "x"}}), 400, "invalid_request")
		}
		o := c.Offer(map[string]any{"credential_configuration_ids": []string{"VerifiableId_SD_JWT"}, "claims": map[string]any{"givenName": "Jane"}})
		tok := c.AccessToken(o.Code, o.TxCode)
		n := c.Nonce()
		sec.add(o.Code, tok, n)
		a := c.Credential(tok, map[string]any{"credential_configuration_id": "VerifiableId_SD_JWT", "proofs": map[string]any{"jwt": []string{c.Proof(h, n, issuertest.Spec{})}}})
		if a.Status != 200 {
			t.Fatalf("%d %s", a.Status, a.Raw)
		}
		cred, _ := a.Body["credentials"].([]any)[0].(map[string]any)["credential"].(string)
		if strings.Count(cred, "~") != 2 {
			t.Fatalf("an SD-JWT VC with one disclosure: %d %s", a.Status, a.Raw)
		}
	})

	checkLogs(t, p.Logs(), sec)
}

// TestExpiryThroughTheProgram: an expired pre-authorized code, and an
// access token replayed after its lifetime.
func TestExpiryThroughTheProgram(t *testing.T) {
	p := start(t, t.TempDir(), baseConfig("offers: {lifetime: 1s}\ntokens: {lifetime: 3s}\n"))
	c := client(t, p)
	h := issuertest.NewHolder(t, true)

	o := c.Offer(twoConfigs)
	ref := strings.TrimPrefix(o.OfferURI, p.URL)
	eventually(t, 20*time.Second, "the offer did not expire", func() bool { return c.Get(ref).Status == http.StatusNotFound })
	want(t, c.Token(o.Code, o.TxCode), 400, "invalid_grant")

	o = c.Offer(twoConfigs)
	tok := c.AccessToken(o.Code, o.TxCode)
	body := func(cfg string) map[string]any {
		return map[string]any{"credential_configuration_id": cfg, "proofs": map[string]any{"jwt": []string{c.Proof(h, c.Nonce(), issuertest.Spec{})}}}
	}
	if a := c.Credential(tok, body("VerifiableId_JWT")); a.Status != 200 {
		t.Fatalf("%d %s", a.Status, a.Raw)
	}
	// Wait (polling a request the token check refuses before anything
	// else) until the token's lifetime is over, then replay it.
	eventually(t, 20*time.Second, "the token did not expire", func() bool {
		return c.Credential(tok, []byte(`{}`)).Code() == "invalid_token"
	})
	a := c.Credential(tok, body("VerifiableId"))
	want(t, a, 401, "invalid_token")
	if !strings.Contains(a.Header.Get("WWW-Authenticate"), `error="invalid_token"`) {
		t.Fatalf("WWW-Authenticate %q", a.Header.Get("WWW-Authenticate"))
	}
}

// checkLogs: no secret handed out, and no JWT, is in the process's output.
func checkLogs(t *testing.T, logs string, sec secrets) {
	t.Helper()
	if !strings.Contains(logs, `"msg":"credential issued"`) {
		t.Fatal("no issuance in the log: is it captured?")
	}
	if strings.Contains(logs, "eyJ") {
		t.Fatal("a JWT in the log")
	}
	for _, s := range sec {
		if strings.Contains(logs, s) {
			t.Fatalf("the log holds a secret the issuer handed out: %q", s)
		}
	}
}
