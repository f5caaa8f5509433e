package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/loginwithiota/verifier/internal/testshared"
	"github.com/loginwithiota/verifier/testwallet"
	"github.com/loginwithiota/verifier/web"
	"github.com/loginwithiota/verifier/webhook"
)

// The tests' signing secrets and operator key (made once per run from
// crypto/rand, as an operator would with "verifier webhooks secret").
var (
	hookSecret     = webhook.NewSecret()
	hookOldSecret  = webhook.NewSecret()
	sessionSecret  = webhook.NewSecret()
	hookOperator   = "operator-" + randomHex(24)
	hookAwaitLimit = 30 * time.Second
)

// hookReceiver is a website's webhook endpoint on loopback: it answers
// each request with status(n), n counting the requests of that event so
// far (1 for the first), and keeps what it got.
type hookReceiver struct {
	t      *testing.T
	srv    *httptest.Server
	status func(n int) int

	mu  sync.Mutex
	got []hookRequest
	per map[string]int
}

type hookRequest struct {
	header http.Header
	body   []byte
}

func newHookReceiver(t *testing.T, status func(n int) int) *hookReceiver {
	return newHookReceiverWith(t, status, nil)
}

// newHookReceiverWith serves the receiver behind wrap (nil: none).
func newHookReceiverWith(t *testing.T, status func(n int) int, wrap func(http.Handler) http.Handler) *hookReceiver {
	r := &hookReceiver{t: t, status: status, per: map[string]int{}}
	var h http.Handler = r
	if wrap != nil {
		h = wrap(r)
	}
	r.srv = httptest.NewServer(h)
	t.Cleanup(r.srv.Close)
	return r
}

func (r *hookReceiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.got = append(r.got, hookRequest{header: req.Header.Clone(), body: body})
	id := req.Header.Get("webhook-id")
	r.per[id]++
	n := r.per[id]
	r.mu.Unlock()
	w.WriteHeader(r.status(n))
}

func (r *hookReceiver) requests() []hookRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]hookRequest(nil), r.got...)
}

// verify checks every request's signature with the Standard Webhooks
// library, once per secret given (a rotation: each must verify), and
// returns the payloads.
func (r *hookReceiver) verify(secrets ...string) []webhook.Payload {
	r.t.Helper()
	var out []webhook.Payload
	for _, req := range r.requests() {
		for _, s := range secrets {
			wh, err := standardwebhooks.NewWebhook(s)
			if err != nil {
				r.t.Fatal(err)
			}
			if err := wh.Verify(req.body, req.header); err != nil {
				r.t.Errorf("standardwebhooks: %v\n%s", err, req.body)
			}
		}
		var p webhook.Payload
		if err := json.Unmarshal(req.body, &p); err != nil {
			r.t.Fatalf("payload %s: %v", req.body, err)
		}
		out = append(out, p)
	}
	return out
}

// hooksYAML is a webhooks section with endpoint, webhook_url allowed on
// loopback, a fast schedule for tests and the operator key.
func hooksYAML(endpoint string, extra ...string) string {
	return fmt.Sprintf(`
webhooks:
  endpoints:
    - url: %s
      secrets: [%s, %s]
      definitions: [verifiable-id]
  allowed_hosts: ["127.0.0.1"]
  secrets: [%s]
  include_result: false
  allow_http: true
  allow_private_addresses: true
  timeout: 2s
  lease: 3s
  poll_interval: 20ms
  resync_interval: 100ms
  expiry_interval: 50ms
  retry: {initial_interval: 20ms, max_interval: 80ms}
  operator_key: %s
%s`, endpoint, hookSecret, hookOldSecret, sessionSecret, hookOperator, strings.Join(extra, "\n"))
}

// hookedService is the program on a config of the test's, reopened on
// the same store (prefix) across restarts.
type hookedService struct {
	t        *testing.T
	path     string
	redisURL string
	prefix   string
	p        *Program
}

func newHookedService(t *testing.T, store, hooks string, edit ...func(string) string) *hookedService {
	cfg := shippedConfig(t)
	for _, e := range edit {
		cfg = e(cfg)
	}
	h := &hookedService{t: t}
	if store == "redis" {
		requireRedis(t)
		h.prefix = "test:hooks:" + randomHex(6) + ":"
		h.redisURL = "redis://" + redisAddr() + "/0"
		cfg = "redis:\n  key_prefix: \"" + h.prefix + "\"\n" + strings.Replace(cfg, "# redis:", "# (redis set above)", 1)
	}
	h.path = testshared.WriteTemp(t, "config.yaml", relaxLimits(cfg+hooks))
	h.open()
	t.Cleanup(func() { h.close() })
	return h
}

