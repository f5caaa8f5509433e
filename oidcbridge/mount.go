package oidcbridge

import "github.com/labstack/echo/v4"

// Mount serves p on the verifier's router under the issuer's path
// (/oidc/authorize, /oidc/token, /oidc/.well-known/openid-configuration, …),
// behind the router's middleware: request ids, access log, security
// headers (the login page sets its own CSP), body limit.
func Mount(e *echo.Echo, p *Provider) {
	e.Any(p.Path()+"/*", echo.WrapHandler(p.Handler()))
}
