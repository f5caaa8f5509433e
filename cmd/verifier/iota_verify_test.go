package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// `verifier verify` checks IOTA's JWT presentations offline with the
// service's checks and reports the format, the DID methods and the status
// checked.
func TestVerifyIOTAJWT(t *testing.T) {
	l := loadIOTALogin(t)
	testnet, mainnet := iotaNodes(t, l)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte(iotaDIDConfig(testnet, mainnet, "key, jwk, iota")+iotaDefinitions), 0o600); err != nil {
		t.Fatal(err)
	}
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	vp := write("vp.jwt", l.Tokens["vpJwk"]+"\n")
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
	code, r, _ = verifyRun(t, write("answer.json", string(answer)), "--definition", "iota-degree", "--config", cfg)
	if code != 1 || r.Valid || r.Reason != "revoked" {
		t.Fatalf("revoked: exit %d reason %s\n%v", code, r.Reason, outcomes(r))
	}
	if !slices.Contains(outcomes(r), o("presentation_submission", "pex", "input_descriptors", "passed")) {
		t.Errorf("PEX not run: %v", outcomes(r))
	}

	// A credential JWT on its own.
	code, r, _ = verifyRun(t, write("vc.jwt", l.Tokens["vcExpired"]), "--config", cfg)
	if code != 1 || r.Kind != "credential" || r.Reason != "credential_expired" {
		t.Errorf("expired credential: exit %d kind %s reason %s", code, r.Kind, r.Reason)
	}
}