func (h *hookedService) open() {
	h.t.Helper()
	p, err := Open(context.Background(), Options{ConfigPath: h.path, Listen: "127.0.0.1:0", RedisURL: h.redisURL}, io.Discard)
	if err != nil {
		h.t.Fatalf("start: %v", err)
	}
	h.p = p
}

func (h *hookedService) close() {
	if h.p != nil {
		if err := h.p.Close(); err != nil {
			h.t.Errorf("close: %v", err)
		}
		h.p = nil
	}
}

// operator reads the delivery log through the program's API and checks
// the answer against the OpenAPI document.
func (h *hookedService) operator(path string) (int, []byte) {
	h.t.Helper()
	s := newSite(h.t, h.p)
	code, header, body := s.do("GET", path, "", "", map[string]string{"Authorization": "Bearer " + hookOperator})
	doc := web.PathWebhookEvents
	if path != web.PathWebhookEvents && !strings.HasPrefix(path, web.PathWebhookEvents+"?") {
		doc += "/{event_id}"
	}
	loadOpenAPI(h.t, h.p).check(h.t, doc, "GET", code, header.Get("Content-Type"), body)
	return code, body
}

func (h *hookedService) delivery(eventID string) webhook.Delivery {
	h.t.Helper()
	code, body := h.operator(web.PathWebhookEvents + "/" + eventID)
	var d webhook.Delivery
	if code != http.StatusOK || json.Unmarshal(body, &d) != nil {
		h.t.Fatalf("delivery %s: %d %s", eventID, code, body)
	}
	return d
}

// login lets a wallet answer a login started with extra create members.
func (h *hookedService) login(members string) created {
	h.t.Helper()
	s := newSite(h.t, h.p)
	c := h.create(s, members)
	pp := newPeople(h.t)
	w := &testwallet.Wallet{Holder: pp.holder, Credentials: []map[string]any{pp.idCard}}
	if resp, body, err := w.Login(context.Background(), c.AuthorizationRequest); err != nil || resp.StatusCode != 200 {
		h.t.Fatalf("login: %v %s", err, body)
	}
	return c
}

func (h *hookedService) create(s *site, members string) created {
	h.t.Helper()
	code, _, body := s.do("POST", "/api/v1/sessions", "application/json", `{"definition":"verifiable-id"`+members+`}`, nil)
	var c created
	if code != http.StatusCreated || json.Unmarshal(body, &c) != nil {
		h.t.Fatalf("create: %d %s", code, body)
	}
	return c
}

// await polls cond every 20ms until it holds, failing after the limit.
func await(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(hookAwaitLimit)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-tick.C:
		case <-deadline.C:
			t.Fatalf("after %v: %s", hookAwaitLimit, what)
		}
	}
}

// outboxKeys counts what the Redis outbox still holds under prefix.
func outboxKeys(t *testing.T, prefix string) int64 {
	t.Helper()
	c := goredis.NewClient(&goredis.Options{Addr: redisAddr()})
	defer c.Close()
	ctx := context.Background()
	n := c.ZCard(ctx, prefix+"outbox:{all}").Val()
	return n + c.HLen(ctx, prefix+"events:{all}").Val()
}

