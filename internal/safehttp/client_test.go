package safehttp_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/internal/safehttp"
)

// servers: one TLS and one plain test server on loopback, with the
// handlers every test uses.
type servers struct {
	tls, plain *httptest.Server
	roots      *tls.Config
	hits       atomic.Int32
}

func newServers(t *testing.T) *servers {
	t.Helper()
	s := &servers{}
	release := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "accept="+r.Header.Get("Accept")+" ua="+r.Header.Get("User-Agent"))
	})
	mux.HandleFunc("/missing", http.NotFound)
	mux.HandleFunc("/nocontent", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux.HandleFunc("/exact", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, strings.Repeat("x", 1024)) })
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "4096") // refused before reading
		io.WriteString(w, strings.Repeat("x", 4096))
	})
	mux.HandleFunc("/bigstream", func(w http.ResponseWriter, r *http.Request) {
		for range 8 { // flushed in pieces: no Content-Length, the limit bites while reading
			io.WriteString(w, strings.Repeat("x", 512))
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/ok", http.StatusFound) })
	mux.HandleFunc("/redirect2", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/redirect", http.StatusFound) })
	mux.HandleFunc("/tohttp", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, s.plain.URL+"/ok", http.StatusFound)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		w.Header().Set("Content-Type", "text/plain")
		mux.ServeHTTP(w, r)
	})
	s.tls = httptest.NewUnstartedServer(handler)
	s.tls.Config.ErrorLog = log.New(io.Discard, "", 0) // the untrusted-certificate test's handshake failure
	s.tls.StartTLS()
	s.plain = httptest.NewServer(handler)
	t.Cleanup(func() { close(release); s.tls.Close(); s.plain.Close() })
	pool := x509.NewCertPool()
	pool.AddCert(s.tls.Certificate())
	s.roots = &tls.Config{RootCAs: pool}
	return s
}

// closedAddr is an address where nothing listens any more.
func closedAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestGet(t *testing.T) {
	s := newServers(t)
	private := safehttp.Options{AllowPrivateAddresses: true, TLS: s.roots, Timeout: 5 * time.Second, MaxBytes: 1024}
	with := func(f func(*safehttp.Options)) safehttp.Options { o := private; f(&o); return o }
	tests := []struct {
		name     string
		opts     safehttp.Options
		url      string
		wantKind error
		status   int
		body     string
	}{
		{name: "ok", opts: with(func(o *safehttp.Options) { o.UserAgent = "verifier-test" }), url: s.tls.URL + "/ok",
			body: "accept=application/json ua=verifier-test"},
		{name: "exactly MaxBytes", opts: private, url: s.tls.URL + "/exact", body: strings.Repeat("x", 1024)},
		{name: "404", opts: private, url: s.tls.URL + "/missing", wantKind: safehttp.ErrStatus, status: 404},
		{name: "204 is not 200", opts: private, url: s.tls.URL + "/nocontent", wantKind: safehttp.ErrStatus, status: 204},
		{name: "Content-Length over MaxBytes", opts: private, url: s.tls.URL + "/big", wantKind: safehttp.ErrTooLarge},
		{name: "streamed body over MaxBytes", opts: private, url: s.tls.URL + "/bigstream", wantKind: safehttp.ErrTooLarge},
		{name: "redirect, none allowed", opts: private, url: s.tls.URL + "/redirect", wantKind: safehttp.ErrRedirect},
		{name: "redirect allowed", opts: with(func(o *safehttp.Options) { o.MaxRedirects = 1 }), url: s.tls.URL + "/redirect",
			body: "accept=application/json ua=Go-http-client/1.1"},
		{name: "too many redirects", opts: with(func(o *safehttp.Options) { o.MaxRedirects = 1 }), url: s.tls.URL + "/redirect2",
			wantKind: safehttp.ErrRedirect},
		{name: "redirect to http", opts: with(func(o *safehttp.Options) { o.MaxRedirects = 3 }), url: s.tls.URL + "/tohttp",
			wantKind: safehttp.ErrRedirect},
		{name: "redirect to http, allowed", opts: with(func(o *safehttp.Options) { o.MaxRedirects = 3; o.AllowHTTP = true }),
			url: s.tls.URL + "/tohttp", body: "accept=application/json ua=Go-http-client/1.1"},
		{name: "http refused", opts: private, url: s.plain.URL + "/ok", wantKind: safehttp.ErrURL},
		{name: "http allowed", opts: with(func(o *safehttp.Options) { o.AllowHTTP = true }), url: s.plain.URL + "/ok",
			body: "accept=application/json ua=Go-http-client/1.1"},
		{name: "other scheme", opts: with(func(o *safehttp.Options) { o.AllowHTTP = true }), url: "ftp://example.com/x", wantKind: safehttp.ErrURL},
		{name: "no host", opts: private, url: "https:///x", wantKind: safehttp.ErrURL},
		{name: "malformed", opts: private, url: "https://exa mple.com/%zz", wantKind: safehttp.ErrURL},
		{name: "untrusted certificate", opts: with(func(o *safehttp.Options) { o.TLS = nil }), url: s.tls.URL + "/ok",
			wantKind: safehttp.ErrTLS},
		{name: "nothing listening", opts: private, url: "https://" + closedAddr(t) + "/ok", wantKind: safehttp.ErrUnreachable},
		{name: "timeout", opts: with(func(o *safehttp.Options) { o.Timeout = 100 * time.Millisecond }), url: s.tls.URL + "/slow",
			wantKind: safehttp.ErrTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, ct, err := safehttp.New(tt.opts).Get(context.Background(), tt.url, "application/json")
			if tt.wantKind == nil {
				if err != nil || string(body) != tt.body || ct != "text/plain" {
					t.Fatalf("Get = %q, %q, %v; want %q", body, ct, err, tt.body)
				}
				return
			}
			checkKind(t, err, tt.wantKind)
			var e *safehttp.Error
			if errors.As(err, &e) && e.StatusCode != tt.status && tt.wantKind == safehttp.ErrStatus {
				t.Errorf("StatusCode = %d, want %d", e.StatusCode, tt.status)
			}
		})
	}
}

