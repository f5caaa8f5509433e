package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/loginwithiota/verifier/did"
	didjwk "github.com/loginwithiota/verifier/did/jwk"
	didkey "github.com/loginwithiota/verifier/did/key"
	"github.com/loginwithiota/verifier/issuer"
	"github.com/loginwithiota/verifier/issuer/config"
	"github.com/loginwithiota/verifier/issuer/handler"
	"github.com/loginwithiota/verifier/issuer/issuerkey"
	"github.com/loginwithiota/verifier/issuer/store/memory"
	issuerredis "github.com/loginwithiota/verifier/issuer/store/redis"
)

// Program is the running issuer: wiring happens here and nowhere else.
type Program struct {
	Log        *slog.Logger
	PublicURL  string
	DID        string
	StoreName  string
	DemoURL    string
	APIEnabled bool

	cfg      *config.Config
	ln       net.Listener
	srv      *http.Server
	redis    *goredis.Client
	cancel   context.CancelFunc
	serveErr chan error
}

// Open loads the config, takes the key, connects the store, listens and serves.
func Open(ctx context.Context, o Options, logOut io.Writer) (_ *Program, err error) {
	cfg, err := config.Load(o.ConfigPath)
	if err != nil {
		return nil, err
	}
	if o.Listen != "" {
		cfg.Listen = o.Listen
	}
	if o.PublicURL != "" {
		if err := config.CheckPublicURL(o.PublicURL); err != nil {
			return nil, err
		}
		cfg.PublicURL = o.PublicURL
	}
	if o.RedisURL != "" {
		cfg.Redis.URL = o.RedisURL
	}
	if o.APIKey != "" {
		cfg.API.Key = o.APIKey
	}
	log := newLogger(cfg.Log, logOut)
	p := &Program{Log: log, cfg: cfg, serveErr: make(chan error, 1), APIEnabled: cfg.API.Key != ""}
	bg, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	defer func() {
		if err != nil {
			if p.ln != nil {
				p.ln.Close()
			}
			if p.redis != nil {
				p.redis.Close()
			}
			cancel()
		}
	}()
	if cfg.API.Key != "" && len(cfg.API.Key) < 16 {
		return nil, errors.New("ISSUER_API_KEY: must be at least 16 characters")
	}
	store, err := p.openStore(ctx, bg)
	if err != nil {
		return nil, err
	}
	// Listen first: a taken port fails the start, and ":0" works.
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("listen %s: %w", cfg.Listen, err)
	}
	p.ln = ln
	p.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	if p.PublicURL == "" {
		p.PublicURL = "http://" + ln.Addr().String()
	}
	key, created, err := issuerkey.LoadOrCreate(cfg.KeyFile(), cfg.Key.Type)
	if err != nil {
		return nil, fmt.Errorf("key.file: %w", err)
	}
	id, err := issuerkey.NewIdentity(key, cfg.Key.DID, p.PublicURL)
	if err != nil {
		return nil, fmt.Errorf("key.did: %w", err)
	}
	p.DID = id.Signer.DID
	if created {
		log.Info("generated the issuer key", "file", cfg.KeyFile(), "type", cfg.Key.Type, "did", p.DID)
	}
	icfg := cfg.Issuer()
	icfg.Identifier, icfg.Signer, icfg.Keys, icfg.Logger = p.PublicURL, id.Signer, holderDIDs(), log
	iss, err := issuer.New(icfg, store)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", o.ConfigPath, err)
	}
	h := handler.New(iss, handler.Options{APIKey: cfg.API.Key, Demo: cfg.Demo.Enabled, Health: true,
		DIDDocument: id.Document, DIDPath: id.DocumentPath, MaxBodyBytes: cfg.HTTP.MaxBodyBytes, Logger: log})
	if cfg.Demo.Enabled {
		p.DemoURL = p.PublicURL + "/"
	}
	p.srv = &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       cfg.HTTP.ReadTimeout.Std(),
		WriteTimeout:      cfg.HTTP.WriteTimeout.Std(),
		IdleTimeout:       cfg.HTTP.IdleTimeout.Std(),
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	go func() { p.serveErr <- p.srv.Serve(ln) }()
	return p, nil
}

// holderDIDs resolves the DIDs key proofs name: offline methods only.
func holderDIDs() did.Resolver {
	r := did.NewRegistry()
	r.Register("key", didkey.New())
	r.Register("jwk", didjwk.New())
	return r
}

func (p *Program) openStore(ctx, bg context.Context) (issuer.Store, error) {
	if p.cfg.Redis.URL == "" {
		m := memory.New(memory.Options{})
		go m.Run(bg, time.Minute)
		p.StoreName = "memory"
		return m, nil
	}
	opt, err := goredis.ParseURL(p.cfg.Redis.URL)
	if err != nil {
		return nil, fmt.Errorf("redis %s: %w", redactURL(p.cfg.Redis.URL), err)
	}
	opt.DialTimeout, opt.ReadTimeout, opt.WriteTimeout = 2*time.Second, 2*time.Second, 2*time.Second
	// go-redis logs dial failures on its own; route them through our
	// logger, at debug: the start's one error line says the same.
	goredis.SetLogger(redisLogger{p.Log})
	client := goredis.NewClient(opt)
	pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := client.Ping(pctx).Err(); err != nil {
		client.Close()
		return nil, fmt.Errorf("redis %s is unreachable: %v", redactURL(p.cfg.Redis.URL), err)
	}
	p.redis = client
	p.StoreName = "redis"
	return issuerredis.New(client, issuerredis.Options{Prefix: p.cfg.Redis.KeyPrefix}), nil
}

// Addr is the address the server listens on.
func (p *Program) Addr() string { return p.ln.Addr().String() }

// Close shuts down gracefully: requests in flight finish, then the store closes.
func (p *Program) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), p.cfg.HTTP.ShutdownTimeout.Std())
	defer cancel()
	err := p.srv.Shutdown(ctx)
	if serr := <-p.serveErr; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	p.cancel()
	if p.redis != nil {
		p.redis.Close()
	}
	return err
}

func newLogger(c config.Log, out io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(c.Level))
	opts := &slog.HandlerOptions{Level: level}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(out, opts))
	}
	return slog.New(slog.NewTextHandler(out, opts))
}

// redisLogger adapts go-redis's logger to slog.
type redisLogger struct{ log *slog.Logger }

func (l redisLogger) Printf(ctx context.Context, format string, v ...any) {
	l.log.DebugContext(ctx, "redis: "+fmt.Sprintf(format, v...))
}

// redactURL drops a password from a Redis URL before it is printed.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}
