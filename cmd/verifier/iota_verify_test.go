package main

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/loginwithiota/verifier/internal/testshared"
)

// `verifier verify` checks IOTA's JWT presentations offline with the
// service's checks and reports the format, the DID methods and the status
// checked.
func TestVerifyIOTAJWT(t *testing.T) {
	l := loadIOTALogin(t)
	testnet, mainnet := iotaNodes(t, l)
	cfg := testshared.WriteTemp(t, "config.yaml", iotaDIDConfig(testnet, mainnet, "key, jwk, iota")+iotaDefinitions)
	vp := testshared.WriteTemp(t, "vp.jwt", l.Tokens["vpJwk"]+"\n")
	code, r, stderr := verifyRun(t, vp, "--challenge", l.Nonce, "--domain", l.Audience, "--config", cfg)
	if code != 0 || !r.Valid {
		t.Fatalf("exit %d %s\n%v", code, stderr, outcomes(r))
	}
	if !slices.Equal(r.Formats, []string{"jwt_vp_json"}) || !slices.Equal(r.DIDMethods, []string{"iota", "jwk"}) || r.Kind != "presentation" {
		t.Errorf("formats %v, did methods %v, kind %s", r.Formats, r.DIDMethods, r.Kind)
	}
	for _, want := range []string{
		o("presentation 0", "vp_proof", "signature", "passed"),
		o("presentation 0", "vp_proof", "nonce", "passed"),
		o("presentation 0", "vp_proof", "audience", "passed"),
		o("presentation 0 credential 0", "vc_proof", "signature", "passed"),
		o("presentation 0 credential 0", "issuer", "issuer_is_signer", "passed"),
		o("presentation 0", "holder_binding", "holder_is_signer", "passed"),
		o("presentation 0 credential 0", "status", "credential_status", "passed"),
	} {
		if !slices.Contains(outcomes(r), want) {
			t.Errorf("missing %q in\n%v", want, outcomes(r))
		}
	}
	for _, c := range r.Checks {
		if c.Check == "credential_status" && c.Detail != "RevocationBitmap2022: active" {
			t.Errorf("status detail %q", c.Detail)
		}
	}

	// A wallet's whole answer, with the definition; and the revoked one.
	answer, _ := json.Marshal(map[string]any{"vp_token": l.Tokens["vpJwkRevoked"], "presentation_submission": json.RawMessage(jwtSubmission("iota-degree", "degree", 0))})
	code, r, _ = verifyRun(t, testshared.WriteTemp(t, "answer.json", string(answer)), "--definition", "iota-degree", "--config", cfg)
	if code != 1 || r.Valid || r.Reason != "revoked" {
		t.Fatalf("revoked: exit %d reason %s\n%v", code, r.Reason, outcomes(r))
	}
	if !slices.Contains(outcomes(r), o("presentation_submission", "pex", "input_descriptors", "passed")) {
		t.Errorf("PEX not run: %v", outcomes(r))
	}

	// A credential JWT on its own.
	code, r, _ = verifyRun(t, testshared.WriteTemp(t, "vc.jwt", l.Tokens["vcExpired"]), "--config", cfg)
	if code != 1 || r.Kind != "credential" || r.Reason != "credential_expired" {
		t.Errorf("expired credential: exit %d kind %s reason %s", code, r.Kind, r.Reason)
	}
}
