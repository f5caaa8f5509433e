package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const apiKey = "wallet-e2e-api-key-0123456789"

// stack is a verifier and an issuer, as the repository ships them.
type stack struct {
	verifier, issuer *service
	dir              string
}

func startStack(t *testing.T, redis string, verifierConfig string) *stack {
	t.Helper()
	dir := t.TempDir()
	copyFile(t, "issuer.yaml", dir)
	if verifierConfig == "" {
		copyFile(t, "config.yaml", dir)
	} else if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(verifierConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	var extra []string
	if redis != "" {
		extra = []string{"--redis", redis}
	}
	s := &stack{dir: dir}
	s.verifier = startService(t, bins["verifier"], dir, nil, append([]string{"--listen", "127.0.0.1:0"}, extra...)...)
	s.issuer = startService(t, bins["issuer"], dir, []string{"ISSUER_API_KEY=" + apiKey}, append([]string{"--listen", "127.0.0.1:0"}, extra...)...)
	return s
}

// offer makes an offer of configuration with the operator API.
func (s *stack) offer(t *testing.T, configuration string) (uri, tx string) {
	t.Helper()
	return s.offerClaims(t, configuration, `{"givenName":"Jane","familyName":"Doe"}`)
}

// offerClaims makes an offer of configuration with claims (JSON).
func (s *stack) offerClaims(t *testing.T, configuration, claims string) (uri, tx string) {
	t.Helper()
	b := newBrowser(t)
	var o struct {
		OfferURI string `json:"offer_uri"`
		TxCode   string `json:"tx_code"`
	}
	req, _ := http.NewRequest(http.MethodPost, s.issuer.URL+"/api/v1/offers", strings.NewReader(
		`{"credential_configuration_ids":["`+configuration+`"],"claims":`+claims+`}`))
	req.Header.Set("Authorization", "Bearer "+apiKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("offer: %d", resp.StatusCode)
	}
	if err := jsonDecode(resp.Body, &o); err != nil {
		t.Fatal(err)
	}
	return o.OfferURI, o.TxCode
}

// session starts a login as the demo page's script does.
type session struct {
	ID, Request, Token string
	browser            *browser
}

func (s *stack) login(t *testing.T, flow, definition string) *session {
	t.Helper()
	b := newBrowser(t)
	var out struct {
		ID                   string `json:"id"`
		AuthorizationRequest string `json:"authorization_request"`
		StatusToken          string `json:"status_token"`
	}
	if st := b.json(http.MethodPost, s.verifier.URL+"/api/v1/sessions", map[string]string{"definition": definition, "flow": flow}, &out); st != 201 {
		t.Fatalf("start session: %d", st)
	}
	return &session{ID: out.ID, Request: out.AuthorizationRequest, Token: out.StatusToken, browser: b}
}

// status reads the session as the page that started it does (its cookie).
func (s *stack) status(t *testing.T, se *session) map[string]any {
	t.Helper()
	var out map[string]any
	se.browser.json(http.MethodGet, s.verifier.URL+"/api/v1/sessions/"+se.ID, nil, &out)
	return out
}

// TestReceiveAndLogIn: the wallet receives from the issuer and logs in to
// the verifier, cross-device and same-device, on memory and on Redis, all
// three built programs talking over HTTP.
func TestReceiveAndLogIn(t *testing.T) {
	for _, store := range []string{"memory", "redis"} {
		t.Run(store, func(t *testing.T) {
			redis := ""
			if store == "redis" {
				redis = redisURL(t)
			}
			s := startStack(t, redis, "")
			home := t.TempDir()
			uri, tx := s.offer(t, "VerifiableId")
			out, err := walletRun(t, home, "", "receive", uri, "--tx-code", tx)
			if err != nil || !strings.Contains(out, "Stored credential 1: VerifiableId (ldp_vc), issuer signature verified") {
				t.Fatalf("receive: %v\n%s", err, out)
			}
			did, _ := walletRun(t, home, "", "did")
			did = strings.TrimSpace(did)
			checkHome(t, home)

			// Cross-device: the wallet answers the QR code's request; the
			// page polling the session sees the login.
			se := s.login(t, "cross-device", "verifiable-id")
			out, err = walletRun(t, home, "", "present", se.Request, "--yes")
			if err != nil || !strings.Contains(out, "The verifier accepted the presentation.") {
				t.Fatalf("present: %v\n%s", err, out)
			}
			st := s.status(t, se)
			res, _ := st["result"].(map[string]any)
			if st["status"] != "verified" || res["holder"] != did {
				t.Fatalf("session: %v (wallet %s)", st, did)
			}

			// Same-device: the wallet says where the browser goes; there
			// the page says the holder is logged in.
			se = s.login(t, "same-device", "verifiable-id")
			out, err = walletRun(t, home, "", "present", se.Request, "--yes")
			if err != nil {
				t.Fatalf("present: %v\n%s", err, out)
			}
			lines := strings.Split(strings.TrimSpace(out), "\n")
			next := lines[len(lines)-1]
			if !strings.HasPrefix(next, s.verifier.URL) {
				t.Fatalf("no browser URL:\n%s", out)
			}
			if page := se.browser.page(next); !strings.Contains(page, "You are logged in.") {
				t.Fatalf("the result page:\n%s", page)
			}
			if !strings.Contains(s.verifier.Logs(), "store="+store) || !strings.Contains(s.issuer.Logs(), "store="+store) {
				t.Fatal("not on the store asked for")
			}
		})
	}
}

// checkHome: every file 0600, every directory 0700, and the private key in
// no output of the wallet's read commands.
func checkHome(t *testing.T, home string) {
	t.Helper()
	_ = filepath.WalkDir(home, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		fi, _ := d.Info()
		want := os.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if path != home && fi.Mode().Perm() != want {
			t.Errorf("%s is %04o, want %04o", path, fi.Mode().Perm(), want)
		}
		return nil
	})
	var key struct{ D string }
	raw, _ := os.ReadFile(filepath.Join(home, "key.json"))
	if err := json.Unmarshal(raw, &key); err != nil || key.D == "" {
		t.Fatalf("key.json: %v", err)
	}
	for _, args := range [][]string{{"did"}, {"list"}, {"show", "1"}} {
		out, _ := walletRun(t, home, "", args...)
		if strings.Contains(out, key.D) {
			t.Fatalf("wallet %v prints the private key", args)
		}
	}
}
