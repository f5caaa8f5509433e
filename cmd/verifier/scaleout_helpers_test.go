package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/internal/testshared"
	"github.com/loginwithiota/verifier/pex"
	"github.com/loginwithiota/verifier/testwallet"
)

// node is one instance of the service on a Redis target of the test's.
type node struct {
	redisURL, prefix, listen, publicURL string
	extra                               string // more config lines (top-level keys)
}

// open starts the program; the test closes it (restarts need that).
func (n node) open(t *testing.T) *Program {
	t.Helper()
	cfg := shippedConfig(t)
	cfg = strings.Replace(cfg, "definition_by_value: false", "definition_by_value: true", 1) // one request fewer per login
	cfg = "redis:\n  key_prefix: \"" + n.prefix + "\"\n" + n.extra + strings.Replace(cfg, "# redis:", "# (redis set above)", 1)
	if n.listen == "" {
		n.listen = "127.0.0.1:0"
	}
	p, err := Open(context.Background(), Options{ConfigPath: testshared.WriteTemp(t, "config.yaml", relaxLimits(cfg)),
		Listen: n.listen, PublicURL: n.publicURL, RedisURL: n.redisURL}, io.Discard)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	return p
}

// balancer spreads requests round-robin over the instances that are up,
// and tries the next one when an instance refuses the connection (it is
// being restarted), as a load balancer with health checks does.
type balancer struct {
	mu    sync.Mutex
	up    []string // base URLs
	next  atomic.Int64
	front *http.Server
	URL   string
}

func (b *balancer) set(urls ...string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.up = urls
}

func (b *balancer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	b.mu.Lock()
	up := append([]string(nil), b.up...)
	b.mu.Unlock()
	start := int(b.next.Add(1))
	var lastErr error
	for i := range 3 * len(up) {
		base := up[(start+i)%len(up)]
		req, _ := http.NewRequestWithContext(r.Context(), r.Method, base+r.URL.RequestURI(), bytes.NewReader(body))
		req.Header = r.Header.Clone()
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			lastErr = err
			continue
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
		return
	}
	http.Error(w, fmt.Sprintf(`{"error":"temporarily_unavailable","error_description":"no instance answered: %T"}`, lastErr), http.StatusBadGateway)
}

// loginWallet answers requests like testwallet.Wallet, choosing its
// credential once: many logins cost a signature each, not a selection.
type loginWallet struct {
	holder *testwallet.Party
	once   sync.Once
	creds  []map[string]any
	sub    *pex.Submission
	err    error
	w      *testwallet.Wallet
}

func newLoginWallet(t *testing.T) *loginWallet {
	pp := newPeople(t)
	return &loginWallet{holder: pp.holder, w: &testwallet.Wallet{Holder: pp.holder, Credentials: []map[string]any{pp.idCard}}}
}

func (lw *loginWallet) answer(r *testwallet.Request) (testwallet.Answer, error) {
	lw.once.Do(func() { lw.creds, lw.sub, lw.err = lw.w.Choose(r) })
	if lw.err != nil {
		return testwallet.Answer{}, lw.err
	}
	vp, err := lw.holder.Present(lw.creds, r.Nonce, r.ClientID)
	if err != nil {
		return testwallet.Answer{}, err
	}
	return testwallet.Answer{VPToken: vp, Submission: lw.sub, State: r.State}, nil
}

// startedLogin is a login created on the website's side and read by the wallet.
type startedLogin struct {
	c       created
	req     *testwallet.Request
	code    int // the wallet post's answer, 0 before
	attempt int
}

// startLogins creates n logins through base.
func startLogins(t *testing.T, client *http.Client, base string, n int) []*startedLogin {
	t.Helper()
	s := &site{t: t, base: base, http: client}
	out := make([]*startedLogin, n)
	for i := range out {
		c := s.start("verifiable-id", "cross-device")
		r, err := testwallet.ParseRequest(context.Background(), client, c.AuthorizationRequest)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = &startedLogin{c: c, req: r}
	}
	return out
}

// answerVia posts the wallet's answer to the instance at base (whatever
// response URI the request named: the load balancer's job).
func (l *startedLogin) answerVia(client *http.Client, base string, w *loginWallet) error {
	a, err := w.answer(l.req)
	if err != nil {
		return err
	}
	uri := l.req.ResponseURI
	if i := strings.Index(uri, "/oid4vp/"); i >= 0 {
		uri = base + uri[i:]
	}
	resp, _, err := testwallet.Post(context.Background(), client, uri, a)
	l.attempt++
	if err != nil {
		return err
	}
	l.code = resp.StatusCode
	return nil
}

// statusVia reads the login's status through base.
func (l *startedLogin) statusVia(t *testing.T, client *http.Client, base string) string {
	t.Helper()
	s := &site{t: t, base: base, http: client}
	return s.status(l.c).Status
}

type testwalletRequest = testwallet.Request

var testwalletParse = testwallet.ParseRequest

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// settledStatus reads the login's status through base, asking again while
// the service answers 503 (a store that is failing over): what counts is
// what it says once it answers.
func (l *startedLogin) settledStatus(t *testing.T, client *http.Client, base string) string {
	t.Helper()
	s := &site{t: t, base: base, http: client}
	var code int
	var body []byte
	eventually(t, 20*time.Second, "a status answer other than 503", func() bool {
		code, _, body = s.do("GET", l.c.StatusURL, "", "", map[string]string{"Authorization": "Bearer " + l.c.StatusToken})
		return code != http.StatusServiceUnavailable
	})
	var st status
	if code != http.StatusOK || json.Unmarshal(body, &st) != nil {
		return fmt.Sprintf("%d %s", code, body)
	}
	return st.Status
}
