package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/loginwithiota/verifier/config"
	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/session"
	"github.com/loginwithiota/verifier/session/memory"
	sessionredis "github.com/loginwithiota/verifier/session/redis"
	"github.com/loginwithiota/verifier/verifier"
	"github.com/loginwithiota/verifier/web"
)

// Program is the running service: wiring happens here and nowhere else.
type Program struct {
	Log       *slog.Logger
	PublicURL string
	StoreName string
	Version   string

	cfg      *config.Config
	ln       net.Listener
	srv      *http.Server
	redis    goredis.UniversalClient
	cancel   context.CancelFunc
	serveErr chan error

	// redisStore holds the instance's pub/sub subscription, closed with it.
	redisStore *sessionredis.Store
	// streamsDone ends the event streams when the server shuts down.
	streamsDone chan struct{}
	// ops are the metrics listener and the audit log (ops.go).
	ops *ops
	// webhooks deliver logins' ends (webhooks.go); nil when off.
	webhooks *webhooks
}

// Open loads the config, connects the store, listens, and starts serving.
func Open(ctx context.Context, o Options, logOut io.Writer) (_ *Program, err error) {
	cfg, err := config.Load(o.ConfigPath)
	if err != nil {
		return nil, err
	}
	if o.Listen != "" {
		cfg.Listen = o.Listen
	}
	if o.PublicURL != "" {
		cfg.PublicURL = o.PublicURL
	}
	if o.RedisURL != "" {
		cfg.Redis.URL = o.RedisURL
	}
	log := newLogger(cfg.Log, logOut)
	info := readBuildInfo()
	p := &Program{Log: log, cfg: cfg, serveErr: make(chan error, 1), Version: info.short()}

	bg, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	// A failed start releases what it took, in one place.
	defer func() {
		if err != nil {
			if p.ln != nil {
				p.ln.Close()
			}
			p.closeStore()
			p.ops.close()
			cancel()
		}
	}()
	if p.ops, err = openOps(cfg, info, log); err != nil { // ops.go
		return nil, err
	}
	store, err := p.openStore(ctx, bg)
	if err != nil {
		return nil, err
	}
	store = p.instrumentStore(p.outboxStore(store)) // webhooks.go
	if p.webhooks, err = p.openWebhooks(store, o.ConfigPath); err != nil {
		return nil, err
	}

	// Listen synchronously so a taken port fails the start, and so ":0" works.
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("listen %s: %w", cfg.Listen, err)
	}
	p.ln = ln
	p.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	if p.PublicURL == "" {
		p.PublicURL = "http://" + ln.Addr().String()
	} else if err := checkPublicURL(p.PublicURL); err != nil {
		return nil, err
	}
	warnPublicURL(log, ln.Addr(), cfg.PublicURL, p.PublicURL) // ops.go

	dids, proofs, statusOpts, err := proofSetup(cfg, o.ConfigPath, p.ops.metrics) // verify_setup.go
	if err != nil {
		return nil, cfg.Locate(err)
	}
	var resolver did.Resolver = dids
	if m := p.ops.metrics; m != nil {
		resolver = m.Resolver(dids, cfg.DIDs.Methods)
		statusOpts.Fetcher = m.Fetcher(statusOpts.Fetcher)
	}

	defs := make([]verifier.Definition, 0, len(cfg.Definitions))
	for _, d := range cfg.Definitions {
		defs = append(defs, verifier.Definition{ID: d.ID, PEX: d.PEX, DCQL: d.DCQL, DCQLJSON: d.DCQLJSON,
			TrustedIssuers: d.TrustedIssuers, AllowWarnings: d.AllowWarnings, Protocols: d.Protocols})
	}
	v1, sd, err := v1Setup(cfg, o.ConfigPath, p.PublicURL).Options() // OID4VP 1.0, SD-JWT VC
	if err != nil {
		return nil, cfg.Locate(err)
	}

	v, err := verifier.New(verifier.Config{
		PublicURL:           p.PublicURL,
		Lifetime:            cfg.Session.Lifetime.Std(),
		Retention:           cfg.Session.Retention.Std(),
		CrossDeviceMode:     cfg.OID4VP.CrossDeviceResponseMode,
		SameDeviceMode:      cfg.OID4VP.SameDeviceResponseMode,
		Scheme:              cfg.OID4VP.Scheme,
		SameDeviceWalletURL: cfg.OID4VP.SameDeviceWalletURL,
		DefinitionByValue:   cfg.OID4VP.DefinitionByValue,
		Protocols:           cfg.OID4VP.Protocol,
		RequestByReference:  cfg.OID4VP.RequestByReference,
		ReturnURL:           cfg.OID4VP.ReturnURL,
		ClockSkew:           cfg.Policy.ClockSkew.Std(),
		Proofs:              proofs,
		Status:              statusOpts,
		Limits:              limits(cfg.Verification),
		V1:                  v1,
		SDJWT:               sd,
		Definitions:         defs,
		Logger:              log,
		Observer:            p.ops.observer(),
		Events:              p.webhooks.events(),
	}, p.webhooks.store(store), resolver)
	if err != nil {
		// The strict checks name a definition: say where it is in the file.
		if located := cfg.Locate(err); located != err {
			return nil, located
		}
		return nil, fmt.Errorf("config %s: %w", o.ConfigPath, err)
	}
	if v1.Identity.Ephemeral {
		log.Info("oid4vp 1.0 requests are signed with a key made at start; set oid4vp.signing.key_file to keep it across restarts and instances",
			"client_id", v1.Identity.ClientID.String())
	}

	demoDefinition := ""
	if len(cfg.Definitions) > 0 {
		demoDefinition = cfg.Definitions[0].ID
	}
	p.streamsDone = make(chan struct{})
	handler := web.New(v, p.PublicURL, web.Options{
		MaxBodyBytes:   cfg.HTTP.MaxBodyBytes,
		Logger:         log,
		Demo:           cfg.Web.Demo,
		DemoDefinition: demoDefinition,
		EventHeartbeat: cfg.Web.EventHeartbeat.Std(),
		AllowedOrigins: cfg.Web.AllowedOrigins,
		Done:           p.streamsDone,

		Version:              p.Version,
		Ready:                newReadiness(store).Ready, // ready.go
		Observer:             p.webObserver(),
		RateLimit:            web.RateLimit{PerSecond: cfg.Limits.SessionsPerSecond, Burst: cfg.Limits.SessionsBurst, Clients: cfg.Limits.Clients},
		TrustedProxies:       trustedProxies(cfg.HTTP.TrustedProxies),
		MaxStreams:           cfg.Limits.EventStreams,
		MaxStreamsPerSession: cfg.Limits.EventStreamsPerSession,
		QRCache:              cfg.Limits.QRCache,
		Deliveries:           p.webhooks.deliveries(),
		OperatorKey:          p.webhooks.key(),
	})
	if cfg.OIDC.Enabled {
		if err := p.mountOIDC(ctx, handler, v, o.ConfigPath); err != nil { // oidc.go
			return nil, err
		}
	}
	if cfg.Web.Demo {
		if err := p.mountDemoIssuer(bg, handler); err != nil { // demoissuer.go
			return nil, err
		}
	}
	p.srv = &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       cfg.HTTP.ReadTimeout.Std(),
		WriteTimeout:      cfg.HTTP.WriteTimeout.Std(),
		IdleTimeout:       cfg.HTTP.IdleTimeout.Std(),
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	// WriteTimeout stays for every other route: event streams move their
	// own write deadline per write. Shutdown waits for handlers, so streams
	// are told to end when it starts.
	var endStreams sync.Once
	p.srv.RegisterOnShutdown(func() { endStreams.Do(func() { close(p.streamsDone) }) })
	p.webhooks.start(bg, v)
	// net/http's own error answers (431 and kin) become JSON too.
	go func() { p.serveErr <- p.srv.Serve(web.Listener(ln)) }()
	return p, nil
}

