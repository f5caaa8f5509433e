package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/testwallet"
)

// loadBalancer is the front of several instances with no stickiness: the
// wallet's answers go to one instance, everything else to another — the
// worst case for a browser waiting on the first.
type loadBalancer struct {
	srv            *httptest.Server
	browser, other atomic.Pointer[httputil.ReverseProxy]
}

func newLoadBalancer(t *testing.T) *loadBalancer {
	lb := &loadBalancer{}
	lb.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		to := lb.browser.Load()
		if strings.HasPrefix(r.URL.Path, "/oid4vp/") {
			to = lb.other.Load()
		}
		to.ServeHTTP(w, r)
	}))
	t.Cleanup(lb.srv.Close)
	return lb
}

func proxyTo(p *Program) *httputil.ReverseProxy {
	u, _ := url.Parse("http://" + p.Addr())
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.FlushInterval = -1 // pass event streams through at once
	return rp
}

// TestEventsAcrossInstances: two instances on one Redis behind a load
// balancer; the session is created and followed on A, the wallet's answer
// lands on B, and A's event stream says verified within a second.
func TestEventsAcrossInstances(t *testing.T) {
	lb := newLoadBalancer(t)
	prefix := "test:" + randomHex(6) + ":"
	a := instance{store: "redis", prefix: prefix, publicURL: lb.srv.URL}.start(t)
	b := instance{store: "redis", prefix: prefix, publicURL: lb.srv.URL}.start(t)
	lb.browser.Store(proxyTo(a))
	lb.other.Store(proxyTo(b))

	s := newSite(t, a) // the browser, through the load balancer
	c := s.start("verifiable-id", "cross-device")
	events, resp := openEvents(t, s.http, s.base+c.StatusURL+"/events", nil) // the cookie
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("events: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if ev, st := nextEvent(t, events, 5*time.Second); ev.name != "pending" || st.Status != "pending" || st.Result != nil {
		t.Fatalf("first event %s %+v", ev.name, st)
	}

	pp := newPeople(t)
	w := &testwallet.Wallet{Holder: pp.holder, Credentials: []map[string]any{pp.idCard}}
	r, err := testwallet.ParseRequest(context.Background(), http.DefaultClient, c.AuthorizationRequest)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.ResponseURI, lb.srv.URL+"/oid4vp/") {
		t.Fatalf("response URI %s does not go through the load balancer", r.ResponseURI)
	}
	a2, err := w.Answer(r)
	if err != nil {
		t.Fatal(err)
	}
	// The load balancer sends the answer to B.
	resp, body, err := testwallet.Post(context.Background(), http.DefaultClient, r.ResponseURI, a2)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("answer: %v %d %s", err, resp.StatusCode, body)
	}
	done := time.Now()
	ev, st := nextEvent(t, events, 5*time.Second)
	if ev.name != "verified" || st.Status != "verified" || st.Result == nil || st.Result.Holder != pp.holder.DID {
		t.Fatalf("event %s %+v", ev.name, st)
	}
	if late := ev.at.Sub(done); late > time.Second {
		t.Fatalf("the browser on A learned of the answer on B after %v, want within a second", late)
	}
	t.Logf("A's stream saw B's answer %v after the wallet's 200", ev.at.Sub(done))
	streamEnds(t, events, 5*time.Second)
}

