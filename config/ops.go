package config

import (
	"fmt"
	"net/netip"
	"strings"
)

// Metrics serves Prometheus metrics on a listener of its own, never on
// the public one: put it on an address only the scraper reaches.
type Metrics struct {
	// Listen is HOST:PORT of /metrics (e.g. 127.0.0.1:9090, or :9090 in a
	// container whose port is not published). Empty: no metrics endpoint.
	Listen string `yaml:"listen"`
}

// Audit is the audit log: one JSON line per completed login.
type Audit struct {
	// Sink is "" (off, the default), "stderr", "stdout", or a file path
	// (appended to, created 0600; relative to the working directory).
	Sink string `yaml:"sink"`
	// IncludeHolder adds the verified holder's DID to each record:
	// personal data, off by default.
	IncludeHolder bool `yaml:"include_holder"`
}

// Limits bound what visitors can make the service hold. Zero values take
// the defaults; a negative value turns a limit off.
type Limits struct {
	// SessionsPerSecond and SessionsBurst are the token bucket of session
	// creation per client address (an IPv6 client per /64): a client may
	// create SessionsBurst logins at once, then SessionsPerSecond.
	// Beyond: 429 with Retry-After. Defaults 5 and 50; a negative
	// SessionsPerSecond turns the limit off (a load test, or a website
	// backend that starts every login from one address).
	SessionsPerSecond float64 `yaml:"sessions_per_second"`
	SessionsBurst     int     `yaml:"sessions_burst"`
	// Clients bounds the client addresses the limiter remembers (default
	// 10000); when that many are busy, new addresses share one bucket.
	Clients int `yaml:"clients"`
	// MaxPendingSessions bounds the logins pending at once in the
	// embedded store (default 10000, about 12 MB); one more is refused
	// with 503, no pending login is evicted. Redis is bounded by its own
	// maxmemory.
	MaxPendingSessions int `yaml:"max_pending_sessions"`
	// EventStreams bounds the open event streams (default 1000), and
	// EventStreamsPerSession those of one login (default 4).
	EventStreams           int `yaml:"event_streams"`
	EventStreamsPerSession int `yaml:"event_streams_per_session"`
	// QRCache bounds the rendered QR images kept (default 1000, at most
	// about 20 MB; each session's SVG and PNG are rendered once and kept
	// until it stops being pending).
	QRCache int `yaml:"qr_cache"`
}

func (l *Limits) applyDefaults() {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	if l.SessionsPerSecond == 0 {
		l.SessionsPerSecond = 5
	}
	def(&l.SessionsBurst, 50)
	def(&l.Clients, 10000)
	def(&l.MaxPendingSessions, 10000)
	def(&l.EventStreams, 1000)
	def(&l.EventStreamsPerSession, 4)
	def(&l.QRCache, 1000)
}

func (l *Limits) validate() error {
	if l.SessionsPerSecond > 0 && l.SessionsBurst < 1 {
		return fmt.Errorf("limits.sessions_burst: must be at least 1 while sessions_per_second is set")
	}
	if l.QRCache < 0 {
		return fmt.Errorf("limits.qr_cache: must not be negative")
	}
	return nil
}

func (a *Audit) validate() error {
	if strings.TrimSpace(a.Sink) != a.Sink {
		return fmt.Errorf("audit.sink: %q has leading or trailing spaces", a.Sink)
	}
	return nil
}

// validateOps checks http.trusted_proxies, metrics, audit and limits.
func (c *Config) validateOps() error {
	for i, p := range c.HTTP.TrustedProxies {
		if _, err := ParsePrefix(p); err != nil {
			return fmt.Errorf("http.trusted_proxies[%d]: want an IP address or a CIDR range like 10.0.0.0/8, got %q", i, p)
		}
	}
	if c.Metrics.Listen != "" && c.Metrics.Listen == c.Listen {
		return fmt.Errorf("metrics.listen: must differ from listen (metrics are never served on the public listener)")
	}
	if err := c.Audit.validate(); err != nil {
		return err
	}
	return c.Limits.validate()
}

// ParsePrefix reads an address (a /32 or /128) or a CIDR range.
func ParsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		return p.Masked(), err
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()), nil
}
