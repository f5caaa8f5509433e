package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/loginwithiota/verifier/did"
	didkey "github.com/loginwithiota/verifier/did/key"
	"github.com/loginwithiota/verifier/pex"
	"github.com/loginwithiota/verifier/session"
	"github.com/loginwithiota/verifier/session/memory"
	"github.com/loginwithiota/verifier/verifier"
	"github.com/loginwithiota/verifier/web"
)

// newRouterOn is newRouter on a store of the test's.
func newRouterOn(t *testing.T, store session.Store, opts web.Options) *echo.Echo {
	t.Helper()
	pd, err := pex.ParseDefinition([]byte(definition))
	if err != nil {
		t.Fatal(err)
	}
	dids := did.NewRegistry()
	dids.Register("key", didkey.New())
	v, err := verifier.New(verifier.Config{PublicURL: "https://verifier.example", Definitions: []verifier.Definition{{PEX: pd}},
		Logger: slog.New(slog.DiscardHandler)}, store, dids)
	if err != nil {
		t.Fatal(err)
	}
	opts.Logger = slog.New(slog.DiscardHandler)
	return web.New(v, "https://verifier.example", opts)
}

// serveReal runs the router behind web.Listener on a real server with
// the program's header limit and the given read timeout.
func serveReal(t *testing.T, e http.Handler, readTimeout time.Duration) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: e, ReadTimeout: readTimeout, ReadHeaderTimeout: 5 * time.Second, MaxHeaderBytes: 4 << 10,
		ErrorLog: nil}
	go func() { _ = srv.Serve(web.Listener(ln)) }()
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

func create(e http.Handler, body, contentType string, header map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", "/api/v1/sessions", strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		if k == "RemoteAddr" {
			req.RemoteAddr = v
			continue
		}
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

type errBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

func jsonError(t *testing.T, contentType string, body []byte) errBody {
	t.Helper()
	var e errBody
	if !strings.HasPrefix(contentType, "application/json") || json.Unmarshal(body, &e) != nil || e.Error == "" {
		t.Fatalf("want a JSON error, got %s %q", contentType, body)
	}
	return e
}

// TestOversizedHeaderIsJSON: net/http's own 431 (and 400) are JSON too.
func TestOversizedHeaderIsJSON(t *testing.T) {
	addr := serveReal(t, newRouter(t, web.Options{}), 5*time.Second)
	for _, tc := range []struct {
		name, request string
		status        int
	}{
		{"oversized header", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("a", 8<<10) + "\r\n\r\n", 431},
		{"malformed request", "GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n", 400},
		{"unknown transfer encoding", "POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: rot13\r\n\r\n", 501},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if _, err := io.WriteString(c, tc.request); err != nil {
				t.Fatal(err)
			}
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status {
				t.Fatalf("%d %s", resp.StatusCode, body)
			}
			if e := jsonError(t, resp.Header.Get("Content-Type"), body); e.Error != "invalid_request" {
				t.Fatalf("%+v", e)
			}
			if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("headers %v", resp.Header)
			}
		})
	}
}

