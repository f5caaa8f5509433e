package web_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/loginwithiota/verifier/did"
	didkey "github.com/loginwithiota/verifier/did/key"
	"github.com/loginwithiota/verifier/pex"
	"github.com/loginwithiota/verifier/session/memory"
	"github.com/loginwithiota/verifier/verifier"
	"github.com/loginwithiota/verifier/web"
)

const definition = `{"id":"verifiable-id","input_descriptors":[{"id":"verifiable-id-credential","constraints":{"fields":[{"path":["$.type"],"filter":{"type":"string","pattern":"VerifiableId"}}]}}]}`

func newRouter(t *testing.T, opts web.Options) *echo.Echo {
	t.Helper()
	pd, err := pex.ParseDefinition([]byte(definition))
	if err != nil {
		t.Fatal(err)
	}
	dids := did.NewRegistry()
	dids.Register("key", didkey.New())
	v, err := verifier.New(verifier.Config{
		PublicURL:   "https://verifier.example",
		Definitions: []verifier.Definition{{PEX: pd}},
		Logger:      slog.New(slog.DiscardHandler),
	}, memory.New(memory.Options{}), dids)
	if err != nil {
		t.Fatal(err)
	}
	opts.Logger = slog.New(slog.DiscardHandler)
	return web.New(v, "https://verifier.example", opts)
}

func serve(e *echo.Echo, method, path string, header map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

// TestSecurityHeaders: every answer carries the headers; pages get a
// policy that lets them load our own script and styles, nothing inline.
func TestSecurityHeaders(t *testing.T) {
	e := newRouter(t, web.Options{Demo: true, DemoDefinition: "verifiable-id"})
	const apiCSP = "default-src 'none'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
	const pageCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
	tests := []struct {
		name, path string
		status     int
		csp        string
		ctype      string
	}{
		{"demo page", "/", 200, pageCSP, "text/html"},
		{"result page", "/login/result?session_id=x", 200, pageCSP, "text/html"},
		{"button script", "/static/login-with-iota.js", 200, apiCSP, "text/javascript"},
		{"button styles", "/static/login-with-iota.css", 200, apiCSP, "text/css"},
		{"API", "/api/v1/sessions/x", 401, apiCSP, "application/json"},
		{"unknown asset", "/static/nope.js", 404, apiCSP, "application/json"},
		{"health", "/healthz", 200, apiCSP, "application/json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := serve(e, "GET", tt.path, nil)
			h := rec.Header()
			if rec.Code != tt.status || !strings.HasPrefix(h.Get("Content-Type"), tt.ctype) {
				t.Fatalf("%d %s", rec.Code, h.Get("Content-Type"))
			}
			if got := h.Get("Content-Security-Policy"); got != tt.csp {
				t.Errorf("CSP %q, want %q", got, tt.csp)
			}
			for k, want := range map[string]string{
				"X-Content-Type-Options":    "nosniff",
				"Referrer-Policy":           "no-referrer",
				"X-Frame-Options":           "DENY",
				"Strict-Transport-Security": "max-age=63072000",
			} {
				if got := h.Get(k); got != want {
					t.Errorf("%s %q, want %q", k, got, want)
				}
			}
		})
	}
}

// TestPagesHaveNoInlineCode: the pages and the script contain nothing a
// strict CSP would block.
func TestPagesHaveNoInlineCode(t *testing.T) {
	e := newRouter(t, web.Options{Demo: true, DemoDefinition: "verifiable-id"})
	for _, path := range []string{"/", "/login/result?session_id=x"} {
		body := serve(e, "GET", path, nil).Body.String()
		for _, bad := range []string{"<script>", "<style", " style=", " onclick=", " onload=", "javascript:"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s contains %q", path, bad)
			}
		}
	}
	js := serve(e, "GET", "/static/login-with-iota.js", nil).Body.String()
	for _, bad := range []string{"eval(", "new Function", "innerHTML", ".style.", "setAttribute('style'", "setTimeout('", "setInterval('"} {
		if strings.Contains(js, bad) {
			t.Errorf("the button script contains %q", bad)
		}
	}
}

