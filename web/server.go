package web

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/loginwithiota/verifier/oauth"
	"github.com/loginwithiota/verifier/verifier"
)

// Options configure the HTTP side.
type Options struct {
	// MaxBodyBytes bounds every request body (default 256 KiB).
	MaxBodyBytes int64
	Logger       *slog.Logger

	// Demo serves the demo relying party at /, with a button for
	// DemoDefinition.
	Demo           bool
	DemoDefinition string
	// EventHeartbeat is how often an idle event stream sends a comment and
	// re-reads its session (default 15s).
	EventHeartbeat time.Duration
	// AllowedOrigins may call the website API from their pages with the
	// browser's cookie (CORS); empty means same origin only.
	AllowedOrigins []string
	// Done, once closed, ends every event stream. http.Server.Shutdown waits
	// for handlers, and a stream would not end by itself: cmd closes Done
	// from RegisterOnShutdown.
	Done <-chan struct{}

	// Version is what /healthz reports.
	Version string
	// Ready, when set, is what /readyz asks (default: the verifier's
	// store answers a ping); cmd adds a write probe.
	Ready func(context.Context) error
	// Observer is told of requests, streams and refusals (metrics).
	Observer Observer
	// RateLimit bounds session creation per client address.
	RateLimit RateLimit
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client; empty: the connection's address is the client.
	TrustedProxies []netip.Prefix
	// MaxStreams and MaxStreamsPerSession bound open event streams (0:
	// unbounded).
	MaxStreams, MaxStreamsPerSession int
	// QRCache bounds the QR images kept (0: rendered every time).
	QRCache int
	// Deliveries is the webhook delivery log, served to the holder of
	// OperatorKey (webhooks.go); either unset: not served.
	Deliveries  DeliveryLog
	OperatorKey string
}

// Handler serves the contract's routes for v.
type Handler struct {
	v      *verifier.Verifier
	log    *slog.Logger
	secure bool // cookies get Secure when the public URL is https

	demoDefinition string
	heartbeat      time.Duration
	done           <-chan struct{}

	version string
	ready   func(context.Context) error
	obs     Observer
	limiter *limiter
	streams *streamLimit
	qrs     *qrCache
}

// New builds the router.
func New(v *verifier.Verifier, publicURL string, opts Options) *echo.Echo {
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 256 << 10
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.EventHeartbeat <= 0 {
		opts.EventHeartbeat = 15 * time.Second
	}
	if opts.Observer == nil {
		opts.Observer = nopObserver{}
	}
	if opts.Ready == nil {
		opts.Ready = v.Ready
	}
	h := &Handler{v: v, log: opts.Logger, demoDefinition: opts.DemoDefinition, heartbeat: opts.EventHeartbeat, done: opts.Done,
		version: opts.Version, ready: opts.Ready, obs: opts.Observer, limiter: newLimiter(opts.RateLimit),
		streams: newStreamLimit(opts.MaxStreams, opts.MaxStreamsPerSession), qrs: newQRCache(opts.QRCache)}
	if u, err := url.Parse(publicURL); err == nil && u.Scheme == "https" {
		h.secure = true
	}

	e := echo.New()
	e.JSONSerializer = jsonSerializer{}
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = errorHandler(opts.Logger)
	e.IPExtractor = ipExtractor(opts.TrustedProxies)
	routes := map[string]bool{} // filled below: the labels requests are counted under
	e.Use(middleware.RequestID())
	e.Use(recoverer(opts.Logger))
	e.Use(accessLog(opts.Logger, h.obs, routes))
	e.Use(h.securityHeaders)
	e.Use(bodyLimit(opts.MaxBodyBytes))

	e.GET("/healthz", h.healthz)
	e.GET("/readyz", h.readyz)

	api := e.Group("/api/v1")
	if len(opts.AllowedOrigins) > 0 {
		api.Use(middleware.CORSWithConfig(middleware.CORSConfig{
			AllowOrigins:     opts.AllowedOrigins,
			AllowMethods:     []string{http.MethodGet, http.MethodPost},
			AllowHeaders:     []string{echo.HeaderContentType, echo.HeaderAuthorization},
			AllowCredentials: true,
			MaxAge:           600,
		}))
	}
	api.POST("/sessions", h.createSession, h.limitSessions)
	api.GET("/sessions/:id", h.getSession)
	api.GET("/sessions/:id/events", h.sessionEvents)
	api.POST("/sessions/:id/redeem", h.redeem)
	api.GET("/sessions/:id/qr.svg", h.qrSVG)
	api.GET("/sessions/:id/qr.png", h.qrPNG)
	h.webhookRoutes(api, opts.Deliveries, opts.OperatorKey) // webhooks.go

	e.GET(verifier.PathDefinitions+":id", h.definition)
	e.POST(verifier.PathResponse, h.walletResponse)
	h.requestRoutes(e) // request.go
	e.GET(verifier.PathResult, h.resultPage)

	e.GET("/static/:name", h.staticFile)
	e.HEAD("/static/:name", h.staticFile)
	e.GET(PathOpenAPI, h.openAPI)
	if opts.Demo {
		e.GET("/", h.demoPage)
	}
	for _, r := range e.Routes() {
		routes[r.Path] = true
	}
	return e
}

