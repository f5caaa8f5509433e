package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/loginwithiota/verifier/testwallet"
)

// Every answer any test of this package reads from the service goes
// through leakCheck (it wraps http.DefaultTransport, which the tests'
// clients use): an error description — in an error answer, in a failed
// session's status, on the result page — must never hold internal detail.
// That drives every failing-login case of the suite through the check;
// TestMain fails the run if one leaked.

// leakWords are what dex's leak test and our issue list: dialing, host
// lookups, TLS, library names, source positions, stacks, addresses.
var leakWords = regexp.MustCompile(`dial tcp|lookup |x509:|go-jose|json-gold|\.go:\d|goroutine|connection refused|\bEOF\b|\b\d{1,3}(\.\d{1,3}){3}\b|\[::1?\]|no such host`)

type leakCheck struct {
	inner http.RoundTripper
	mu    sync.Mutex
	found []string
}

var leaks = &leakCheck{inner: http.DefaultTransport}

func TestMain(m *testing.M) {
	http.DefaultTransport = leaks
	code := m.Run()
	if len(leaks.found) > 0 {
		fmt.Fprintf(os.Stderr, "error descriptions leaked internal detail:\n  %s\n", strings.Join(leaks.found, "\n  "))
		code = 1
	}
	os.Exit(code)
}

func (l *leakCheck) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := l.inner.RoundTrip(req)
	if err != nil || resp.Body == nil || strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		return resp, err
	}
	body, rerr := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if rerr != nil {
		return resp, nil
	}
	for _, d := range descriptions(resp.Header.Get("Content-Type"), body) {
		if w := leakWords.FindString(d); w != "" {
			l.mu.Lock()
			l.found = append(l.found, fmt.Sprintf("%s %s: %q in %q", req.Method, req.URL.Path, w, d))
			l.mu.Unlock()
		}
	}
	return resp, nil
}

// descriptions are the error texts of an answer: every error_description
// of a JSON body (the error itself, a failed session's error), and the
// detail line of our result page.
func descriptions(contentType string, body []byte) []string {
	switch {
	case strings.HasPrefix(contentType, "application/json"):
		var v any
		if json.Unmarshal(body, &v) != nil {
			return nil
		}
		var out []string
		var walk func(any)
		walk = func(v any) {
			switch t := v.(type) {
			case map[string]any:
				for k, x := range t {
					if s, ok := x.(string); ok && k == "error_description" {
						out = append(out, s)
					}
					walk(x)
				}
			case []any:
				for _, x := range t {
					walk(x)
				}
			}
		}
		walk(v)
		return out
	case strings.HasPrefix(contentType, "text/html"):
		if m := resultDetail.FindSubmatch(body); m != nil {
			return []string{string(m[1])}
		}
	}
	return nil
}

var resultDetail = regexp.MustCompile(`(?s)class="detail"[^>]*>(.*?)<`)

// The checker itself: it catches a leaking description, and passes a
// clean one.
func TestLeakCheckCatches(t *testing.T) {
	for body, bad := range map[string]bool{
		`{"error":"invalid_request","error_description":"presentation 0: the DID of its key cannot be resolved"}`:                         false,
		`{"error":"invalid_request","error_description":"resolve did:web:x: dial tcp: lookup x on 10.0.0.2:53: no such host"}`:            true,
		`{"status":"failed","error":{"error":"invalid_request","error_description":"go-jose/go-jose: error in cryptographic primitive"}}`: true,
	} {
		var hit bool
		for _, d := range descriptions("application/json", []byte(body)) {
			hit = hit || leakWords.MatchString(d)
		}
		if hit != bad {
			t.Errorf("%s: leak %v, want %v", body, hit, bad)
		}
	}
}

// The failures whose causes carry network internals — a did:web on a
// refused address, an unknown host, a closed port, an untrusted
// certificate — answer the same safe text: nothing says which it was, so
// a wallet cannot map the verifier's network with did:web.
func TestNoLeakOnNetworkFailures(t *testing.T) {
	tlsHost := httptest.NewTLSServer(http.NotFoundHandler())
	defer tlsHost.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closedAddr := closed.Listener.Addr().String()
	closed.Close()
	webDID := func(hostport string) string { return "did:web:" + strings.ReplaceAll(hostport, ":", "%3A") }
	cases := []struct {
		name, holder string
		private      bool
	}{
		{"loopback refused", webDID("127.0.0.1:9"), false},
		{"localhost refused", webDID("localhost:9"), false},
		{"unknown host", "did:web:no-such-host.invalid", false},
		{"closed port", webDID(closedAddr), true},
		{"untrusted certificate", webDID(tlsHost.Listener.Addr().String()), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			repl := map[string]string{"methods: [key, jwk]": "methods: [key, jwk, web]"}
			if tc.private {
				repl["allow_private_addresses: false  # true only for an intranet: lets a DID reach private addresses"] = "allow_private_addresses: true"
			}
			p := instance{store: "memory", replace: repl}.start(t)
			s := newSite(t, p)
			pp := newPeople(t)
			h := &hostile{t: t, s: s, c: s.start("verifiable-id", "cross-device")}
			r, err := testwallet.ParseRequest(context.Background(), http.DefaultClient, h.c.AuthorizationRequest)
			if err != nil {
				t.Fatal(err)
			}
			h.req = r
			vp, err := pp.holder.Present([]map[string]any{pp.idCard}, r.Nonce, r.ClientID)
			if err != nil {
				t.Fatal(err)
			}
			vp["holder"] = tc.holder
			vp["proof"].(map[string]any)["verificationMethod"] = tc.holder + "#key-1"
			code, reason, st := h.post(testwallet.Answer{VPToken: vp, Submission: ldSubmission("verifiable-id", "verifiable-id-credential", "$.verifiableCredential[0]")})
			if code != 400 || reason != "invalid_vp_proof" || st.Error == nil {
				t.Fatalf("%d %s %+v", code, reason, st)
			}
			if want := "presentation 0: the DID of its key cannot be resolved"; st.Error.Description != want {
				t.Errorf("description %q, want %q", st.Error.Description, want)
			}
		})
	}
}
