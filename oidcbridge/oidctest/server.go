package oidctest

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/loginwithiota/verifier/config"
	"github.com/loginwithiota/verifier/did"
	didkey "github.com/loginwithiota/verifier/did/key"
	"github.com/loginwithiota/verifier/internal/testshared"
	"github.com/loginwithiota/verifier/oidcbridge"
	"github.com/loginwithiota/verifier/oidcbridge/oidcsetup"
	"github.com/loginwithiota/verifier/session"
	"github.com/loginwithiota/verifier/session/memory"
	sessionredis "github.com/loginwithiota/verifier/session/redis"
	"github.com/loginwithiota/verifier/verifier"
	"github.com/loginwithiota/verifier/web"
)

// Clock is the settable clock of the verifier and the provider.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock stands at the real time, so Redis TTLs stay sane.
func NewClock() *Clock { return &Clock{t: time.Now()} }

func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Instance describes one verifier process.
type Instance struct {
	// Redis selects the Redis stores under Prefix; nil: memory.
	Redis  goredis.UniversalClient
	Prefix string
	// PublicURL is set when instances share one (a load balancer in front);
	// empty: the instance's own address.
	PublicURL string
	// OIDC replaces the oidc section (YAML, top level); empty: Section.
	OIDC string
	// Clock is shared by instances; nil: a fresh one.
	Clock *Clock
	// Log receives the service's log (nil: discarded).
	Log io.Writer
}

// Server is a running instance.
type Server struct {
	URL      string // its public URL
	Addr     string // host:port it listens on
	Issuer   string
	Clock    *Clock
	Verifier *verifier.Verifier
	Provider *oidcbridge.Provider
	srv      *http.Server
}

// Start runs an instance until t ends.
func Start(t testing.TB, o Instance) *Server {
	t.Helper()
	if o.Clock == nil {
		o.Clock = NewClock()
	}
	if o.OIDC == "" {
		o.OIDC = Section
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	shipped, err := os.ReadFile(filepath.Join(filepath.Dir(testshared.Dir(t)), "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse(append(shipped, []byte("\n"+o.OIDC)...))
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	log := slog.New(slog.NewTextHandler(o.Log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Addr: ln.Addr().String(), Clock: o.Clock}
	s.URL = o.PublicURL
	if s.URL == "" {
		s.URL = "http://" + s.Addr
	}
	var store session.Store = memory.New(memory.Options{Now: o.Clock.Now})
	if o.Redis != nil {
		rs := sessionredis.New(o.Redis, sessionredis.Options{Prefix: o.Prefix, Now: o.Clock.Now})
		t.Cleanup(func() { rs.Close() })
		store = rs
	}
	dids := did.NewRegistry()
	dids.Register("key", didkey.New())
	defs := make([]verifier.Definition, 0, len(cfg.Definitions))
	for _, d := range cfg.Definitions {
		defs = append(defs, verifier.Definition{PEX: d.PEX, TrustedIssuers: d.TrustedIssuers, AllowWarnings: d.AllowWarnings})
	}
	s.Verifier, err = verifier.New(verifier.Config{
		PublicURL: s.URL, Lifetime: cfg.Session.Lifetime.Std(), Retention: cfg.Session.Retention.Std(),
		CrossDeviceMode: cfg.OID4VP.CrossDeviceResponseMode, SameDeviceMode: cfg.OID4VP.SameDeviceResponseMode,
		Scheme: cfg.OID4VP.Scheme, ClockSkew: cfg.Policy.ClockSkew.Std(),
		Definitions: defs, Now: o.Clock.Now, Logger: log,
	}, store, dids)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	e := web.New(s.Verifier, s.URL, web.Options{MaxBodyBytes: cfg.HTTP.MaxBodyBytes, Logger: log, Done: done,
		EventHeartbeat: cfg.Web.EventHeartbeat.Std()})
	// What cmd/verifier adds to its Open, after web.New.
	s.Provider, err = oidcsetup.New(context.Background(), cfg.OIDC, oidcsetup.Deps{
		PublicURL: s.URL, Sessions: s.Verifier, Redis: o.Redis, RedisPrefix: o.Prefix, Logger: log, Now: o.Clock.Now,
	})
	if err != nil {
		t.Fatalf("oidc: %v", err)
	}
	oidcbridge.Mount(e, s.Provider)
	s.Issuer = s.Provider.Issuer()

	s.srv = &http.Server{Handler: e, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 15 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: time.Minute, MaxHeaderBytes: 32 << 10}
	var once sync.Once
	s.srv.RegisterOnShutdown(func() { once.Do(func() { close(done) }) })
	served := make(chan error, 1)
	go func() { served <- s.srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.srv.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	})
	return s
}

// RedisClient connects to the test Redis (VERIFIER_TEST_REDIS, default
// 127.0.0.1:6379): without one a test skips on a workstation and fails in
// CI (CI set). Keys under the returned prefix go when t ends.
func RedisClient(t testing.TB) (*goredis.Client, string) {
	t.Helper()
	addr := RedisAddr()
	client := goredis.NewClient(&goredis.Options{Addr: addr})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := client.Ping(ctx).Err(); err != nil {
		client.Close()
		if os.Getenv("CI") == "" {
			t.Skipf("no Redis at %s (set VERIFIER_TEST_REDIS): %v", addr, err)
		}
		t.Fatalf("no Redis at %s in CI: %v", addr, err)
	}
	prefix := "liotatest:" + randomText() + ":"
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var keys []string
		iter := client.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			keys = append(keys, iter.Val())
		}
		if len(keys) > 0 {
			client.Unlink(ctx, keys...)
		}
		client.Close()
	})
	return client, prefix
}

// RedisAddr is the test Redis: VERIFIER_TEST_REDIS, default 127.0.0.1:6379.
func RedisAddr() string {
	if a := os.Getenv("VERIFIER_TEST_REDIS"); a != "" {
		return a
	}
	return "127.0.0.1:6379"
}

// Base is the public URL the issuer hangs under.
func (s *Server) Base() string { return strings.TrimSuffix(s.Issuer, s.Provider.Path()) }
