package oidcbridge

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/rs/cors"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// Provider is the OpenID Provider. It is safe for concurrent use.
type Provider struct {
	issuer string
	path   string // the issuer's path: everything we serve is under it
	opts   Options

	clients  map[string]*client
	scopes   map[string]*scope
	store    Store
	sessions Sessions
	keys     keySource
	secrets  *secrets
	log      *slog.Logger
	now      func() time.Time

	op      *op.Provider
	handler http.Handler
}

// Paths under the issuer. The protocol endpoints are zitadel/oidc's, the
// login step ours.
const (
	pathAuthorize  = "/authorize"
	pathCallback   = "/authorize/callback"
	pathLogin      = "/login"
	pathFinish     = "/login/finish"
	pathCancel     = "/login/cancel"
	pathLoggedOut  = "/logged-out"
	pathLoginJS    = "/static/login.js"
	pathDiscovery  = "/.well-known/openid-configuration"
	endpointToken  = "token"
	endpointKeys   = "keys"
	endpointInfo   = "userinfo"
	endpointRevoke = "revoke"
	endpointEnd    = "end_session"
)

// New builds the provider. It reads (or creates) the key ring in the store,
// so an unreachable store fails the start.
func New(ctx context.Context, opts Options) (*Provider, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	u, _ := url.Parse(opts.Issuer)
	p := &Provider{
		issuer: opts.Issuer, path: u.Path, opts: opts,
		clients: map[string]*client{}, scopes: map[string]*scope{},
		store: opts.Store, sessions: opts.Sessions, secrets: newSecrets(),
		log: opts.Logger, now: opts.Now,
	}
	for _, c := range opts.Clients {
		if _, dup := p.clients[c.ID]; dup {
			return nil, fmt.Errorf("oidc: duplicate client %q", c.ID)
		}
		p.clients[c.ID] = &client{Client: c, loginURL: opts.Issuer + pathLogin + "?id=", idLifetime: opts.IDTokenLifetime}
	}
	for _, s := range opts.Scopes {
		sc, err := compileScope(s)
		if err != nil {
			return nil, err
		}
		p.scopes[s.Name] = sc
	}
	tokenKey, err := p.setupKeys(ctx)
	if err != nil {
		return nil, err
	}

	var algs []string
	for _, a := range p.keys.algorithms() {
		algs = append(algs, string(a))
	}
	cfg := &op.Config{
		DefaultLogoutRedirectURI: opts.Issuer + pathLoggedOut,
		CodeMethodS256:           true,
		AuthMethodPost:           true,
		SupportedUILocales:       []language.Tag{language.English, language.German, language.French},
	}
	provOpts := []op.Option{
		op.WithIDTokenHintVerifierOpts(op.WithSupportedIDTokenHintSigningAlgorithms(algs...)),
		op.WithCrypto(newTokenCrypto(tokenKey)),
	}
	if u.Scheme == "http" {
		provOpts = append(provOpts, op.WithAllowInsecure()) // loopback only: checked above
	}
	p.op, err = op.NewProvider(cfg, &storage{p}, op.StaticIssuer(opts.Issuer), provOpts...)
	if err != nil {
		return nil, fmt.Errorf("oidc: %w", err)
	}
	endpoints := op.Endpoints{
		Authorization: op.NewEndpoint(strings.TrimPrefix(pathAuthorize, "/")),
		Token:         op.NewEndpoint(endpointToken),
		Userinfo:      op.NewEndpoint(endpointInfo),
		Revocation:    op.NewEndpoint(endpointRevoke),
		EndSession:    op.NewEndpoint(endpointEnd),
		JwksURI:       op.NewEndpoint(endpointKeys),
	}
	srv := &server{LegacyServer: op.NewLegacyServer(p.op, endpoints), p: p}
	protocol := op.RegisterLegacyServer(srv, p.authorizeCallback,
		// Tokens travel in headers, never cookies: any origin may call the
		// endpoints, none with credentials.
		op.WithServerCORSOptions(&cors.Options{
			AllowedOrigins: []string{"*"},
			AllowedMethods: []string{http.MethodGet, http.MethodPost},
			AllowedHeaders: []string{"Authorization", "Content-Type"},
		}),
		op.WithHTTPMiddleware(challenges),
	)
	p.handler = p.routes(protocol)
	return p, nil
}

// Issuer is the issuer URL.
func (p *Provider) Issuer() string { return p.issuer }

// Path is the issuer's path; Handler serves every request under it.
func (p *Provider) Path() string { return p.path }

// Handler serves the provider: requests whose path is under Path, with
// the path as it came (not stripped).
func (p *Provider) Handler() http.Handler { return p.handler }

// routes puts the login step beside the protocol endpoints.
func (p *Provider) routes(protocol http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+p.path+pathLogin, p.loginPage)
	mux.HandleFunc("POST "+p.path+pathFinish, p.finishLogin)
	mux.HandleFunc("POST "+p.path+pathCancel, p.cancelLogin)
	mux.HandleFunc("GET "+p.path+pathLoggedOut, p.loggedOutPage)
	mux.HandleFunc("GET "+p.path+pathLoginJS, serveLoginJS)
	mux.Handle(p.path+"/", http.StripPrefix(p.path, protocol))
	// The login step runs zitadel/oidc's AuthResponse, which reads the
	// issuer from the context as the protocol routes have it.
	return op.NewIssuerInterceptor(p.op.IssuerFromRequest).Handler(mux)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