// checkKind: err is of kind want and of no other, and its text names the
// kind once (no repetition through the wrapping levels).
func checkKind(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, want) || safehttp.Kind(err) != want {
		t.Fatalf("error = %v (kind %v), want kind %v", err, safehttp.Kind(err), want)
	}
	for _, other := range []error{safehttp.ErrURL, safehttp.ErrAddressNotAllowed, safehttp.ErrUnreachable, safehttp.ErrTLS,
		safehttp.ErrTimeout, safehttp.ErrRedirect, safehttp.ErrStatus, safehttp.ErrTooLarge} {
		if other != want && errors.Is(err, other) {
			t.Errorf("error %v is also %v", err, other)
		}
	}
	if n := strings.Count(err.Error(), want.Error()); n != 1 {
		t.Errorf("%q names its kind %d times", err, n)
	}
}

// By default nothing internal is reachable: not the loopback address named
// directly, and not a name ("localhost") that resolves to it: the address
// is checked when dialling, after DNS. The guarded *http.Client that
// HTTPClient returns refuses the same.
func TestPrivateAddressesRefusedByDefault(t *testing.T) {
	s := newServers(t)
	port := s.tls.Listener.Addr().(*net.TCPAddr).Port
	c := safehttp.New(safehttp.Options{TLS: s.roots, Timeout: 5 * time.Second})
	for _, host := range []string{"127.0.0.1", "localhost", "[::1]", "[::ffff:127.0.0.1]", "0.0.0.0"} {
		u := "https://" + host + ":" + strconv.Itoa(port) + "/ok"
		_, _, err := c.Get(context.Background(), u, "")
		checkKind(t, err, safehttp.ErrAddressNotAllowed)
		if _, err := c.HTTPClient().Get(u); !errors.Is(err, safehttp.ErrAddressNotAllowed) {
			t.Errorf("HTTPClient().Get(%s) = %v", u, err)
		}
	}
	if n := s.hits.Load(); n != 0 {
		t.Errorf("the internal server was reached %d times", n)
	}
}

// A caller's own client keeps its transport; Get's checks still apply and
// a redirect it hands back is ErrRedirect.
func TestWrap(t *testing.T) {
	s := newServers(t)
	own := &http.Client{
		Transport:     &http.Transport{TLSClientConfig: s.roots},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	c := safehttp.Wrap(own, safehttp.Options{MaxBytes: 1024})
	if body, _, err := c.Get(context.Background(), s.tls.URL+"/ok", ""); err != nil || !strings.HasPrefix(string(body), "accept=") {
		t.Fatalf("Get = %q, %v", body, err)
	}
	for path, want := range map[string]error{"/redirect": safehttp.ErrRedirect, "/big": safehttp.ErrTooLarge} {
		_, _, err := c.Get(context.Background(), s.tls.URL+path, "")
		checkKind(t, err, want)
	}
	_, _, err := c.Get(context.Background(), s.plain.URL+"/ok", "")
	checkKind(t, err, safehttp.ErrURL)
}

// A context the caller ends is ErrTimeout, and still context.Canceled.
func TestCancelled(t *testing.T) {
	s := newServers(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := safehttp.New(safehttp.Options{AllowPrivateAddresses: true, TLS: s.roots}).Get(ctx, s.tls.URL+"/ok", "")
	checkKind(t, err, safehttp.ErrTimeout)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled too", err)
	}
}

func TestPublic(t *testing.T) {
	for addr, public := range map[string]bool{
		"8.8.8.8": true, "2606:4700::1111": true, "1.1.1.1": true,
		"127.0.0.1": false, "10.1.2.3": false, "172.16.0.1": false, "192.168.1.1": false, "169.254.169.254": false,
		"100.64.0.1": false, "0.0.0.0": false, "::": false, "::1": false, "fe80::1": false, "fc00::1": false, "fd00:ec2::254": false,
		"::ffff:127.0.0.1": false, "::ffff:10.0.0.1": false, "::127.0.0.1": false, "64:ff9b::a00:1": false, "64:ff9b:1::1": false,
		"2002:7f00:1::1": false, "2001:0:4136:e378::1": false, "224.0.0.1": false, "ff02::1": false, "255.255.255.255": false,
		"198.18.0.1": false, "192.0.2.1": false, "2001:db8::1": false, "fec0::1": false,
	} {
		if got := safehttp.Public(netip.MustParseAddr(addr)); got != public {
			t.Errorf("Public(%s) = %v", addr, got)
		}
	}
}
