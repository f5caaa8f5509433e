package handler

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/loginwithiota/verifier/issuer"
)

// Options configure the HTTP side.
type Options struct {
	// APIKey authenticates the operator API (Authorization: Bearer KEY);
	// empty turns the operator API off.
	APIKey string
	// Demo serves the demo page at the issuer's base path, handing out
	// offers of the demo claims.
	Demo bool
	// Health serves /healthz and /readyz (a standalone issuer; a host
	// router has its own).
	Health bool
	// DIDDocument, when set, is served at DIDPath (a did:web issuer).
	DIDDocument map[string]any
	DIDPath     string
	// MaxBodyBytes bounds request bodies (default 64 KiB).
	MaxBodyBytes int64
	Logger       *slog.Logger
}

type server struct {
	iss    *issuer.Issuer
	log    *slog.Logger
	apiKey []byte // SHA-256 of the key; nil: no operator API
	base   string // the identifier's path
	opts   Options
}

func newServer(iss *issuer.Issuer, opts Options) *server {
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 64 << 10
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	s := &server{iss: iss, log: opts.Logger, base: iss.BasePath(), opts: opts}
	if opts.APIKey != "" {
		s.apiKey = digest(opts.APIKey)
	}
	return s
}

// New builds the issuer's router.
func New(iss *issuer.Issuer, opts Options) *echo.Echo {
	s := newServer(iss, opts)
	opts = s.opts
	e := echo.New()
	e.JSONSerializer = jsonSerializer{}
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = errorHandler(opts.Logger)
	e.Use(middleware.RequestID())
	e.Use(recoverer(opts.Logger))
	e.Use(accessLog(opts.Logger))
	e.Use(securityHeaders)
	e.Use(bodyLimit(opts.MaxBodyBytes))
	for _, r := range s.routes() {
		e.Add(r.method, r.path, r.h)
	}
	return e
}

type route struct {
	method, path string
	h            echo.HandlerFunc
}

// routes is every route, with its full path.
func (s *server) routes() []route {
	b := s.base
	rs := []route{
		{http.MethodGet, s.iss.WellKnownPath(issuer.WellKnownIssuer), s.issuerMetadata},
		{http.MethodGet, s.iss.WellKnownPath(issuer.WellKnownAuthorizationServer), s.authorizationServerMetadata},
		{http.MethodPost, b + issuer.PathToken, s.token},
		{http.MethodPost, b + issuer.PathNonce, s.nonce},
		{http.MethodPost, b + issuer.PathCredential, s.credential},
		{http.MethodGet, b + issuer.PathOffers + ":id", s.offer},
		{http.MethodGet, b + issuer.PathOffers + ":id/qr.svg", s.offerSVG},
		{http.MethodGet, b + issuer.PathOffers + ":id/qr.png", s.offerPNG},
	}
	if b != "" {
		// A client joining "/.well-known/…" and "/" keeps a trailing slash.
		rs = append(rs, route{http.MethodGet, s.iss.WellKnownPath(issuer.WellKnownIssuer) + "/", s.issuerMetadata})
	}
	if s.iss.HasSDJWT() {
		rs = append(rs, route{http.MethodGet, s.iss.WellKnownPath(issuer.WellKnownJWTVCIssuer), s.jwtVCIssuerMetadata})
	}
	if s.apiKey != nil {
		rs = append(rs, route{http.MethodPost, b + "/api/v1/offers", s.createOffer})
	}
	if s.opts.Demo {
		rs = append(rs,
			route{http.MethodGet, b + "/", s.demoPage},
			route{http.MethodPost, b + "/demo/offer", s.demoOfferPage},
			route{http.MethodPost, b + "/demo/offers", s.demoOfferJSON})
		if b != "" {
			rs = append(rs, route{http.MethodGet, b, s.demoPage})
		}
	}
	if s.opts.DIDDocument != nil && s.opts.DIDPath != "" {
		rs = append(rs, route{http.MethodGet, s.opts.DIDPath, s.didDocument})
	}
	if s.opts.Health {
		rs = append(rs, route{http.MethodGet, "/healthz", s.healthz}, route{http.MethodGet, "/readyz", s.readyz})
	}
	return rs
}

// Mount registers the issuer's routes on host (another service's router,
// whose own routes must not overlap them), each served by the issuer's own
// router (New), so its error writer, limits and headers apply. It returns
// the routes it registered, "METHOD /path".
func Mount(host *echo.Echo, iss *issuer.Issuer, opts Options) []string {
	s := newServer(iss, opts)
	wrapped := echo.WrapHandler(New(iss, opts))
	var paths []string
	for _, r := range s.routes() {
		host.Add(r.method, r.path, wrapped)
		paths = append(paths, r.method+" "+r.path)
	}
	return paths
}

func (s *server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

func (s *server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := s.iss.Ready(ctx); err != nil {
		s.log.WarnContext(ctx, "not ready", "err", err)
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// noStore marks an answer uncacheable: RFC 6749 §5.1 for tokens, §7.2 of
// the spec for nonces ("MUST make the response uncacheable by adding a
// Cache-Control header field including the value no-store").
func noStore(c echo.Context) {
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
}

// bearer reads an Authorization: Bearer credential ("" when absent).
func bearer(c echo.Context) (string, bool) {
	v := c.Request().Header.Get(echo.HeaderAuthorization)
	scheme, token, ok := strings.Cut(v, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", v != ""
	}
	return strings.TrimSpace(token), true
}
