package handler_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/issuer"
)

var twoConfigs = map[string]any{"credential_configuration_ids": []string{"VerifiableId", "VerifiableId_jwt"},
	"claims": map[string]any{"givenName": "Jane"}}

// TestTokenBadInput: each refused with its OAuth code, nothing issued.
func TestTokenBadInput(t *testing.T) {
	e := newEnv(t, "", nil)
	t.Run("reused code revokes the first token", func(t *testing.T) {
		e.t = t
		code, tx, _ := e.offer(twoConfigs)
		tok := e.accessToken(code, tx)
		wantError(t, e.token(code, tx), 400, "invalid_grant")
		wantError(t, e.credential(tok, map[string]any{"credential_configuration_id": "VerifiableId"}), 401, "invalid_token")
	})
	t.Run("unknown code", func(t *testing.T) {
		e.t = t
		wantError(t, e.token("nope", ""), 400, "invalid_grant")
	})
	t.Run("expired code", func(t *testing.T) {
		e.t = t
		code, tx, a := e.offer(twoConfigs)
		id := a.body["id"].(string)
		e.clock.Advance(11 * time.Minute)
		wantError(t, e.token(code, tx), 400, "invalid_grant")
		if got := e.get("/offers/" + id); got.status != 404 {
			t.Fatalf("expired offer served: %d", got.status)
		}
	})
	t.Run("five wrong tx_codes kill the code", func(t *testing.T) {
		e.t = t
		code, tx, _ := e.offer(twoConfigs)
		wrong := "000000"
		if wrong == tx {
			wrong = "111111"
		}
		for i := range 5 {
			a := e.token(code, wrong)
			wantError(t, a, 400, "invalid_grant")
			if i < 4 && !strings.Contains(a.body["error_description"].(string), "tries left") {
				t.Fatalf("try %d: %s", i+1, a.raw)
			}
		}
		// The 6th try, with the right code, is refused too.
		a := e.token(code, tx)
		wantError(t, a, 400, "invalid_grant")
		if !strings.Contains(a.body["error_description"].(string), "too many wrong") {
			t.Fatal(string(a.raw))
		}
	})
	t.Run("missing tx_code", func(t *testing.T) {
		e.t = t
		code, tx, _ := e.offer(twoConfigs)
		wantError(t, e.token(code, ""), 400, "invalid_request")
		e.accessToken(code, tx) // not a try: the right code still works
	})
	t.Run("tx_code when none was offered", func(t *testing.T) {
		e.t = t
		body := map[string]any{"credential_configuration_ids": []string{"VerifiableId"}, "claims": map[string]any{"givenName": "J"}, "tx_code": false}
		code, _, _ := e.offer(body)
		wantError(t, e.token(code, "123456"), 400, "invalid_request")
		e.accessToken(code, "")
	})
	t.Run("grant types and form", func(t *testing.T) {
		e.t = t
		wantError(t, e.postForm("/token", url.Values{"grant_type": {"authorization_code"}, "code": {"x"}}), 400, "unsupported_grant_type")
		wantError(t, e.postForm("/token", url.Values{"grant_type": {issuer.GrantPreAuthorizedCode}}), 400, "invalid_request")
		wantError(t, e.postForm("/token", url.Values{"grant_type": {issuer.GrantPreAuthorizedCode}, "pre-authorized_code": {"a", "b"}}), 400, "invalid_request")
		wantError(t, e.postJSON("/token", "", map[string]any{"grant_type": issuer.GrantPreAuthorizedCode}), 400, "invalid_request")
	})
	t.Run("authorization_details not offered", func(t *testing.T) {
		e.t = t
		code, tx, _ := e.offer(twoConfigs)
		f := url.Values{"grant_type": {issuer.GrantPreAuthorizedCode}, "pre-authorized_code": {code}, "tx_code": {tx},
			"authorization_details": {`[{"type":"openid_credential","credential_configuration_id":"VerifiableId_rdfc"}]`}}
		wantError(t, e.postForm("/token", f), 400, "invalid_request")
		e.accessToken(code, tx) // the code was not spent
	})
}