// TestWebhooks, on memory and Redis: a verified login reaches its
// definition's endpoint, which fails three times and then answers 204:
// four requests with one webhook-id, each signed so that the Standard
// Webhooks library verifies it with either secret of the rotation, the
// last one acknowledged and no other; the delivery log shows the four
// attempts. The login's own webhook_url gets its event too, without the
// result (include_result: false), signed with the session secret.
func TestWebhooks(t *testing.T) {
	for _, store := range stores {
		t.Run(store, func(t *testing.T) {
			endpoint := newHookReceiver(t, func(n int) int {
				if n <= 3 {
					return []int{500, 503, 502}[n-1]
				}
				return http.StatusNoContent
			})
			site := newHookReceiver(t, func(int) int { return http.StatusOK })
			h := newHookedService(t, store, hooksYAML(endpoint.srv.URL+"/hooks/login"))
			c := h.login(fmt.Sprintf(`,"webhook_url":%q`, site.srv.URL+"/site?order=42"))

			var eventID string
			await(t, "the endpoint's delivery is logged as delivered", func() bool {
				reqs := endpoint.requests()
				if len(reqs) == 0 {
					return false
				}
				eventID = reqs[0].header.Get("webhook-id")
				return h.delivery(eventID).State == webhook.StateDelivered
			})
			d := h.delivery(eventID)
			var statuses []int
			for _, a := range d.Attempts {
				statuses = append(statuses, a.Status)
			}
			if fmt.Sprint(statuses) != "[500 503 502 204]" || d.SessionID != c.ID || d.Type != "session.verified" || d.Target != endpoint.srv.URL+"/hooks/login" {
				t.Errorf("delivery log %+v, want attempts 500 503 502 204", d)
			}
			reqs := endpoint.requests()
			if len(reqs) != 4 {
				t.Fatalf("the endpoint got %d requests, want 4", len(reqs))
			}
			for _, r := range reqs {
				if r.header.Get("webhook-id") != eventID {
					t.Errorf("webhook-id %q, want %s on every attempt", r.header.Get("webhook-id"), eventID)
				}
			}
			payloads := endpoint.verify(hookSecret, hookOldSecret)
			last := payloads[3]
			if last.Type != "session.verified" || last.Data.SessionID != c.ID || last.Data.Status != "verified" ||
				last.Data.Result == nil || last.Data.Result.Credentials[0].CredentialSubject["firstName"] != "Jane" {
				t.Errorf("payload %s", reqs[3].body)
			}
			o := loadOpenAPI(t, h.p)
			for _, e := range o.validate(t, map[string]any{"$ref": "#/components/schemas/WebhookPayload"}, reqs[3].body) {
				t.Errorf("payload against the OpenAPI WebhookPayload: %s", e)
			}

			await(t, "the session's own URL is delivered", func() bool { return len(site.requests()) == 1 })
			sp := site.verify(sessionSecret)[0]
			if sp.Data.SessionID != c.ID || sp.Data.Result != nil || sp.Data.Status != "verified" {
				t.Errorf("webhook_url payload %s", site.requests()[0].body)
			}
			if site.requests()[0].header.Get("webhook-id") == eventID {
				t.Error("the two targets share an event id")
			}

			code, body := h.operator(web.PathWebhookEvents)
			if code != 200 || strings.Count(string(body), `"event_id"`) != 2 {
				t.Errorf("list: %d %s", code, body)
			}
			if store == "redis" {
				await(t, "the outbox is empty", func() bool { return outboxKeys(t, h.prefix) == 0 })
			}
			if n := len(endpoint.requests()); n != 4 {
				t.Errorf("the endpoint got %d requests after its 2xx, want 4", n)
			}
		})
	}
}

// TestWebhookExpired: a login nobody answers is announced as expired,
// with no result and no error, to its endpoint and its webhook_url; its
// status reads expired.
func TestWebhookExpired(t *testing.T) {
	endpoint := newHookReceiver(t, func(int) int { return http.StatusAccepted })
	site := newHookReceiver(t, func(int) int { return http.StatusOK })
	h := newHookedService(t, "memory", hooksYAML(endpoint.srv.URL), func(cfg string) string {
		return strings.Replace(cfg, "lifetime: 5m", "lifetime: 1s", 1)
	})
	s := newSite(t, h.p)
	c := h.create(s, fmt.Sprintf(`,"webhook_url":%q`, site.srv.URL))
	await(t, "both targets hear of the expiry", func() bool { return len(endpoint.requests()) == 1 && len(site.requests()) == 1 })
	for _, p := range append(endpoint.verify(hookSecret), site.verify(sessionSecret)...) {
		if p.Type != "session.expired" || p.Data.Status != "expired" || p.Data.SessionID != c.ID || p.Data.Result != nil || p.Data.Error != nil {
			t.Errorf("expiry payload %+v", p)
		}
	}
	if st := s.status(c); st.Status != "expired" {
		t.Errorf("status %s", st.Status)
	}
}

