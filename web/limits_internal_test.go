package web

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"
)

// TestLimiterMemoryBounded: however many addresses ask, the limiter keeps
// at most Clients buckets; idle ones are forgotten, and while all are
// busy new addresses share the overflow bucket.
func TestLimiterMemoryBounded(t *testing.T) {
	l := newLimiter(RateLimit{PerSecond: 1, Burst: 2, Clients: 100})
	now := time.Unix(1_000_000, 0)
	for i := range 10_000 {
		l.wait(fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255), now)
	}
	if n := l.size(); n != 100 {
		t.Fatalf("%d buckets, want the bound 100", n)
	}
	// The overflow bucket is shared: its burst is spent.
	if d := l.wait("192.0.2.1", now); d == 0 {
		t.Fatal("a new address beyond the bound was not limited by the overflow bucket")
	}
	// Later, the idle buckets make room.
	now = now.Add(3 * time.Second)
	if d := l.wait("192.0.2.1", now); d != 0 {
		t.Fatalf("after the others went idle: wait %v", d)
	}
	if n := l.size(); n != 1 {
		t.Fatalf("%d buckets after the sweep", n)
	}
}

// TestQRRenderedOnce: a session's image is rendered once, whoever asks.
func TestQRRenderedOnce(t *testing.T) {
	q := newQRCache(10)
	var renders atomic.Int32
	render := func(s string) ([]byte, error) { renders.Add(1); return qrSVG(s) }
	expires := time.Now().Add(time.Minute)
	for range 5 {
		if _, err := q.get("s1.svg", "openid4vp://?a=b", expires, render); err != nil {
			t.Fatal(err)
		}
	}
	if n := renders.Load(); n != 1 {
		t.Fatalf("%d renders", n)
	}
	// An image whose session has expired is not kept.
	if _, err := q.get("s2.svg", "openid4vp://?c=d", time.Now().Add(-time.Second), render); err != nil {
		t.Fatal(err)
	}
	if _, ok := q.images.Get("s2.svg"); ok {
		t.Fatal("an expired session's image was kept")
	}
}

// qrURI is a request URI of the length the service hands out.
var qrURI = "openid4vp://?client_id=https%3A%2F%2Fverifier.example.org%2Foid4vp%2Fresponse&nonce=" +
	"Nn3bq5CqQ4eEJzvLr0Hn0mFDPj_Sk1Qb&presentation_definition_uri=https%3A%2F%2Fverifier.example.org%2Foid4vp%2Fdefinitions%2Fverifiable-id" +
	"&redirect_uri=https%3A%2F%2Fverifier.example.org%2Foid4vp%2Fresponse&response_mode=post&response_type=vp_token&scope=openid&state=kq8o6HqjL7iQ0y0J5dGZkV9zZb7mT3aQ"

// BenchmarkQR: rendering each image against serving it from the cache.
func BenchmarkQR(b *testing.B) {
	for _, f := range []struct {
		name   string
		render func(string) ([]byte, error)
	}{{"png", qrPNG}, {"svg", qrSVG}} {
		b.Run(f.name+"/render", func(b *testing.B) {
			var size int
			for b.Loop() {
				img, err := f.render(qrURI)
				if err != nil {
					b.Fatal(err)
				}
				size = len(img)
			}
			b.ReportMetric(float64(size), "bytes/image")
		})
		b.Run(f.name+"/cached", func(b *testing.B) {
			q := newQRCache(10)
			expires := time.Now().Add(time.Hour)
			for b.Loop() {
				if _, err := q.get("s."+f.name, qrURI, expires, f.render); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