// TestCredentialBadInput: every proof and request check, each a clear
// code, and the token still good for a correct request afterwards (nothing
// was issued, nothing spent).
func TestCredentialBadInput(t *testing.T) {
	e := newEnv(t, "", nil)
	h := newHolder(t, false)
	other := otherKey()
	good := func(n string, s proofSpec) map[string]any {
		return map[string]any{"credential_configuration_id": "VerifiableId", "proofs": map[string]any{"jwt": []string{e.proof(h, n, s)}}}
	}
	cases := []struct {
		name   string
		body   func() any
		status int
		code   string
	}{
		{"unknown nonce", func() any { return good("not-a-nonce", proofSpec{}) }, 400, "invalid_nonce"},
		{"no nonce", func() any { return good(e.nonce(), proofSpec{claims: map[string]any{"nonce": nil}}) }, 400, "invalid_proof"},
		{"wrong aud", func() any { return good(e.nonce(), proofSpec{claims: map[string]any{"aud": "https://evil.example"}}) }, 400, "invalid_proof"},
		{"iat an hour ago", func() any {
			return good(e.nonce(), proofSpec{claims: map[string]any{"iat": e.clock.Now().Add(-time.Hour).Unix()}})
		}, 400, "invalid_proof"},
		{"iat an hour ahead", func() any {
			return good(e.nonce(), proofSpec{claims: map[string]any{"iat": e.clock.Now().Add(time.Hour).Unix()}})
		}, 400, "invalid_proof"},
		{"no iat", func() any { return good(e.nonce(), proofSpec{claims: map[string]any{"iat": nil}}) }, 400, "invalid_proof"},
		{"alg none", func() any { return e.bodyWith(e.unsigned(h, e.nonce())) }, 400, "invalid_proof"},
		{"kid and jwk", func() any { return good(e.nonce(), proofSpec{useJWK: true, header: map[string]any{"kid": h.kid}}) }, 400, "invalid_proof"},
		{"typ JWT", func() any { return good(e.nonce(), proofSpec{header: map[string]any{"typ": "JWT"}}) }, 400, "invalid_proof"},
		{"kid of another key", func() any { return good(e.nonce(), proofSpec{signer: other}) }, 400, "invalid_proof"},
		{"jwk of another key", func() any { return good(e.nonce(), proofSpec{signer: other, useJWK: true}) }, 400, "invalid_proof"},
		{"kid not a DID URL", func() any { return good(e.nonce(), proofSpec{header: map[string]any{"kid": "key-1"}}) }, 400, "invalid_proof"},
		{"private jwk", func() any { return e.bodyWith(e.privateJWKProof(h, e.nonce())) }, 400, "invalid_proof"},
		{"no proofs", func() any { return map[string]any{"credential_configuration_id": "VerifiableId"} }, 400, "invalid_proof"},
		{"proof, singular", func() any {
			return map[string]any{"credential_configuration_id": "VerifiableId", "proof": map[string]any{"proof_type": "jwt", "jwt": e.proof(h, e.nonce(), proofSpec{})}}
		}, 400, "invalid_proof"},
		{"two proofs", func() any {
			return map[string]any{"credential_configuration_id": "VerifiableId", "proofs": map[string]any{"jwt": []string{e.proof(h, e.nonce(), proofSpec{}), e.proof(h, e.nonce(), proofSpec{})}}}
		}, 400, "invalid_proof"},
		{"di_vp proofs", func() any {
			return map[string]any{"credential_configuration_id": "VerifiableId", "proofs": map[string]any{"di_vp": []any{map[string]any{}}}}
		}, 400, "invalid_proof"},
		{"unknown configuration", func() any {
			b := good(e.nonce(), proofSpec{})
			b["credential_configuration_id"] = "DriversLicence"
			return b
		}, 400, "unknown_credential_configuration"},
		{"configuration not in the token", func() any {
			b := good(e.nonce(), proofSpec{})
			b["credential_configuration_id"] = "VerifiableId_rdfc"
			return b
		}, 403, "insufficient_scope"},
		{"credential_identifier without authorization_details", func() any {
			return map[string]any{"credential_identifier": "VerifiableId", "proofs": map[string]any{"jwt": []string{e.proof(h, e.nonce(), proofSpec{})}}}
		}, 400, "invalid_credential_request"},
		{"both identifiers", func() any {
			b := good(e.nonce(), proofSpec{})
			b["credential_identifier"] = "VerifiableId"
			return b
		}, 400, "invalid_credential_request"},
		{"repeated member", func() any {
			return []byte(`{"credential_configuration_id":"VerifiableId","credential_configuration_id":"VerifiableId_jwt"}`)
		}, 400, "invalid_credential_request"},
		{"not an object", func() any { return []byte(`[1]`) }, 400, "invalid_credential_request"},
		{"format of the drafts", func() any { return map[string]any{"format": "ldp_vc"} }, 400, "invalid_credential_request"},
		{"encryption", func() any {
			b := good(e.nonce(), proofSpec{})
			b["credential_response_encryption"] = map[string]any{"enc": "A128GCM"}
			return b
		}, 400, "invalid_encryption_parameters"},
	}
	code, tx, _ := e.offer(twoConfigs)
	tok := e.accessToken(code, tx)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e.t = t
			wantError(t, e.credential2(tok, tc.body()), tc.status, tc.code)
		})
	}
	t.Run("reused nonce", func(t *testing.T) {
		e.t = t
		n := e.nonce()
		ok := e.credential(tok, good(n, proofSpec{}))
		if ok.status != 200 {
			t.Fatalf("%d %s", ok.status, ok.raw)
		}
		b := good(n, proofSpec{})
		b["credential_configuration_id"] = "VerifiableId_jwt"
		wantError(t, e.credential(tok, b), 400, "invalid_nonce")
		// A fresh nonce issues the token's other configuration.
		b = good(e.nonce(), proofSpec{})
		b["credential_configuration_id"] = "VerifiableId_jwt"
		if a := e.credential(tok, b); a.status != 200 {
			t.Fatalf("%d %s", a.status, a.raw)
		}
	})
	t.Run("no token", func(t *testing.T) {
		e.t = t
		a := e.credential("", good(e.nonce(), proofSpec{}))
		wantError(t, a, 401, "invalid_token")
		if !strings.HasPrefix(a.header.Get("WWW-Authenticate"), "Bearer") {
			t.Fatalf("WWW-Authenticate %q", a.header.Get("WWW-Authenticate"))
		}
	})
	t.Run("token after its lifetime", func(t *testing.T) {
		e.t = t
		code, tx, _ := e.offer(twoConfigs)
		tok := e.accessToken(code, tx)
		if a := e.credential(tok, good(e.nonce(), proofSpec{})); a.status != 200 {
			t.Fatalf("%d %s", a.status, a.raw)
		}
		e.clock.Advance(6 * time.Minute)
		b := good(e.nonce(), proofSpec{})
		b["credential_configuration_id"] = "VerifiableId_jwt"
		a := e.credential(tok, b)
		wantError(t, a, 401, "invalid_token")
		if !strings.Contains(a.header.Get("WWW-Authenticate"), `error="invalid_token"`) {
			t.Fatalf("WWW-Authenticate %q", a.header.Get("WWW-Authenticate"))
		}
	})
	checkLogs(t, e)
}

