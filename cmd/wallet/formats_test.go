package main

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// anyFormat is a verifier config (only the contract's key, every default)
// whose definition takes a VerifiableId as each format the issuer makes.
const anyFormat = `presentation_definitions:
  - id: any-verifiable-id
    input_descriptors:
      - id: vid
        format:
          ldp_vc: {proof_type: [JcsEd25519Signature2020, DataIntegrityProof]}
          jwt_vc_json: {alg: [EdDSA, ES256]}
        constraints:
          fields:
            - path: ["$.type", "$.vc.type"]
              filter: {type: array, contains: {const: VerifiableId}}
`

// TestEveryFormatLogsIn: a credential of each configuration the shipped
// issuer.yaml offers (ldp_vc with JcsEd25519Signature2020, ldp_vc with
// eddsa-rdfc-2022, jwt_vc_json) logs in, presented as ldp_vp or
// jwt_vp_json by the wallet.
func TestEveryFormatLogsIn(t *testing.T) {
	s := startStack(t, "", anyFormat)
	for cfg, vpFormat := range map[string]string{"VerifiableId": "ldp_vp", "VerifiableId_DataIntegrity": "ldp_vp", "VerifiableId_JWT": "jwt_vp_json"} {
		t.Run(cfg, func(t *testing.T) {
			home := t.TempDir()
			uri, tx := s.offer(t, cfg)
			if out, err := walletRun(t, home, "", "receive", uri, "--tx-code", tx); err != nil {
				t.Fatalf("receive: %v\n%s", err, out)
			}
			se := s.login(t, "cross-device", "any-verifiable-id")
			out, err := walletRun(t, home, "", "present", se.Request, "--yes")
			if err != nil || !strings.Contains(out, "as a "+vpFormat) {
				t.Fatalf("present: %v\n%s", err, out)
			}
			st := s.status(t, se)
			if st["status"] != "verified" {
				t.Fatalf("%v", st)
			}
			if got, _ := walletRun(t, home, "", "list"); !strings.Contains(got, "VerifiableId") {
				t.Fatalf("list:\n%s", got)
			}
			if got, _ := walletRun(t, home, "", "show", "1"); !strings.Contains(got, `"givenName": "Jane"`) || strings.Contains(got, `"d":`) {
				t.Fatalf("show:\n%s", got)
			}
		})
	}
}

// TestQRCodes: the wallet reads the issuer's offer and the verifier's
// request from their PNG QR codes (--qr), as a camera would.
func TestQRCodes(t *testing.T) {
	s := startStack(t, "", "")
	home, dir := t.TempDir(), t.TempDir()
	b := newBrowser(t)
	var o struct {
		TxCode string `json:"tx_code"`
		QRPNG  string `json:"qr_png"`
	}
	if st := b.json(http.MethodPost, s.issuer.URL+"/demo/offers", nil, &o); st != 201 {
		t.Fatalf("demo offer: %d", st)
	}
	save := func(u, name string) string {
		resp, err := b.c.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, raw, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	if out, err := walletRun(t, home, "", "receive", "--qr", save(s.issuer.URL+o.QRPNG, "offer.png"), "--tx-code", o.TxCode); err != nil {
		t.Fatalf("receive: %v\n%s", err, out)
	}
	se := s.login(t, "cross-device", "verifiable-id")
	qr := save(s.verifier.URL+"/api/v1/sessions/"+se.ID+"/qr.png", "login.png")
	if out, err := walletRun(t, home, "", "present", "--qr", qr, "--yes"); err != nil {
		t.Fatalf("present: %v\n%s", err, out)
	}
	if st := s.status(t, se); st["status"] != "verified" {
		t.Fatalf("%v", st)
	}
}

// TestDeclineAndRefusals: answering "n" declines (the login fails with the
// wallet's access_denied); a wrong tx_code, an unknown credential number
// and a request nothing answers are clear errors.
func TestDeclineAndRefusals(t *testing.T) {
	s := startStack(t, "", "")
	home := t.TempDir()
	uri, tx := s.offer(t, "VerifiableId")
	wrong := "000000"
	if tx == wrong {
		wrong = "111111"
	}
	if out, err := walletRun(t, home, "", "receive", uri, "--tx-code", wrong); err == nil || !strings.Contains(out, "invalid_grant") {
		t.Fatalf("a wrong tx code: %v\n%s", err, out)
	}
	if out, err := walletRun(t, home, "", "receive", uri, "--tx-code", tx); err != nil {
		t.Fatalf("receive: %v\n%s", err, out)
	}
	se := s.login(t, "cross-device", "verifiable-id")
	out, err := walletRun(t, home, "n\n", "present", se.Request)
	if err != nil || !strings.Contains(out, "Share? [y/N]") || !strings.Contains(out, "Declined") {
		t.Fatalf("decline: %v\n%s", err, out)
	}
	st := s.status(t, se)
	if st["status"] != "failed" || !strings.Contains(stringify(st["error"]), "access_denied") {
		t.Fatalf("%v", st)
	}
	if out, err := walletRun(t, home, "", "show", "7"); err == nil || !strings.Contains(out, "no credential 7") {
		t.Fatalf("show 7: %v %s", err, out)
	}
	if out, err := walletRun(t, t.TempDir(), "", "present", s.login(t, "cross-device", "verifiable-id").Request, "--yes"); err == nil ||
		!strings.Contains(out, "no credential in this wallet answers the request") {
		t.Fatalf("an empty wallet: %v\n%s", err, out)
	}
	if out, err := walletRun(t, home, "", "present"); err == nil || !strings.Contains(out, "usage") {
		t.Fatalf("no request: %v\n%s", err, out)
	}
}

func stringify(v any) string {
	m, _ := v.(map[string]any)
	var b strings.Builder
	for k, x := range m {
		b.WriteString(k + "=" + toString(x) + " ")
	}
	return b.String()
}

func toString(v any) string {
	s, _ := v.(string)
	return s
}
