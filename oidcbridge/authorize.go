package oidcbridge

import (
	"slices"

	"github.com/zitadel/oidc/v3/pkg/oidc"
)

// standardScopes are OpenID Connect's own: accepted and ignored, since the
// claims a client gets are those its credential scope maps (OpenID Connect
// Core §5.4 asks nothing more of them).
var standardScopes = []string{oidc.ScopeOpenID, oidc.ScopeProfile, oidc.ScopeEmail, oidc.ScopeAddress, oidc.ScopePhone, oidc.ScopeOfflineAccess}

// checkAuthRequest refuses what zitadel/oidc lets through and we do not do,
// once the redirect URI is known to be the client's (so each refusal goes
// back to the client), and returns the credential scope that chooses the
// presentation definition.
func (p *Provider) checkAuthRequest(c *client, req *oidc.AuthRequest) (*scope, error) {
	// Only the query response mode: form_post would need a page with an
	// inline script, which our pages' CSP forbids.
	if req.ResponseMode != "" && req.ResponseMode != oidc.ResponseModeQuery {
		return nil, oidc.ErrInvalidRequest().WithDescription("response_mode must be query")
	}
	// RFC 9700 §2.1.1: public clients MUST use PKCE; and S256 only, since
	// plain protects nothing against an attacker who reads the request.
	switch {
	case req.CodeChallenge == "" && c.public():
		return nil, oidc.ErrInvalidRequest().WithDescription("a public client must send code_challenge (PKCE, S256)")
	case req.CodeChallenge != "" && req.CodeChallengeMethod != oidc.CodeChallengeMethodS256:
		return nil, oidc.ErrInvalidRequest().WithDescription("code_challenge_method must be S256")
	}
	// OpenID Connect Core §3.1.2.1: with prompt=none "the Authorization
	// Server MUST NOT display any authentication or consent user interface
	// pages"; every login here shows the wallet, so none can succeed.
	if slices.Contains(req.Prompt, oidc.PromptNone) {
		return nil, oidc.ErrLoginRequired().WithDescription("every login asks the wallet; prompt=none cannot be honoured")
	}
	if !slices.Contains(req.Scopes, oidc.ScopeOpenID) {
		return nil, oidc.ErrInvalidScope().WithDescription("scope must include openid")
	}
	var chosen *scope
	for _, name := range req.Scopes {
		switch {
		case slices.Contains(standardScopes, name):
		case !slices.Contains(c.Scopes, name):
			// RFC 6749 §5.2 / §4.1.2.1: invalid_scope, "the requested scope
			// is invalid, unknown, or malformed".
			return nil, oidc.ErrInvalidScope().WithDescription("scope '%s' is not configured for this client", clip(name))
		case name == VCScope:
		case chosen != nil:
			return nil, oidc.ErrInvalidScope().WithDescription("name one credential scope, not several")
		default:
			chosen = p.scopes[name]
		}
	}
	if chosen == nil && c.DefaultScope != "" {
		chosen = p.scopes[c.DefaultScope]
	}
	if chosen == nil {
		return nil, oidc.ErrInvalidScope().WithDescription("name a credential scope, one of the client's: %s", clip(joinScopes(c.Scopes)))
	}
	return chosen, nil
}

// clip quotes at most 64 bytes of client input in a description, in the
// characters RFC 6749 §4.1.2.1 allows there.
func clip(s string) string {
	out := make([]byte, 0, min(len(s), 64))
	for i := 0; i < len(s) && len(out) < 64; i++ {
		if b := s[i]; b >= 0x20 && b <= 0x7e && b != '"' && b != '\\' {
			out = append(out, b)
		} else {
			out = append(out, '?')
		}
	}
	return string(out)
}

func joinScopes(list []string) string {
	out := ""
	for _, s := range list {
		if s == VCScope {
			continue
		}
		if out != "" {
			out += " "
		}
		out += s
	}
	return out
}