// TestWebhookURLRefused: webhook_url on a host the operator did not
// allow is a 400 that says so, and no login starts.
func TestWebhookURLRefused(t *testing.T) {
	endpoint := newHookReceiver(t, func(int) int { return 200 })
	h := newHookedService(t, "memory", strings.Replace(hooksYAML(endpoint.srv.URL), `allowed_hosts: ["127.0.0.1"]`, `allowed_hosts: ["hooks.example.com"]`, 1))
	s := newSite(t, h.p)
	for _, u := range []string{"http://127.0.0.1:1/x", "https://evil.example/x", "not a url", "ftp://hooks.example.com/"} {
		code, _, body := s.do("POST", "/api/v1/sessions", "application/json", fmt.Sprintf(`{"definition":"verifiable-id","webhook_url":%q}`, u), nil)
		if e := decodeError(t, body); code != 400 || e.Error != "invalid_request" || !strings.HasPrefix(e.Description, "webhook_url") {
			t.Errorf("%s: %d %s", u, code, body)
		}
	}
}

// TestWebhookPrivateAddress: a private target is refused when the config
// loads (an address literal) and when a delivery dials (a name that
// resolves to loopback): nothing reaches it, the log names the refusal.
func TestWebhookPrivateAddress(t *testing.T) {
	endpoint := newHookReceiver(t, func(int) int { return 200 })
	guarded := func(url string) string {
		return strings.NewReplacer("  allow_private_addresses: true\n", "", `  allowed_hosts: ["127.0.0.1"]`+"\n", "", "  secrets: ["+sessionSecret+"]\n", "").Replace(hooksYAML(url))
	}
	t.Run("at load", func(t *testing.T) {
		for _, url := range []string{endpoint.srv.URL, "http://[::1]:9/x", "http://localhost:9/x", "https://169.254.169.254/x"} {
			path := testshared.WriteTemp(t, "config.yaml", relaxLimits(shippedConfig(t)+guarded(url)))
			_, err := Open(context.Background(), Options{ConfigPath: path, Listen: "127.0.0.1:0"}, io.Discard)
			if err == nil || !strings.Contains(err.Error(), "webhooks.endpoints[0].url") {
				t.Errorf("%s: start error %v, want one naming webhooks.endpoints[0].url", url, err)
			}
		}
	})
	t.Run("at dial", func(t *testing.T) {
		host, _ := os.Hostname()
		ips, err := net.LookupIP(host)
		if err != nil || len(ips) == 0 || !ips[0].IsLoopback() && !ips[0].IsPrivate() {
			t.Skipf("the host name %q does not resolve to a private address here (%v %v)", host, ips, err)
		}
		_, port, _ := net.SplitHostPort(endpoint.srv.Listener.Addr().String())
		cfg := strings.Replace(guarded("http://"+host+":"+port+"/hooks"), "retry: {initial_interval: 20ms, max_interval: 80ms}",
			"retry: {initial_interval: 20ms, max_interval: 40ms, horizon: 300ms}", 1)
		h := newHookedService(t, "memory", cfg)
		h.login("")
		var d webhook.Delivery
		await(t, "the delivery is given up", func() bool {
			_, body := h.operator(web.PathWebhookEvents)
			var list struct{ Events []webhook.Delivery }
			if json.Unmarshal(body, &list) != nil || len(list.Events) != 1 {
				return false
			}
			d = list.Events[0]
			return d.State == webhook.StateFailed
		})
		if n := len(endpoint.requests()); n != 0 {
			t.Fatalf("the loopback endpoint got %d requests", n)
		}
		if len(d.Attempts) == 0 || d.GaveUp != "the retry horizon has passed" {
			t.Fatalf("delivery %+v", d)
		}
		for _, a := range d.Attempts {
			if a.Error != "host is not at a public address" || a.Status != 0 || strings.Contains(a.Error, "127.0.0.1") {
				t.Errorf("attempt %+v", a)
			}
		}
	})
}

// TestWebhookSecretCommand: "verifier webhooks secret" prints a fresh
// secret the config accepts; anything else is a usage error.
func TestWebhookSecretCommand(t *testing.T) {
	code, out, _ := runOut(t, []string{"webhooks", "secret"}, nil)
	code2, out2, _ := runOut(t, []string{"webhooks", "secret"}, nil)
	secret := strings.TrimSpace(out)
	if code != 0 || code2 != 0 || secret == strings.TrimSpace(out2) {
		t.Fatalf("%d %q, %d %q", code, out, code2, out2)
	}
	if _, err := webhook.ParseSecret(secret); err != nil {
		t.Fatalf("the printed secret: %v", err)
	}
	if code, _, errText := runOut(t, []string{"webhooks"}, nil); code != 2 || !strings.Contains(errText, "usage") {
		t.Errorf("no subcommand: %d %q", code, errText)
	}
}
