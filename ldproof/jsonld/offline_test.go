package jsonld_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/internal/safehttp"
	"github.com/loginwithiota/verifier/ldproof/jsonld"
)

// unreachable is a network where every connection fails.
type unreachable struct{ calls atomic.Int32 }

func (u *unreachable) RoundTrip(*http.Request) (*http.Response, error) {
	u.calls.Add(1)
	return nil, errors.New("network is unreachable")
}

// With the network unreachable, every shipped context loads and processes;
// an unlisted remote context is refused with a reason naming it, and no
// connection is even attempted.
func TestShippedContextsLoadOffline(t *testing.T) {
	net := &unreachable{}
	p, err := jsonld.New(jsonld.Config{Client: &http.Client{Transport: net}})
	if err != nil {
		t.Fatal(err)
	}
	urls := jsonld.Embedded()
	if len(urls) < 15 {
		t.Fatalf("only %d embedded contexts", len(urls))
	}
	for _, u := range urls {
		if err := p.LoadContext(u); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
	const unlisted = "https://contexts.example/evil/v1"
	err = p.LoadContext(unlisted)
	if !errors.Is(err, jsonld.ErrContextNotAllowed) || !strings.Contains(err.Error(), unlisted) {
		t.Errorf("unlisted context: %v, want ErrContextNotAllowed naming it", err)
	}
	_, err = p.Canonicalize(context.Background(), map[string]any{
		"@context": []any{"https://www.w3.org/2018/credentials/v1", unlisted},
		"type":     "VerifiableCredential",
	}, jsonld.URDNA2015)
	if !errors.Is(err, jsonld.ErrContextNotAllowed) {
		t.Errorf("document with unlisted context: %v", err)
	}
	if n := net.calls.Load(); n != 0 {
		t.Errorf("%d network calls, want none", n)
	}
}

// An allow-listed context is fetched once, then served from the cache until
// its TTL passes; size limit and fetch errors are reported as ErrContextFetch.
func TestAllowListedRemoteContext(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch r.URL.Path {
		case "/ctx/v1":
			w.Write([]byte(`{"@context": {"nickname": "https://example.org/vocab#nickname"}}`))
		case "/ctx/big":
			w.Write([]byte(`{"@context": {"x": "` + strings.Repeat("a", 4096) + `"}}`))
		case "/ctx/notcontext":
			w.Write([]byte(`{"foo": 1}`))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p, err := jsonld.New(jsonld.Config{
		AllowRemote: []string{srv.URL + "/ctx/"},
		Client:      safehttp.New(safehttp.Options{AllowPrivateAddresses: true}).HTTPClient(), // httptest is on loopback
		MaxBytes:    1024,
		CacheTTL:    time.Hour,
		Now:         func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	doc := map[string]any{"@context": srv.URL + "/ctx/v1", "@id": "urn:x", "nickname": "Al"}
	for range 3 {
		out, err := p.Canonicalize(context.Background(), doc, jsonld.URDNA2015)
		if err != nil {
			t.Fatal(err)
		}
		if want := "<urn:x> <https://example.org/vocab#nickname> \"Al\" .\n"; string(out) != want {
			t.Fatalf("got %q, want %q", out, want)
		}
	}
	if err := p.LoadContext(srv.URL + "/ctx/v1"); err != nil {
		t.Fatal(err)
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("%d fetches, want 1 (cached)", n)
	}
	now = now.Add(2 * time.Hour)
	if err := p.LoadContext(srv.URL + "/ctx/v1"); err != nil {
		t.Fatal(err)
	}
	if n := hits.Load(); n != 2 {
		t.Errorf("%d fetches after the TTL, want 2", n)
	}
	for _, path := range []string{"/ctx/big", "/ctx/notcontext", "/ctx/missing"} {
		if err := p.LoadContext(srv.URL + path); !errors.Is(err, jsonld.ErrContextFetch) {
			t.Errorf("%s: %v, want ErrContextFetch", path, err)
		}
	}
	if err := p.LoadContext(srv.URL + "/other"); !errors.Is(err, jsonld.ErrContextNotAllowed) {
		t.Errorf("outside the allowed prefix: %v", err)
	}
}

func TestConfigErrors(t *testing.T) {
	if _, err := jsonld.New(jsonld.Config{AllowRemote: []string{"ftp://x/"}}); err == nil {
		t.Error("non-http allow-list entry accepted")
	}
	if _, err := jsonld.New(jsonld.Config{Contexts: map[string][]byte{"https://x/": []byte(`{"no":1}`)}}); err == nil {
		t.Error("context file without @context accepted")
	}
}
