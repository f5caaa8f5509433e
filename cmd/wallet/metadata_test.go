package main

import (
	"bytes"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
)

// TestSDJWTIssuerByMetadata: with sd_jwt.iss: url the issuer names itself
// in its SD-JWT VCs by its https identifier (here a TLS front of the test's
// before the built issuer) and publishes its key at
// /.well-known/jwt-vc-issuer; the wallet checks the credential with that
// key, and the built verifier, told to trust that host's CA for issuer
// metadata (sd_jwt.issuer_metadata.ca_file; allow_private_addresses for
// this loopback host), fetches it and logs the holder in over 1.0.
func TestSDJWTIssuerByMetadata(t *testing.T) {
	dir := t.TempDir()
	var target atomic.Pointer[url.URL]
	front := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httputil.NewSingleHostReverseProxy(target.Load()).ServeHTTP(w, r)
	}))
	defer front.Close()
	caFile := filepath.Join(dir, "front-ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: front.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}

	issuerYAML, err := os.ReadFile(filepath.Join(repo, "issuer.yaml"))
	if err != nil || !bytes.Contains(issuerYAML, []byte("sd_jwt:\n  iss: did\n")) {
		t.Fatalf("issuer.yaml no longer ships sd_jwt.iss: did (%v)", err)
	}
	_ = os.WriteFile(filepath.Join(dir, "issuer.yaml"), bytes.Replace(issuerYAML, []byte("sd_jwt:\n  iss: did\n"), []byte("sd_jwt:\n  iss: url\n"), 1), 0o600)
	shipped, _ := os.ReadFile(filepath.Join(repo, "config.yaml"))
	verifierYAML := string(shipped) + "\nsd_jwt:\n  issuer_metadata:\n    allow_private_addresses: true\n    ca_file: " + caFile + "\n"
	_ = os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(verifierYAML), 0o600)

	verifier := startService(t, bins["verifier"], dir, nil, "--listen", "127.0.0.1:0")
	iss := startService(t, bins["issuer"], dir, []string{"ISSUER_API_KEY=" + apiKey}, "--listen", "127.0.0.1:0", "--public-url", front.URL)
	if iss.URL != front.URL {
		t.Fatalf("the issuer is %s, not %s", iss.URL, front.URL)
	}
	back := regexpListen.FindStringSubmatch(iss.Logs())
	if back == nil {
		t.Fatalf("no listen address in:\n%s", iss.Logs())
	}
	u, _ := url.Parse("http://" + back[1])
	target.Store(u)

	// The operator's offer, through the TLS front.
	req, _ := http.NewRequest(http.MethodPost, front.URL+"/api/v1/offers", strings.NewReader(
		`{"credential_configuration_ids":["VerifiableId_SD_JWT"],"claims":{"givenName":"Jane","familyName":"Doe","birthDate":"1993-04-08"}}`))
	req.Header.Set("Authorization", "Bearer "+apiKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := front.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var o struct {
		OfferURI string `json:"offer_uri"`
		TxCode   string `json:"tx_code"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&o)
	resp.Body.Close()

	// The wallet trusts the front's CA as a system root would be.
	home := t.TempDir()
	env := []string{"SSL_CERT_FILE=" + caFile}
	out, err := walletEnv(home, env, "receive", o.OfferURI, "--tx-code", o.TxCode)
	if err != nil || !strings.Contains(out, "Stored credential 1: VerifiableId_SD_JWT (dc+sd-jwt), issuer signature verified") {
		t.Fatalf("receive: %v\n%s", err, out)
	}
	s := &stack{verifier: verifier, issuer: iss, dir: dir}
	se := s.loginWith(t, "cross-device", "verifiable-id", "1.0")
	out, err = walletEnv(home, env, "present", se.Request, "--yes")
	if err != nil || !strings.Contains(out, "from "+front.URL+" (dc+sd-jwt)") {
		t.Fatalf("present: %v\n%s", err, out)
	}
	st := s.status(t, se)
	res, _ := st["result"].(map[string]any)
	creds, _ := res["credentials"].([]any)
	if st["status"] != "verified" || len(creds) != 1 || creds[0].(map[string]any)["issuer"] != front.URL {
		t.Fatalf("session: %v", st)
	}
}

// regexpListen finds the issuer's own address in its listening line.
var regexpListen = regexp.MustCompile(`msg=listening addr=(\S+)`)

// walletEnv runs the built wallet with more environment.
func walletEnv(home string, env []string, args ...string) (string, error) {
	cmd := exec.Command(bins["wallet"], append([]string{"--home", home}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}
