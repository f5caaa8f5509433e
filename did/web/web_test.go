package web_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/did/web"
	"github.com/loginwithiota/verifier/internal/safehttp"
)

func TestURL(t *testing.T) {
	tests := map[string]string{
		"did:web:w3c-ccg.github.io":                   "https://w3c-ccg.github.io/.well-known/did.json",
		"did:web:w3c-ccg.github.io:user:alice":        "https://w3c-ccg.github.io/user/alice/did.json",
		"did:web:example.com%3A3000":                  "https://example.com:3000/.well-known/did.json",
		"did:web:example.com%3A3000:user:alice#key-1": "https://example.com:3000/user/alice/did.json",
		"did:web:example.com:u%20b":                   "https://example.com/u%20b/did.json",
	}
	for in, want := range tests {
		got, err := web.URL(in)
		if err != nil || got != want {
			t.Errorf("URL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"did:key:z6Mk", "did:web:", "did:web:exa%2Fmple.com", "did:web:example.com:..:x",
		"did:web:example.com::x", "did:web:user%40example.com", "did:web:example.com:a%2Fb", "did:web:%zz"} {
		if _, err := web.URL(bad); !errors.Is(err, did.ErrInvalidDID) {
			t.Errorf("URL(%q) error = %v, want ErrInvalidDID", bad, err)
		}
	}
}

// site serves DID documents over TLS on 127.0.0.1.
type site struct {
	srv  *httptest.Server
	host string // "127.0.0.1%3A<port>"
	opts web.Options
}

func newSite(t *testing.T, handler http.HandlerFunc) *site {
	srv := httptest.NewTLSServer(handler)
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	host := strings.Replace(strings.TrimPrefix(srv.URL, "https://"), ":", "%3A", 1)
	return &site{srv: srv, host: host, opts: web.Options{AllowPrivateAddresses: true, TLS: &tls.Config{RootCAs: pool},
		Timeout: 2 * time.Second}}
}

func docFor(id string) string {
	return fmt.Sprintf(`{"@context":"https://www.w3.org/ns/did/v1","id":%q,
	  "verificationMethod":[{"id":"%s#k","type":"Ed25519VerificationKey2018","controller":%q,
	    "publicKeyBase58":"FVen3X669xLzsi6N2V91DoiyzHzg1uAgqiT8jZ9nS96Z"}],
	  "assertionMethod":["#k"]}`, id, id, id)
}

func TestResolve(t *testing.T) {
	var s *site
	s = newSite(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/.well-known/did.json":
			fmt.Fprint(w, docFor("did:web:"+s.host))
		case "/users/alice/did.json":
			fmt.Fprint(w, docFor("did:web:"+s.host+":users:alice"))
		case "/big/did.json":
			fmt.Fprint(w, strings.Repeat(" ", 70<<10)+"{}")
		case "/broken/did.json":
			fmt.Fprint(w, "{")
		case "/fail/did.json":
			http.Error(w, "oops", http.StatusInternalServerError)
		case "/gone/did.json":
			http.Error(w, "gone", http.StatusGone)
		case "/moved/did.json": // followed: did:web resolvers in the field do
			http.Redirect(w, r, "/moved/here/did.json", http.StatusMovedPermanently)
		case "/moved/here/did.json":
			fmt.Fprint(w, docFor("did:web:"+s.host+":moved"))
		case "/loop/did.json":
			http.Redirect(w, r, "/loop/did.json", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	})
	ctx := context.Background()
	res := web.New(s.opts)
	for _, id := range []string{"did:web:" + s.host, "did:web:" + s.host + ":users:alice", "did:web:" + s.host + ":moved"} {
		doc, err := res.Resolve(ctx, id)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if _, err := doc.Dereference(id+"#k", did.AssertionMethod); err != nil {
			t.Errorf("%s: %v", id, err)
		}
	}
	for _, tt := range []struct {
		path       string
		want, kind error
	}{
		{":missing", did.ErrNotFound, safehttp.ErrStatus},
		{":gone", did.ErrNotFound, safehttp.ErrStatus},
		{":big", did.ErrResolutionFailed, safehttp.ErrTooLarge},
		{":broken", did.ErrInvalidDocument, nil},
		{":fail", did.ErrResolutionFailed, safehttp.ErrStatus},
		{":loop", did.ErrResolutionFailed, safehttp.ErrRedirect},
	} {
		_, err := res.Resolve(ctx, "did:web:"+s.host+tt.path)
		if !errors.Is(err, tt.want) || safehttp.Kind(err) != tt.kind {
			t.Errorf("%s: %v, want %v of kind %v", tt.path, err, tt.want, tt.kind)
		}
	}
	// The registry refuses a document that names another DID.
	reg := did.NewRegistry()
	reg.Register("web", res)
	if _, err := reg.Resolve(ctx, "did:web:"+s.host+":users:alice"); err != nil {
		t.Error(err)
	}
}

// By default nothing internal is reachable: not the loopback address named
// directly, and not a name ("localhost") that resolves to it — the address
// is checked when dialling, after DNS.
func TestPrivateAddressesRefused(t *testing.T) {
	var hits atomic.Int32
	s := newSite(t, func(w http.ResponseWriter, r *http.Request) { hits.Add(1); fmt.Fprint(w, "{}") })
	opts := s.opts
	opts.AllowPrivateAddresses = false
	res := web.New(opts)
	port := s.srv.Listener.Addr().(interface{ String() string }).String()
	port = port[strings.LastIndexByte(port, ':')+1:]
	for _, host := range []string{s.host, "localhost%3A" + port} {
		_, err := res.Resolve(context.Background(), "did:web:"+host)
		if !errors.Is(err, web.ErrAddressNotAllowed) || !errors.Is(err, did.ErrResolutionFailed) {
			t.Errorf("%s: %v, want ErrAddressNotAllowed", host, err)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the internal server was reached %d times", n)
	}
}

func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	s := newSite(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	opts := s.opts
	opts.Timeout = 100 * time.Millisecond
	start := time.Now()
	_, err := web.New(opts).Resolve(context.Background(), "did:web:"+s.host)
	if !errors.Is(err, did.ErrResolutionFailed) {
		t.Errorf("error = %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %s", d)
	}
}

func TestPublicAddresses(t *testing.T) {
	for addr, public := range map[string]bool{
		"8.8.8.8": true, "2606:4700::1111": true,
		"127.0.0.1": false, "10.1.2.3": false, "172.16.0.1": false, "192.168.1.1": false, "169.254.169.254": false,
		"100.64.0.1": false, "0.0.0.0": false, "::1": false, "fe80::1": false, "fc00::1": false, "::ffff:127.0.0.1": false,
		"64:ff9b::a00:1": false, "224.0.0.1": false, "255.255.255.255": false,
	} {
		if got := web.Public(netip.MustParseAddr(addr)); got != public {
			t.Errorf("Public(%s) = %v", addr, got)
		}
	}
}

func FuzzURL(f *testing.F) {
	f.Add("did:web:example.com%3A3000:user:alice")
	f.Fuzz(func(t *testing.T, in string) {
		u, err := web.URL(in)
		if err != nil {
			return
		}
		if !strings.HasPrefix(u, "https://") || !strings.HasSuffix(u, "/did.json") || strings.Contains(u, "/../") {
			t.Fatalf("URL(%q) = %q", in, u)
		}
	})
}