// TestEvents covers one instance on each store: who may follow a session,
// and the events of a verification and of an expiry.
func TestEvents(t *testing.T) {
	for _, store := range stores {
		t.Run(store, func(t *testing.T) {
			p := instance{store: store, replace: map[string]string{"lifetime: 5m": "lifetime: 1s"}}.start(t)
			s := newSite(t, p)
			c := s.start("verifiable-id", "cross-device")
			stranger := &http.Client{Timeout: 5 * time.Second}

			for _, tc := range []struct {
				name   string
				header map[string]string
			}{
				{"no token", nil},
				{"wrong token", map[string]string{"Authorization": "Bearer " + strings.Repeat("A", 43)}},
				{"wrong scheme", map[string]string{"Authorization": "Basic " + c.StatusToken}},
			} {
				_, resp := openEvents(t, stranger, s.base+c.StatusURL+"/events", tc.header)
				if resp.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
					t.Errorf("%s: %d %s", tc.name, resp.StatusCode, resp.Header.Get("Content-Type"))
				}
				resp.Body.Close()
			}
			// Unknown session: the same 401 as a wrong token.
			_, resp := openEvents(t, stranger, s.base+"/api/v1/sessions/nope/events", map[string]string{"Authorization": "Bearer " + c.StatusToken})
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("unknown session: %d", resp.StatusCode)
			}

			// The website with its bearer token sees the session expire at
			// expires_at, though nobody polls.
			events, resp := openEvents(t, stranger, s.base+c.StatusURL+"/events", map[string]string{"Authorization": "Bearer " + c.StatusToken})
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" {
				t.Fatalf("events: %d %v", resp.StatusCode, resp.Header)
			}
			if ev, _ := nextEvent(t, events, 5*time.Second); ev.name != "pending" {
				t.Fatalf("first event %s", ev.name)
			}
			ev, st := nextEvent(t, events, 5*time.Second)
			expires, _ := time.Parse(time.RFC3339Nano, c.ExpiresAt)
			if ev.name != "expired" || st.Status != "expired" {
				t.Fatalf("event %s %+v", ev.name, st)
			}
			if early := expires.Sub(ev.at); early > 0 {
				t.Fatalf("expired %v before expires_at", early)
			}
			streamEnds(t, events, 5*time.Second)

			// A completed session answers its final event at once, then ends.
			c2 := s.start("verifiable-id", "cross-device")
			pp := newPeople(t)
			w := &testwallet.Wallet{Holder: pp.holder, Credentials: []map[string]any{pp.idCard}}
			if resp, body, err := w.Login(context.Background(), c2.AuthorizationRequest); err != nil || resp.StatusCode != 200 {
				t.Fatalf("wallet: %v %s", err, body)
			}
			events, _ = openEvents(t, s.http, s.base+c2.StatusURL+"/events", nil)
			if ev, st := nextEvent(t, events, 5*time.Second); ev.name != "verified" || st.Result == nil {
				t.Fatalf("event %s %+v", ev.name, st)
			}
			streamEnds(t, events, 5*time.Second)
		})
	}
}

// TestEventsOutliveServerTimeouts: with read and write timeouts of one
// second, a stream stays open on heartbeats well past both, then delivers
// the verification.
func TestEventsOutliveServerTimeouts(t *testing.T) {
	p := instance{store: "memory", replace: map[string]string{
		"max_body_bytes: 262144": "max_body_bytes: 262144\n  read_timeout: 1s\n  write_timeout: 1s",
		"event_heartbeat: 15s":   "event_heartbeat: 200ms",
	}}.start(t)
	s := newSite(t, p)
	c := s.start("verifiable-id", "cross-device")
	events, _ := openEvents(t, s.http, s.base+c.StatusURL+"/events", nil)
	opened := time.Now()
	heartbeats := 0
	for time.Since(opened) < 2500*time.Millisecond {
		select {
		case ev, ok := <-events:
			if !ok {
				t.Fatalf("the stream ended after %v and %d heartbeats", time.Since(opened), heartbeats)
			}
			if ev.name == ":" && ev.data == ": heartbeat" {
				heartbeats++
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no heartbeat")
		}
	}
	pp := newPeople(t)
	w := &testwallet.Wallet{Holder: pp.holder, Credentials: []map[string]any{pp.idCard}}
	if resp, body, err := w.Login(context.Background(), c.AuthorizationRequest); err != nil || resp.StatusCode != 200 {
		t.Fatalf("wallet: %v %s", err, body)
	}
	if ev, _ := nextEvent(t, events, 5*time.Second); ev.name != "verified" {
		t.Fatalf("event %s", ev.name)
	}
}

// TestShutdownEndsEventStreams: a graceful shutdown does not wait for open
// streams until its timeout; they end and Close returns cleanly.
func TestShutdownEndsEventStreams(t *testing.T) {
	p := instance{store: "memory", noCleanup: true}.start(t)
	s := newSite(t, p)
	c := s.start("verifiable-id", "cross-device")
	events, _ := openEvents(t, s.http, s.base+c.StatusURL+"/events", nil)
	if ev, _ := nextEvent(t, events, 5*time.Second); ev.name != "pending" {
		t.Fatalf("event %s", ev.name)
	}
	start := time.Now()
	if err := p.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("shutdown took %v with a stream open", took)
	}
	streamEnds(t, events, 5*time.Second)
}
