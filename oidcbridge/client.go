package oidcbridge

import (
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// client is a configured relying party as zitadel/oidc sees it: code flow
// only, opaque access tokens, exact redirect URIs.
type client struct {
	Client
	loginURL   string // the login page, ?id= appended
	idLifetime time.Duration
}

var _ op.Client = (*client)(nil)

func (c *client) GetID() string                    { return c.ID }
func (c *client) RedirectURIs() []string           { return c.Client.RedirectURIs }
func (c *client) PostLogoutRedirectURIs() []string { return c.Client.PostLogoutRedirectURIs }
func (c *client) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c *client) GrantTypes() []oidc.GrantType { return []oidc.GrantType{oidc.GrantTypeCode} }
func (c *client) LoginURL(id string) string    { return c.loginURL + url.QueryEscape(id) }
func (c *client) AccessTokenType() op.AccessTokenType {
	return op.AccessTokenTypeBearer
}
func (c *client) IDTokenLifetime() time.Duration { return c.idLifetime }
func (c *client) ClockSkew() time.Duration       { return 0 }

// ApplicationType: a confidential client is a web server; a public one a
// browser application, never "native", whose loopback redirects zitadel
// matches without the port (RFC 8252 §7.3): ours match exactly.
func (c *client) ApplicationType() op.ApplicationType {
	if c.public() {
		return op.ApplicationTypeUserAgent
	}
	return op.ApplicationTypeWeb
}

func (c *client) AuthMethod() oidc.AuthMethod {
	if c.public() {
		return oidc.AuthMethodNone
	}
	return oidc.AuthMethodBasic // and client_secret_post: the config allows both
}

// DevMode lets zitadel accept an http redirect URI that matched exactly;
// config allows http only on loopback hosts.
func (c *client) DevMode() bool {
	return slices.ContainsFunc(c.Client.RedirectURIs, func(u string) bool { return strings.HasPrefix(u, "http://") })
}

func (c *client) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}

func (c *client) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}

// IsScopeAllowed lets every scope through zitadel's filter, which drops
// unknown ones silently: CreateAuthRequest refuses them with invalid_scope.
func (c *client) IsScopeAllowed(string) bool { return true }

func (c *client) IDTokenUserinfoClaimsAssertion() bool { return false }

func (c *client) public() bool { return len(c.SecretHash) == 0 }