func TestStaticAssets(t *testing.T) {
	e := newRouter(t, web.Options{})
	rec := serve(e, "GET", "/static/login-with-iota.js", nil)
	etag := rec.Header().Get("ETag")
	if rec.Code != 200 || etag == "" || rec.Header().Get("Cross-Origin-Resource-Policy") != "cross-origin" {
		t.Fatalf("%d %v", rec.Code, rec.Header())
	}
	if rec := serve(e, "GET", "/static/login-with-iota.js", map[string]string{"If-None-Match": etag}); rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
		t.Fatalf("revalidation: %d", rec.Code)
	}
	if rec := serve(e, "HEAD", "/static/login-with-iota.css", nil); rec.Code != 200 {
		t.Fatalf("HEAD: %d", rec.Code)
	}
}

// TestDemoSwitch: the demo page exists only when configured.
func TestDemoSwitch(t *testing.T) {
	if rec := serve(newRouter(t, web.Options{}), "GET", "/", nil); rec.Code != http.StatusNotFound {
		t.Fatalf("demo off: %d", rec.Code)
	}
	rec := serve(newRouter(t, web.Options{Demo: true, DemoDefinition: "verifiable-id"}), "GET", "/", nil)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `<login-with-iota id="login" definition="verifiable-id">`) {
		t.Fatalf("demo on: %d %s", rec.Code, rec.Body)
	}
}

// TestDemoLanguage: the demo page's lang follows Accept-Language among
// the button's languages.
func TestDemoLanguage(t *testing.T) {
	e := newRouter(t, web.Options{Demo: true, DemoDefinition: "verifiable-id"})
	tests := []struct{ accept, want string }{
		{"", "en"},
		{"de-DE,de;q=0.9,en;q=0.8", "de"},
		{"fr-CH, fr;q=0.9", "fr"},
		{"es-ES, fr;q=0.5", "fr"},
		{"es, it", "en"},
		{"EN-gb", "en"},
	}
	for _, tt := range tests {
		rec := serve(e, "GET", "/", map[string]string{"Accept-Language": tt.accept})
		if !strings.Contains(rec.Body.String(), `<html lang="`+tt.want+`">`) {
			t.Errorf("Accept-Language %q: want lang %s", tt.accept, tt.want)
		}
		if rec.Header().Get("Vary") != "Accept-Language" {
			t.Errorf("Vary %q", rec.Header().Get("Vary"))
		}
	}
}

// TestCORS: configured origins may call the API with credentials; others
// get no CORS grant.
func TestCORS(t *testing.T) {
	e := newRouter(t, web.Options{AllowedOrigins: []string{"https://shop.example"}})
	preflight := func(origin string) *httptest.ResponseRecorder {
		return serve(e, "OPTIONS", "/api/v1/sessions", map[string]string{
			"Origin":                         origin,
			"Access-Control-Request-Method":  "POST",
			"Access-Control-Request-Headers": "content-type",
		})
	}
	rec := preflight("https://shop.example")
	if rec.Header().Get("Access-Control-Allow-Origin") != "https://shop.example" || rec.Header().Get("Access-Control-Allow-Credentials") != "true" {
		t.Fatalf("allowed origin: %d %v", rec.Code, rec.Header())
	}
	if got := preflight("https://evil.example").Header().Get("Access-Control-Allow-Origin"); got != "" {
		t.Fatalf("other origin granted %q", got)
	}
	if got := serve(newRouter(t, web.Options{}), "OPTIONS", "/api/v1/sessions", map[string]string{"Origin": "https://shop.example", "Access-Control-Request-Method": "POST"}).Header().Get("Access-Control-Allow-Origin"); got != "" {
		t.Fatalf("no origins configured, granted %q", got)
	}
}

// TestEventsNeedAuthorization: the stream answers like the status read
// before it streams anything.
func TestEventsNeedAuthorization(t *testing.T) {
	e := newRouter(t, web.Options{EventHeartbeat: time.Second})
	rec := serve(e, "GET", "/api/v1/sessions/nope/events", nil)
	if rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), `"unauthorized"`) {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
}
