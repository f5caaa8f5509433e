package web

import (
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"

	"github.com/loginwithiota/verifier/oauth"
)

// RateLimit is the token bucket of session creation per client address.
type RateLimit struct {
	// PerSecond refills a client's bucket; 0 turns the limit off.
	PerSecond float64
	// Burst is the bucket's size: logins a client may start at once.
	Burst int
	// Clients bounds the addresses remembered (default 10000).
	Clients int
}

// limiter keeps one golang.org/x/time/rate bucket per client: an IPv4
// address, or an IPv6 /64 (what one host is usually given). Its memory is
// bounded: a bucket idle long enough to be full again is forgotten, since
// a fresh one is the same; when Clients buckets are all busy, new
// addresses share one overflow bucket instead of growing the map.
type limiter struct {
	rate  rate.Limit
	burst int
	max   int
	idle  time.Duration // a bucket idle this long is full: forgettable

	mu        sync.Mutex
	clients   map[netip.Prefix]*bucket
	overflow  *rate.Limiter
	lastSweep time.Time
}

type bucket struct {
	lim  *rate.Limiter
	last time.Time
}

func newLimiter(o RateLimit) *limiter {
	if o.PerSecond <= 0 {
		return nil
	}
	if o.Burst < 1 {
		o.Burst = 1
	}
	if o.Clients <= 0 {
		o.Clients = 10000
	}
	idle := time.Duration(float64(o.Burst) / o.PerSecond * float64(time.Second))
	return &limiter{rate: rate.Limit(o.PerSecond), burst: o.Burst, max: o.Clients, idle: max(idle, time.Second),
		clients: make(map[netip.Prefix]*bucket), overflow: rate.NewLimiter(rate.Limit(o.PerSecond), o.Burst)}
}

// clientKey is the bucket's key of an address as c.RealIP gives it.
func clientKey(ip string) netip.Prefix {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return netip.Prefix{} // unknown: one shared bucket
	}
	a = a.Unmap()
	bits := 32
	if a.Is6() {
		bits = 64
	}
	p, _ := a.Prefix(bits)
	return p
}

// wait is how long the client at ip must wait before it may start a
// login; 0 means now, and the token is taken.
func (l *limiter) wait(ip string, now time.Time) time.Duration {
	key := clientKey(ip)
	l.mu.Lock()
	b, ok := l.clients[key]
	if !ok {
		if len(l.clients) >= l.max && now.Sub(l.lastSweep) >= time.Second {
			l.sweep(now)
		}
		if len(l.clients) < l.max {
			b = &bucket{lim: rate.NewLimiter(l.rate, l.burst)}
			l.clients[key] = b
		}
	}
	lim := l.overflow
	if b != nil {
		b.last = now
		lim = b.lim
	}
	l.mu.Unlock()
	r := lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return d
	}
	return 0
}

// sweep forgets the buckets idle long enough to be full. The caller holds
// l.mu.
func (l *limiter) sweep(now time.Time) {
	l.lastSweep = now
	for k, b := range l.clients {
		if now.Sub(b.last) >= l.idle {
			delete(l.clients, k)
		}
	}
}

// size is how many buckets are kept (tests).
func (l *limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.clients)
}

// limitSessions refuses a session creation beyond the client's bucket:
// 429 with Retry-After.
func (h *Handler) limitSessions(next echo.HandlerFunc) echo.HandlerFunc {
	if h.limiter == nil {
		return next
	}
	return func(c echo.Context) error {
		if d := h.limiter.wait(c.RealIP(), time.Now()); d > 0 {
			h.obs.Refused(LimitSessionRate)
			return oauth.New(oauth.RateLimited, "", "too many logins started from this address; try again shortly").WithRetryAfter(d)
		}
		return next(c)
	}
}

// ipExtractor believes X-Forwarded-For only from the trusted proxies.
func ipExtractor(trusted []netip.Prefix) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range trusted {
		opts = append(opts, echo.TrustIPRange(&net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}
