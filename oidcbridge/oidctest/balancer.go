package oidctest

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// Balancer is the front of several instances without stickiness: each
// request goes to the instance its path prefix names, the rest to the
// default, so a test decides which instance serves which step.
type Balancer struct {
	URL string

	mu     sync.Mutex
	routes map[string]*httputil.ReverseProxy // path prefix → instance
	def    *httputil.ReverseProxy
}

// NewBalancer listens before the instances start: they need its URL.
func NewBalancer(t testing.TB) *Balancer {
	b := &Balancer{routes: map[string]*httputil.ReverseProxy{}}
	srv := httptest.NewServer(http.HandlerFunc(b.serve))
	t.Cleanup(srv.Close)
	b.URL = srv.URL
	return b
}

// Route sends requests under prefix to s ("" for the default).
func (b *Balancer) Route(prefix string, s *Server) {
	u, _ := url.Parse("http://" + s.Addr)
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.FlushInterval = -1 // event streams pass at once
	b.mu.Lock()
	defer b.mu.Unlock()
	if prefix == "" {
		b.def = rp
		return
	}
	b.routes[prefix] = rp
}

func (b *Balancer) serve(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	to, best := b.def, ""
	for prefix, rp := range b.routes {
		if strings.HasPrefix(r.URL.Path, prefix) && len(prefix) > len(best) {
			to, best = rp, prefix
		}
	}
	b.mu.Unlock()
	to.ServeHTTP(w, r)
}
