package oidcbridge

import (
	"context"
	"errors"
	"net/http"
	"slices"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// server is zitadel/oidc's LegacyServer with the few answers it gets
// wrong for us overridden; everything else is the library's.
type server struct {
	*op.LegacyServer
	p *Provider
}

// Discovery says what this provider does, where the library's document
// lists grants, response types and subject types it does not know we lack.
func (s *server) Discovery(ctx context.Context, r *op.Request[struct{}]) (*op.Response, error) {
	resp, err := s.LegacyServer.Discovery(ctx, r)
	if err != nil {
		return nil, err
	}
	d, ok := resp.Data.(*oidc.DiscoveryConfiguration)
	if !ok {
		return nil, oidc.ErrServerError()
	}
	d.ResponseTypesSupported = []string{string(oidc.ResponseTypeCode)}
	d.ResponseModesSupported = []string{string(oidc.ResponseModeQuery)}
	d.GrantTypesSupported = []oidc.GrantType{oidc.GrantTypeCode}
	d.CodeChallengeMethodsSupported = []oidc.CodeChallengeMethod{oidc.CodeChallengeMethodS256}
	d.TokenEndpointAuthMethodsSupported = []oidc.AuthMethod{oidc.AuthMethodBasic, oidc.AuthMethodPost, oidc.AuthMethodNone}
	d.TokenEndpointAuthSigningAlgValuesSupported = nil
	d.RevocationEndpointAuthMethodsSupported = d.TokenEndpointAuthMethodsSupported
	d.RevocationEndpointAuthSigningAlgValuesSupported = nil
	d.IntrospectionEndpointAuthMethodsSupported = nil
	d.IntrospectionEndpointAuthSigningAlgValuesSupported = nil
	d.RequestObjectSigningAlgValuesSupported = nil
	d.RequestParameterSupported, d.RequestURIParameterSupported, d.ClaimsParameterSupported = false, false, false
	d.SubjectTypesSupported = s.p.subjectTypes()
	d.ScopesSupported, d.ClaimsSupported, d.ACRValuesSupported = s.p.advertised()
	return resp, nil
}

func (p *Provider) subjectTypes() []string {
	var out []string
	for _, c := range p.clients {
		t := "public"
		if c.Pairwise {
			t = "pairwise"
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return out
}

// advertised are the scopes, claims and acr values of the configuration.
func (p *Provider) advertised() (scopes, claims, acrs []string) {
	scopes = []string{oidc.ScopeOpenID}
	claims = []string{"iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "azp", "at_hash", "c_hash"}
	vc := false
	for _, c := range p.clients {
		vc = vc || slices.Contains(c.Scopes, VCScope)
	}
	for _, name := range sortedKeys(p.scopes) {
		sc := p.scopes[name]
		scopes = append(scopes, name)
		if !slices.Contains(acrs, sc.ACR) {
			acrs = append(acrs, sc.ACR)
		}
		for _, cp := range sc.claims {
			if !slices.Contains(claims, cp.name) {
				claims = append(claims, cp.name)
			}
		}
	}
	if vc {
		scopes, claims = append(scopes, VCScope), append(claims, VCScope)
	}
	return scopes, claims, acrs
}

// VerifyClient answers a failed client authentication with 401, as RFC
// 6749 §5.2 wants when the client authenticated with the Authorization
// header (the library answers 400); challenges adds WWW-Authenticate.
func (s *server) VerifyClient(ctx context.Context, r *op.Request[op.ClientCredentials]) (op.Client, error) {
	c, err := s.LegacyServer.VerifyClient(ctx, r)
	if e := new(oidc.Error); errors.As(err, &e) && e.ErrorType == oidc.InvalidClient {
		return nil, op.NewStatusError(oidc.ErrInvalidClient().WithDescription("client authentication failed"), http.StatusUnauthorized)
	}
	return c, err
}

// CodeExchange is the library's, except that a code whose request carried
// a code_challenge always needs its code_verifier: the library skips PKCE
// for a confidential client that sends none, which RFC 7636 §4.6 and RFC
// 9700 §2.1.1 forbid (a PKCE downgrade).
//
// It reads the code from our storage itself: the library's lookup turns a
// store outage into invalid_grant, which tells the client its code is bad.
func (s *server) CodeExchange(ctx context.Context, r *op.ClientRequest[oidc.AccessTokenRequest]) (*op.Response, error) {
	resp, err := s.codeExchange(ctx, r)
	return resp, withOutageStatus(err)
}

func (s *server) codeExchange(ctx context.Context, r *op.ClientRequest[oidc.AccessTokenRequest]) (*op.Response, error) {
	authReq, err := s.p.op.Storage().AuthRequestByCode(ctx, r.Data.Code)
	if err != nil {
		return nil, err
	}
	if err := op.AuthorizeCodeChallenge(r.Data.CodeVerifier, authReq.GetCodeChallenge()); err != nil {
		return nil, err
	}
	if r.Client.GetID() != authReq.GetClientID() {
		return nil, errBadCode()
	}
	if r.Data.RedirectURI != authReq.GetRedirectURI() {
		return nil, oidc.ErrInvalidGrant().WithDescription("redirect_uri does not match the authorization request")
	}
	resp, err := op.CreateTokenResponse(ctx, authReq, r.Client, s.p.op, true, r.Data.Code, "")
	if err != nil {
		return nil, err
	}
	return op.NewResponse(resp), nil
}

// UserInfo answers a bad token with RFC 6750's invalid_token and 401; the
// library answers 403 with whatever the storage said.
func (s *server) UserInfo(ctx context.Context, r *op.Request[oidc.UserInfoRequest]) (*op.Response, error) {
	resp, err := s.LegacyServer.UserInfo(ctx, r)
	if err == nil {
		return resp, nil
	}
	if e := new(oidc.Error); errors.As(err, &e) && (e.ErrorType == oidc.ServerError || e.ErrorType == errTypeUnavailable) {
		return nil, withOutageStatus(err)
	}
	return nil, op.NewStatusError(errInvalidToken("the access token is invalid, expired or revoked"), http.StatusUnauthorized)
}

// Revocation is the library's, with an outage answered 503 (RFC 7009 §2.2.1).
func (s *server) Revocation(ctx context.Context, r *op.ClientRequest[oidc.RevocationRequest]) (*op.Response, error) {
	resp, err := s.LegacyServer.Revocation(ctx, r)
	return resp, withOutageStatus(err)
}

// EndSession is the library's, with an outage answered 503.
func (s *server) EndSession(ctx context.Context, r *op.Request[oidc.EndSessionRequest]) (*op.Redirect, error) {
	red, err := s.LegacyServer.EndSession(ctx, r)
	return red, withOutageStatus(err)
}

// withOutageStatus answers a store outage 503 (the library answers 400 for
// every code but server_error); at the token and logout endpoints, where
// RFC 6749 §5.2 knows no temporarily_unavailable, as server_error.
func withOutageStatus(err error) error {
	e := new(oidc.Error)
	if !errors.As(err, &e) || e.ErrorType != errTypeUnavailable {
		return err
	}
	return op.NewStatusError(oidc.ErrServerError().WithDescription("%s", e.Description), http.StatusServiceUnavailable)
}

// JWTProfile: the library would offer the JWT bearer grant to anyone who
// asks; we offer the code grant only.
func (s *server) JWTProfile(ctx context.Context, r *op.Request[oidc.JWTProfileGrantRequest]) (*op.Response, error) {
	return op.UnimplementedServer{}.JWTProfile(ctx, r)
}
