package oidcbridge

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/loginwithiota/verifier/oauth"
	"github.com/loginwithiota/verifier/session"
)

// The login step. The authorize endpoint sends the browser to our page
// with the <login-with-iota> button for the request's definition. The
// button starts a verifier session through the website API, as on any
// website, and on its end posts the session's id and status token to
// finish, which holds the binding: the session must be verified, for the
// request's definition, started after the request, and unused by any other
// request (Store.ClaimSession). A verified session completes the request
// and the browser leaves with the code; a failed or expired one, or a
// cancel, sends it back with access_denied.

// pageError is a login-step failure shown on our page, never redirected.
type pageError struct {
	status int
	text   string
}

func (e *pageError) Error() string { return e.text }

var (
	errPageGone = &pageError{http.StatusBadRequest, "This login is unknown, finished or expired. Go back to the website and start again."}
	errPageBad  = &pageError{http.StatusBadRequest, "This wallet login does not belong to this sign-in. Go back to the website and start again."}
	errPageDown = &pageError{http.StatusServiceUnavailable, "The login service is temporarily unavailable. Try again in a moment."}
)

// openRequest returns a login still waiting for its wallet.
func (p *Provider) openRequest(ctx context.Context, id string) (AuthRequest, *client, error) {
	if id == "" {
		return AuthRequest{}, nil, errPageGone
	}
	r, err := p.store.AuthRequest(ctx, id)
	if err != nil {
		return AuthRequest{}, nil, p.pageFault(ctx, err)
	}
	c, ok := p.clients[r.ClientID]
	if !ok || r.Done || r.Denied {
		return AuthRequest{}, nil, errPageGone
	}
	return r, c, nil
}

// finish ends the login step with the session the browser presents. It
// returns the completed request (the caller sends the code) or, for a login
// that failed, expired or ran out of time, the access_denied redirect.
func (p *Provider) finish(ctx context.Context, id, sessionID, token string) (authRequest, string, error) {
	r, c, err := p.openRequest(ctx, id)
	if err != nil {
		return authRequest{}, "", err
	}
	if !p.now().Before(r.ExpiresAt) {
		u, err := p.deny(ctx, r, "the login took too long")
		return authRequest{}, u, err
	}
	s, err := p.sessions.Status(ctx, sessionID, token)
	if e := oauth.As(err); e != nil && e.Code() == oauth.TemporarilyUnavailable {
		return authRequest{}, "", errPageDown
	}
	if err != nil {
		return authRequest{}, "", errPageBad // unknown session or wrong token: one answer
	}
	switch s.Visible(p.sessions.Now()) {
	case session.StatusFailed:
		u, err := p.deny(ctx, r, "the wallet's presentation was declined or not accepted")
		return authRequest{}, u, err
	case session.StatusExpired:
		u, err := p.deny(ctx, r, "the login expired before the wallet answered")
		return authRequest{}, u, err
	case session.StatusVerified:
	default:
		return authRequest{}, "", &pageError{http.StatusConflict, "The wallet has not answered yet. Go back and finish the login in your wallet."}
	}
	// StartSession stamps whole seconds: compare on them.
	if s.DefinitionID != r.Definition || s.CreatedAt.Before(r.CreatedAt.Truncate(time.Second)) || s.Result == nil {
		return authRequest{}, "", errPageBad
	}
	claims, err := mapClaims(ctx, p.scopes[r.Scope], s.Result, containsScope(r.Scopes, VCScope))
	if err != nil {
		return authRequest{}, "", p.pageFault(ctx, err)
	}
	if err := p.store.ClaimSession(ctx, s.ID, r.ID, maxTime(s.DeleteAt, p.now().Add(time.Minute))); err != nil {
		if errors.Is(err, ErrExists) {
			return authRequest{}, "", errPageBad // a session logs in one request
		}
		return authRequest{}, "", p.pageFault(ctx, err)
	}
	authTime := s.CompletedAt
	if authTime.IsZero() {
		authTime = p.now()
	}
	done, err := p.store.UpdateAuthRequest(ctx, r.ID, func(cur AuthRequest) (AuthRequest, error) {
		if cur.Done || cur.Denied {
			return cur, errPageGone
		}
		cur.Done, cur.SessionID, cur.AuthTime = true, s.ID, authTime
		cur.Subject = subject(c, p.opts.PairwiseSecret, s.Result.Holder)
		cur.Claims, cur.ACR, cur.AMR = claims, p.scopes[r.Scope].ACR, AMR
		return cur, nil
	})
	if err != nil {
		return authRequest{}, "", p.pageFault(ctx, err)
	}
	p.log.InfoContext(ctx, "oidc login verified", "client_id", c.ID, "scope", r.Scope)
	return authRequest{done}, "", nil
}

// cancel ends the login at the holder's wish.
func (p *Provider) cancel(ctx context.Context, id string) (string, error) {
	r, _, err := p.openRequest(ctx, id)
	if err != nil {
		return "", err
	}
	return p.deny(ctx, r, "the login was cancelled")
}

// deny closes r and returns the access_denied redirect to its client (RFC
// 6749 §4.1.2.1: "The resource owner or authorization server denied the
// request").
func (p *Provider) deny(ctx context.Context, r AuthRequest, desc string) (string, error) {
	_, err := p.store.UpdateAuthRequest(ctx, r.ID, func(cur AuthRequest) (AuthRequest, error) {
		if cur.Done || cur.Denied {
			return cur, errPageGone
		}
		cur.Denied = true
		return cur, nil
	})
	if err != nil {
		return "", p.pageFault(ctx, err)
	}
	p.log.InfoContext(ctx, "oidc login denied", "client_id", r.ClientID, "reason", desc)
	e := oidc.ErrAccessDenied().WithDescription("%s", desc)
	e.State = r.State
	u, err := op.AuthResponseURL(r.RedirectURI, oidc.ResponseTypeCode, oidc.ResponseMode(r.ResponseMode), e, p.op.Encoder())
	if err != nil {
		return "", p.pageFault(ctx, err)
	}
	return u, nil
}

// pageFault maps a store error to a page: missing is gone, down is down.
func (p *Provider) pageFault(ctx context.Context, err error) error {
	var pe *pageError
	switch {
	case errors.As(err, &pe):
		return pe
	case errors.Is(err, ErrNotFound):
		return errPageGone
	}
	p.log.ErrorContext(ctx, "oidc login step", "err", err)
	return errPageDown
}

func containsScope(scopes []string, s string) bool {
	for _, x := range scopes {
		if x == s {
			return true
		}
	}
	return false
}
