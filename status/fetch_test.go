package status_test

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/internal/safehttp"
	"github.com/loginwithiota/verifier/status"
)

// The default HTTPFetcher (no Client) is guarded: a list on loopback is
// refused unless private addresses are allowed; redirects are followed a
// few times, each hop re-checked; failures carry a safehttp kind.
func TestHTTPFetcherGuarded(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch r.URL.Path {
		case "/list":
			w.Header().Set("Content-Type", "application/vc+jwt")
			io.WriteString(w, "list")
		case "/moved":
			http.Redirect(w, r, "/list", http.StatusFound)
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the untrusted-certificate case's handshake failure
	srv.StartTLS()
	defer srv.Close()
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	roots := &tls.Config{RootCAs: pool}

	refusing := &status.HTTPFetcher{TLS: roots, Timeout: 2 * time.Second}
	_, _, err := refusing.Fetch(ctx, srv.URL+"/list")
	if !errors.Is(err, status.ErrFetch) || safehttp.Kind(err) != safehttp.ErrAddressNotAllowed {
		t.Errorf("loopback by default: %v, want ErrFetch of kind ErrAddressNotAllowed", err)
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("the loopback server was reached %d times", n)
	}

	f := &status.HTTPFetcher{TLS: roots, AllowPrivateAddresses: true, Timeout: 2 * time.Second}
	for _, path := range []string{"/list", "/moved"} {
		if body, ct, err := f.Fetch(ctx, srv.URL+path); err != nil || string(body) != "list" || ct != "application/vc+jwt" {
			t.Errorf("%s: %q, %q, %v", path, body, ct, err)
		}
	}
	for _, tt := range []struct {
		f    *status.HTTPFetcher
		url  string
		kind error
	}{
		{f, srv.URL + "/missing", safehttp.ErrStatus},
		{f, srv.URL + "/loop", safehttp.ErrRedirect},
		{f, "http://" + srv.Listener.Addr().String() + "/list", safehttp.ErrURL},
		{&status.HTTPFetcher{AllowPrivateAddresses: true, Timeout: 2 * time.Second}, srv.URL + "/list", safehttp.ErrTLS},
	} {
		if _, _, err := tt.f.Fetch(ctx, tt.url); !errors.Is(err, status.ErrFetch) || safehttp.Kind(err) != tt.kind {
			t.Errorf("%s: %v, want ErrFetch of kind %v", tt.url, err, tt.kind)
		}
	}
}