// instrumentStore caps the embedded store's pending logins and times
// every store call when metrics are on.
func (p *Program) instrumentStore(store session.Store) session.Store {
	if m, ok := store.(*memory.Store); ok {
		store = m.Limit(p.cfg.Limits.MaxPendingSessions)
	}
	if p.ops.metrics != nil {
		store = p.ops.metrics.Store(store)
	}
	return store
}

// webObserver is the HTTP side's observer (nil: none).
func (p *Program) webObserver() web.Observer {
	if p.ops.metrics == nil {
		return nil
	}
	return p.ops.metrics
}

// MetricsAddr is where /metrics is served ("" when metrics.listen is unset).
func (p *Program) MetricsAddr() string { return p.ops.metricsAddr() }

// Addr is the address the server listens on.
func (p *Program) Addr() string { return p.ln.Addr().String() }

// Close shuts down gracefully: requests in flight finish (up to the
// configured shutdown timeout), then the store closes.
func (p *Program) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), p.cfg.HTTP.ShutdownTimeout.Std())
	defer cancel()
	err := p.srv.Shutdown(ctx)
	if serr := <-p.serveErr; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	p.cancel()
	p.webhooks.wait() // deliveries in flight go back to the outbox first
	p.closeStore()
	if cerr := p.ops.close(); cerr != nil && err == nil {
		err = cerr
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

// limits are the verification section's bounds for the verifier.
func limits(c config.Verification) verifier.Limits {
	return verifier.Limits{MaxPresentations: c.MaxPresentations, MaxCredentials: c.MaxCredentials, MaxProofs: c.MaxProofs,
		Workers: c.Workers, Queue: c.Queue, Timeout: c.Timeout.Std()}
}

// v1Setup is the oid4vp 1.0 and sd_jwt sections for the verifier, paths
// relative to the config file.
func v1Setup(cfg *config.Config, configPath, publicURL string) verifier.V1Setup {
	dir, o, sd := filepath.Dir(configPath), cfg.OID4VP, cfg.SDJWT
	path := func(p string) string {
		if p == "" {
			return ""
		}
		return resolvePath(dir, p)
	}
	anchors := make([]string, len(sd.X5CTrustAnchors))
	for i, f := range sd.X5CTrustAnchors {
		anchors[i] = path(f)
	}
	return verifier.V1Setup{
		Identity: verifier.IdentityOptions{Prefix: o.ClientIDPrefix, KeyFile: path(o.Signing.KeyFile), DID: o.Signing.DID, KeyID: o.Signing.KeyID,
			CertificateChainFile: path(o.Signing.CertificateChainFile), DNSName: o.Signing.DNSName, ResponseURI: publicURL + verifier.PathResponse},
		Encryption: o.ResponseEncryption, Enc: o.EncryptedResponseEnc, VerifierInfo: o.VerifierInfo,
		X5CTrustAnchors: anchors, DIDIssuers: config.On(sd.DIDIssuers, true),
		Metadata: config.On(sd.IssuerMetadata.Enabled, true), MetadataTimeout: sd.IssuerMetadata.Timeout.Std(),
		MetadataMaxBytes: sd.IssuerMetadata.MaxBytes, MetadataCacheTTL: sd.IssuerMetadata.CacheTTL.Std(),
		MetadataAllowPrivate: sd.IssuerMetadata.AllowPrivateAddresses, MetadataCAFile: path(sd.IssuerMetadata.CAFile),
		KBMaxAge: sd.KBMaxAge.Std(), KBMaxFuture: sd.KBMaxFuture.Std(), StrictDisclosure: config.On(sd.StrictDisclosure, true),
	}
}