// credential2 posts a body given as a map or raw bytes.
func (e *env) credential2(tok string, body any) answer {
	e.t.Helper()
	return e.postJSON("/credential", tok, body)
}

func (e *env) bodyWith(proof string) map[string]any {
	return map[string]any{"credential_configuration_id": "VerifiableId", "proofs": map[string]any{"jwt": []string{proof}}}
}

// unsigned is an alg none proof.
func (e *env) unsigned(h *holderKey, nonce string) string {
	hdr := enc([]byte(`{"alg":"none","typ":"openid4vci-proof+jwt","kid":"` + h.kid + `"}`))
	payload := enc([]byte(`{"aud":"` + e.url + `","iat":` + itoa(e.clock.Now().Unix()) + `,"nonce":"` + nonce + `"}`))
	return hdr + "." + payload + "."
}

// privateJWKProof carries the holder's private key in its jwk header.
func (e *env) privateJWKProof(h *holderKey, nonce string) string {
	p := e.proof(h, nonce, proofSpec{useJWK: true})
	parts := strings.Split(p, ".")
	raw, _ := b64(parts[0])
	var hdr map[string]any
	_ = jsonUnmarshal(raw, &hdr)
	hdr["jwk"].(map[string]any)["d"] = "AAAA"
	nh, _ := jsonMarshal(hdr)
	return enc(nh) + "." + parts[1] + "." + parts[2]
}

// checkLogs: no secret the issuer handed out appears in its log.
func checkLogs(t *testing.T, e *env) {
	t.Helper()
	logs := e.logs.String()
	if !strings.Contains(logs, "credential issued") {
		t.Fatal("the log has no issuance line; is it captured?")
	}
	if strings.Contains(logs, "eyJ") {
		t.Fatal("the log holds a JWT")
	}
	for _, s := range e.secrets {
		if strings.Contains(logs, s) {
			t.Fatalf("the log holds a secret handed out: %q", s)
		}
	}
}