// TestSlowBodyIs408: a body that does not arrive within the read timeout
// answers 408, not 400.
func TestSlowBodyIs408(t *testing.T) {
	addr := serveReal(t, newRouter(t, web.Options{}), 200*time.Millisecond)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// Ten bytes of a hundred promised; then the client goes quiet.
	fmt.Fprintf(c, "POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"definiti")
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusRequestTimeout {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	jsonError(t, resp.Header.Get("Content-Type"), body)
}

// TestCreateNeedsJSON: session creation takes application/json only.
func TestCreateNeedsJSON(t *testing.T) {
	e := newRouter(t, web.Options{})
	for _, ct := range []string{"", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"} {
		rec := create(e, `{"definition":"verifiable-id"}`, ct, nil)
		if rec.Code != http.StatusUnsupportedMediaType {
			t.Errorf("%q: %d %s", ct, rec.Code, rec.Body)
		}
		jsonError(t, rec.Header().Get("Content-Type"), rec.Body.Bytes())
	}
	if rec := create(e, `{"definition":"verifiable-id"}`, "application/json; charset=utf-8", nil); rec.Code != http.StatusCreated {
		t.Errorf("with a charset: %d %s", rec.Code, rec.Body)
	}
}

// TestUnknownDefinitionClipped: an unknown definition name is echoed cut
// short.
func TestUnknownDefinitionClipped(t *testing.T) {
	e := newRouter(t, web.Options{})
	long := strings.Repeat("x", 100_000)
	rec := create(e, `{"definition":"`+long+`"}`, "application/json", nil)
	if rec.Code != http.StatusNotFound {
		t.Fatalf("%d", rec.Code)
	}
	got := jsonError(t, rec.Header().Get("Content-Type"), rec.Body.Bytes())
	if len(got.Description) > 200 || !strings.Contains(got.Description, "xxxx…") {
		t.Fatalf("description of %d bytes: %.300s", len(got.Description), got.Description)
	}
}

// TestCookieScopedToSession: the login cookie is sent only to its own
// session's paths and lives as long as the session's record; a same-device
// login also sets the one result-page cookie.
func TestCookieScopedToSession(t *testing.T) {
	e := newRouter(t, web.Options{})
	for _, flow := range []string{"cross-device", "same-device"} {
		rec := create(e, `{"definition":"verifiable-id","flow":"`+flow+`"}`, "application/json", nil)
		if rec.Code != http.StatusCreated {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
		var c struct{ ID, StatusToken string }
		_ = json.Unmarshal(rec.Body.Bytes(), &c)
		cookies := rec.Result().Cookies()
		want := 1
		if flow == "same-device" {
			want = 2
		}
		if len(cookies) != want {
			t.Fatalf("%s: %d cookies", flow, len(cookies))
		}
		ck := cookies[0]
		if ck.Name != "liota_session_"+c.ID || ck.Path != "/api/v1/sessions/"+c.ID || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode ||
			!ck.Secure || ck.MaxAge <= 0 || ck.MaxAge > int((15*time.Minute).Seconds()) {
			t.Errorf("%s: session cookie %+v", flow, ck)
		}
		if flow == "same-device" {
			r := cookies[1]
			if r.Name != "liota_result" || r.Path != verifier.PathResult || !strings.HasPrefix(r.Value, c.ID+".") || r.MaxAge != ck.MaxAge {
				t.Errorf("result cookie %+v", r)
			}
		}
	}
}

// TestRateLimit: beyond a client's bucket, 429 with Retry-After; the
// client is the connection's address unless a trusted proxy names it.
func TestRateLimit(t *testing.T) {
	e := newRouter(t, web.Options{RateLimit: web.RateLimit{PerSecond: 0.5, Burst: 3},
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/32")}})
	body := `{"definition":"verifiable-id"}`
	from := func(remote, xff string) *httptest.ResponseRecorder {
		h := map[string]string{"RemoteAddr": remote + ":1234"}
		if xff != "" {
			h["X-Forwarded-For"] = xff
		}
		return create(e, body, "application/json", h)
	}
	for i := range 3 {
		if rec := from("192.0.2.7", ""); rec.Code != http.StatusCreated {
			t.Fatalf("create %d: %d", i, rec.Code)
		}
	}
	rec := from("192.0.2.7", "")
	if rec.Code != http.StatusTooManyRequests || jsonError(t, rec.Header().Get("Content-Type"), rec.Body.Bytes()).Error != "rate_limited" {
		t.Fatalf("beyond the burst: %d %s", rec.Code, rec.Body)
	}
	if ra, err := strconv.Atoi(rec.Header().Get("Retry-After")); err != nil || ra < 1 || ra > 2 {
		t.Fatalf("Retry-After %q", rec.Header().Get("Retry-After"))
	}
	// An untrusted sender cannot pick another address with X-Forwarded-For.
	if rec := from("192.0.2.7", "203.0.113.9"); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("spoofed X-Forwarded-For: %d", rec.Code)
	}
	// Another client has its own bucket; one behind the trusted proxy too.
	if rec := from("192.0.2.8", ""); rec.Code != http.StatusCreated {
		t.Fatalf("another client: %d", rec.Code)
	}
	for i := range 3 {
		if rec := from("10.0.0.1", "203.0.113.9"); rec.Code != http.StatusCreated {
			t.Fatalf("behind the proxy %d: %d", i, rec.Code)
		}
	}
	if rec := from("10.0.0.1", "203.0.113.9"); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("behind the proxy, beyond the burst: %d", rec.Code)
	}
	if rec := from("10.0.0.1", "203.0.113.10"); rec.Code != http.StatusCreated {
		t.Fatalf("another client behind the proxy: %d", rec.Code)
	}
	// An IPv6 client is its /64.
	for i := range 3 {
		from(fmt.Sprintf("[2001:db8::%x]", i+1), "")
	}
	if rec := from("[2001:db8::ffff]", ""); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("same /64: %d", rec.Code)
	}
}

// TestHealthzVersion: /healthz names the version.
func TestHealthzVersion(t *testing.T) {
	rec := serve(newRouter(t, web.Options{Version: "v9.9.9"}), "GET", "/healthz", nil)
	if rec.Code != 200 || strings.TrimSpace(rec.Body.String()) != `{"status":"ok","version":"v9.9.9"}` {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
}

// TestReadyzAsksReady: /readyz answers what Options.Ready says.
func TestReadyzAsksReady(t *testing.T) {
	var fail atomic.Bool
	e := newRouter(t, web.Options{Ready: func(context.Context) error {
		if fail.Load() {
			return session.ErrUnavailable
		}
		return nil
	}})
	if rec := serve(e, "GET", "/readyz", nil); rec.Code != 200 {
		t.Fatalf("ready: %d", rec.Code)
	}
	fail.Store(true)
	if rec := serve(e, "GET", "/readyz", nil); rec.Code != 503 || strings.TrimSpace(rec.Body.String()) != `{"status":"unavailable"}` {
		t.Fatalf("not ready: %d %s", rec.Code, rec.Body)
	}
}

// streamObserver signals each stream's end.
type streamObserver struct {
	closed  chan struct{}
	refused chan string
}

func (o *streamObserver) Request(string, string, int, time.Duration) {}
func (o *streamObserver) StreamOpened()                              {}
func (o *streamObserver) StreamClosed()                              { o.closed <- struct{}{} }
func (o *streamObserver) Refused(limit string)                       { o.refused <- limit }

// openStream starts an event stream and reads its first event.
func openStream(t *testing.T, ctx context.Context, base, id, token string) (*http.Response, *bufio.Reader) {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/api/v1/sessions/"+id+"/events", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		return resp, nil
	}
	r := bufio.NewReader(resp.Body)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(line, "event: ") {
			return resp, r
		}
	}
}

func startLogin(t *testing.T, base string) (id, token string) {
	t.Helper()
	resp, err := http.Post(base+"/api/v1/sessions", "application/json", strings.NewReader(`{"definition":"verifiable-id"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var c struct {
		ID          string `json:"id"`
		StatusToken string `json:"status_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&c); err != nil || resp.StatusCode != 201 {
		t.Fatalf("create: %d %v", resp.StatusCode, err)
	}
	return c.ID, c.StatusToken
}

// TestStreamLimits: event streams are bounded per session (429) and in
// total (503); a closed stream frees its place.
func TestStreamLimits(t *testing.T) {
	obs := &streamObserver{closed: make(chan struct{}, 16), refused: make(chan string, 16)}
	srv := httptest.NewServer(newRouter(t, web.Options{MaxStreams: 3, MaxStreamsPerSession: 2, Observer: obs, EventHeartbeat: time.Hour}))
	defer srv.Close()
	a, aTok := startLogin(t, srv.URL)
	b, bTok := startLogin(t, srv.URL)
	c, cTok := startLogin(t, srv.URL)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	first, _ := openStream(t, ctx, srv.URL, a, aTok)
	openStream(t, ctx, srv.URL, a, aTok)
	resp, _ := openStream(t, ctx, srv.URL, a, aTok)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || <-obs.refused != web.LimitStreamsPerSession {
		t.Fatalf("third stream of a session: %d", resp.StatusCode)
	}
	openStream(t, ctx, srv.URL, b, bTok)
	resp, _ = openStream(t, ctx, srv.URL, c, cTok)
	if resp.StatusCode != http.StatusServiceUnavailable || <-obs.refused != web.LimitStreams {
		t.Fatalf("fourth stream: %d", resp.StatusCode)
	}
	first.Body.Close()
	<-obs.closed
	if resp, _ := openStream(t, ctx, srv.URL, c, cTok); resp.StatusCode != 200 {
		t.Fatalf("after a stream closed: %d", resp.StatusCode)
	}
}

// vanishing is a store that can lose every record at once, as a Redis
// restarted empty does.
type vanishing struct {
	*memory.Store
	lost atomic.Bool
}

func (v *vanishing) Get(ctx context.Context, id string) (session.Session, error) {
	if v.lost.Load() {
		return session.Session{}, session.ErrNotFound
	}
	return v.Store.Get(ctx, id)
}

// TestStreamEndsWhenSessionVanishes: a stream whose session the store
// lost ends with a final expired event at its next wake-up.
func TestStreamEndsWhenSessionVanishes(t *testing.T) {
	store := &vanishing{Store: memory.New(memory.Options{})}
	srv := httptest.NewServer(newRouterOn(t, store, web.Options{EventHeartbeat: time.Hour}))
	defer srv.Close()
	id, token := startLogin(t, srv.URL)
	resp, r := openStream(t, context.Background(), srv.URL, id, token)
	defer resp.Body.Close()
	store.lost.Store(true)
	_ = store.Publish(context.Background(), id) // what a reconnecting subscription does
	rest, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(rest), "event: expired\ndata: {\"id\":\""+id+"\",\"status\":\"expired\"") {
		t.Fatalf("stream ended with %q", rest)
	}
}
