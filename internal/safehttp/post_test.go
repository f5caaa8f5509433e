package safehttp_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/loginwithiota/verifier/internal/safehttp"
)

// TestPost: a POST carries its headers and body, a 2xx is success, and
// every other answer (a redirect too: never followed) is an error of its
// kind; the address check refuses loopback unless allowed, at dial time.
func TestPost(t *testing.T) {
	var hits atomic.Int32
	var got struct{ body, sig, ct string }
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		b, _ := io.ReadAll(r.Body)
		got.body, got.sig, got.ct = string(b), r.Header.Get("Webhook-Signature"), r.Header.Get("Content-Type")
		switch r.URL.Path {
		case "/ok":
			w.WriteHeader(http.StatusNoContent)
		case "/redirect":
			http.Redirect(w, r, "/ok", http.StatusTemporaryRedirect)
		default:
			http.Error(w, "nope", http.StatusServiceUnavailable)
		}
	}))
	t.Cleanup(srv.Close)
	ctx := context.Background()
	header := http.Header{"Content-Type": {"application/json"}, "Webhook-Signature": {"v1,abc"}}
	allowed := safehttp.New(safehttp.Options{AllowHTTP: true, AllowPrivateAddresses: true})

	status, err := allowed.Post(ctx, srv.URL+"/ok", header, []byte(`{"a":1}`))
	if err != nil || status != http.StatusNoContent || got.body != `{"a":1}` || got.sig != "v1,abc" || got.ct != "application/json" {
		t.Fatalf("Post /ok: %d %v %+v", status, err, got)
	}
	for _, tt := range []struct {
		path   string
		kind   error
		status int
	}{
		{"/redirect", safehttp.ErrRedirect, http.StatusTemporaryRedirect},
		{"/down", safehttp.ErrStatus, http.StatusServiceUnavailable},
	} {
		status, err := allowed.Post(ctx, srv.URL+tt.path, header, nil)
		if !errors.Is(err, tt.kind) || status != tt.status || !strings.HasPrefix(err.Error(), "POST ") {
			t.Errorf("Post %s: %d %v, want %v and %d", tt.path, status, err, tt.kind, tt.status)
		}
	}
	before := hits.Load()
	guarded := safehttp.New(safehttp.Options{AllowHTTP: true})
	if _, err := guarded.Post(ctx, srv.URL+"/ok", header, nil); !errors.Is(err, safehttp.ErrAddressNotAllowed) {
		t.Errorf("Post to loopback without AllowPrivateAddresses: %v", err)
	}
	if _, err := safehttp.New(safehttp.Options{AllowPrivateAddresses: true}).Post(ctx, srv.URL+"/ok", header, nil); !errors.Is(err, safehttp.ErrURL) {
		t.Errorf("Post to http:// without AllowHTTP: %v", err)
	}
	if n := hits.Load() - before; n != 0 {
		t.Errorf("refused posts reached the server %d times", n)
	}
}