type healthBody struct {
	Status  string `json:"status"`
	Version string `json:"version,omitempty"`
}

func (h *Handler) healthz(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, healthBody{Status: "ok", Version: h.version})
}

// readyz answers 200 only while the session store answers, and takes
// writes when cmd's probe says so.
func (h *Handler) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := h.ready(ctx); err != nil {
		h.log.WarnContext(ctx, "not ready", "err", err)
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// recoverer turns a panic into a logged server_error; the server keeps serving.
func recoverer(log *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) (err error) {
			defer func() {
				if r := recover(); r != nil {
					if r == http.ErrAbortHandler {
						panic(r)
					}
					log.ErrorContext(c.Request().Context(), "panic", "path", c.Path(), "panic", r)
					err = errors.New("panic recovered")
				}
			}()
			return next(c)
		}
	}
}

// accessLog logs one line per request and tells the observer; the URL's
// query is left out because it may hold request parameters. The route is
// the matched pattern, "unmatched" for any other path, so a visitor's
// paths never become metric labels.
func accessLog(log *slog.Logger, obs Observer, routes map[string]bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			if err != nil {
				c.Error(err)
			}
			d := time.Since(start)
			route := c.Path()
			if !routes[route] {
				route = "unmatched"
			}
			method := c.Request().Method
			switch method {
			case http.MethodGet, http.MethodPost, http.MethodHead, http.MethodOptions:
			default:
				method = "other"
			}
			obs.Request(route, method, c.Response().Status, d)
			log.InfoContext(c.Request().Context(), "http",
				"method", c.Request().Method,
				"route", route,
				"status", c.Response().Status,
				"duration", d,
				"request_id", c.Response().Header().Get(echo.HeaderXRequestID))
			return nil
		}
	}
}

// securityHeaders go on every answer. The CSP here is the API's (nothing
// to load, nothing to frame); HTML pages replace it with pageCSP.
// Referrer-Policy no-referrer also keeps a response_code in a return URL
// from leaking to the next site.
func (h *Handler) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		hdr := c.Response().Header()
		hdr.Set("X-Content-Type-Options", "nosniff")
		hdr.Set("Referrer-Policy", "no-referrer")
		hdr.Set("X-Frame-Options", "DENY")
		hdr.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		hdr.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		if h.secure {
			hdr.Set("Strict-Transport-Security", "max-age=63072000")
		}
		return next(c)
	}
}

// bodyLimit bounds request bodies; reading past the limit fails with
// *http.MaxBytesError, which handlers turn into 413.
func bodyLimit(limit int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if r.ContentLength > limit {
				return echo.NewHTTPError(http.StatusRequestEntityTooLarge)
			}
			if r.Body != nil {
				r.Body = http.MaxBytesReader(c.Response(), r.Body, limit)
			}
			return next(c)
		}
	}
}

// bodyError maps a body read error: too large → 413, too slow (the
// server's read timeout passed) → 408, else 400.
func bodyError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge)
	}
	var ne net.Error
	if errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return oauth.New(oauth.InvalidRequest, "", "the request body did not arrive in time").WithHTTPStatus(http.StatusRequestTimeout)
	}
	return badRequest("the request body could not be read")
}
