package safehttp

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
)

// A redirect is dialled through the same check as the first request: with
// the first server allowed (as a public one would be) and the second not,
// following the redirect to it is refused, whether it names the address or
// a host name resolving to it. (Every test server listens on loopback, so
// the test replaces the check with one that allows a port.)
func TestRedirectHopIsChecked(t *testing.T) {
	var internalHits atomic.Int32
	internal := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		internalHits.Add(1)
		fmt.Fprint(w, "secret")
	}))
	defer internal.Close()
	internalPort := internal.Listener.Addr().(interface{ String() string }).String()
	internalPort = internalPort[strings.LastIndexByte(internalPort, ':')+1:]
	front := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://"+strings.TrimPrefix(r.URL.Path, "/")+":"+internalPort+"/", http.StatusFound)
	}))
	defer front.Close()
	frontAddr := netip.MustParseAddrPort(front.Listener.Addr().String())

	pool := x509.NewCertPool()
	pool.AddCert(front.Certificate())
	pool.AddCert(internal.Certificate())
	c := New(Options{TLS: &tls.Config{RootCAs: pool}, Timeout: 5 * time.Second, MaxRedirects: 3,
		allowed: func(ap netip.AddrPort) bool { return ap == frontAddr }})
	for _, host := range []string{"127.0.0.1", "localhost"} {
		_, _, err := c.Get(context.Background(), front.URL+"/"+host, "")
		if !errors.Is(err, ErrAddressNotAllowed) || Kind(err) != ErrAddressNotAllowed {
			t.Errorf("redirect to %s: %v, want ErrAddressNotAllowed", host, err)
		}
	}
	if n := internalHits.Load(); n != 0 {
		t.Errorf("the internal server was reached %d times", n)
	}
}
