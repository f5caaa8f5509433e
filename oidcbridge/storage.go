package oidcbridge

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"slices"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// storage is op.Storage over our Store: what zitadel/oidc asks of its host.
// It lives in its own type so Provider's exported methods stay ours.
type storage struct{ p *Provider }

var (
	_ op.Storage                   = (*storage)(nil)
	_ op.CanSetUserinfoFromRequest = (*storage)(nil)
)

func (s *storage) Health(ctx context.Context) error { return s.p.store.Ping(ctx) }

// GetClientByClientID: an unknown client is refused without a redirect
// (RFC 6749 §4.1.2.1: the redirect URI of an unknown client cannot be
// trusted); at the token endpoint zitadel turns it into invalid_client.
func (s *storage) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	c, ok := s.p.clients[id]
	if !ok {
		return nil, oidc.ErrInvalidRequestRedirectURI().WithDescription("unknown client_id")
	}
	return c, nil
}

// AuthorizeClientIDSecret: bcrypt, constant time (secret.go).
func (s *storage) AuthorizeClientIDSecret(_ context.Context, id, secret string) error {
	c, ok := s.p.clients[id]
	if !ok || !s.p.secrets.verify(c, secret) {
		return errors.New("client authentication failed")
	}
	return nil
}

func (s *storage) CreateAuthRequest(ctx context.Context, req *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	c, ok := s.p.clients[req.ClientID]
	if !ok {
		return nil, oidc.ErrInvalidRequestRedirectURI().WithDescription("unknown client_id")
	}
	sc, err := s.p.checkAuthRequest(c, req)
	if err != nil {
		return nil, err
	}
	now := s.p.now()
	r := AuthRequest{
		ID:                  newID(),
		ClientID:            c.ID,
		RedirectURI:         req.RedirectURI,
		State:               req.State,
		Nonce:               req.Nonce,
		Scopes:              slices.Clone([]string(req.Scopes)),
		ResponseMode:        string(req.ResponseMode),
		CodeChallenge:       req.CodeChallenge,
		CodeChallengeMethod: string(req.CodeChallengeMethod),
		Scope:               sc.Name,
		Definition:          sc.Definition,
		CreatedAt:           now,
		ExpiresAt:           now.Add(s.p.opts.LoginLifetime),
		DeleteAt:            now.Add(s.p.opts.LoginLifetime + lateness),
	}
	if err := s.p.store.CreateAuthRequest(ctx, r); err != nil {
		return nil, s.p.storeFault(ctx, "create auth request", err, oidc.ErrServerError())
	}
	s.p.log.InfoContext(ctx, "oidc authorization request", "client_id", c.ID, "scope", sc.Name)
	return authRequest{r}, nil
}

// lateness is how long a request is kept past its end, so a browser that
// comes back late is sent to its client with access_denied, not stranded.
const lateness = 10 * time.Minute

// errLoginGone is the answer for an auth request that is unknown or over.
func errLoginGone() *oidc.Error {
	return oidc.ErrInvalidRequest().WithDescription("the login is unknown or has expired; start again at the website")
}

func (s *storage) AuthRequestByID(ctx context.Context, id string) (op.AuthRequest, error) {
	r, err := s.p.store.AuthRequest(ctx, id)
	if err != nil {
		return nil, s.p.storeFault(ctx, "auth request", err, errLoginGone())
	}
	return authRequest{r}, nil
}

// codeHash names a code in the store: its SHA-256, never the code.
func codeHash(code string) string {
	sum := sha256.Sum256([]byte(code))
	return hex.EncodeToString(sum[:])
}

// SaveAuthCode gives a completed login its one code. A second code for the
// same request (the callback replayed) is refused.
func (s *storage) SaveAuthCode(ctx context.Context, id, code string) error {
	hash := codeHash(code)
	now := s.p.now()
	codeEnd := now.Add(s.p.opts.CodeLifetime)
	// The record outlives its code by the token lifetime, so a replayed
	// code still finds the tokens to revoke.
	tombstone := codeEnd.Add(s.p.opts.AccessTokenLifetime)
	_, err := s.p.store.UpdateAuthRequest(ctx, id, func(r AuthRequest) (AuthRequest, error) {
		if !r.Done || r.Denied || r.CodeHash != "" {
			return r, oidc.ErrInvalidRequest().WithDescription("this login was used already; start again at the website")
		}
		r.CodeHash, r.CodeExpiresAt = hash, codeEnd
		r.DeleteAt = maxTime(r.DeleteAt, tombstone)
		return r, nil
	})
	if err != nil {
		return s.p.storeFault(ctx, "save code", err, errLoginGone())
	}
	if err := s.p.store.PutCode(ctx, hash, id, tombstone); err != nil {
		return s.p.storeFault(ctx, "put code", err, oidc.ErrServerError())
	}
	return nil
}

// errBadCode is RFC 6749 §5.2's invalid_grant, one text for every reason.
func errBadCode() *oidc.Error {
	return oidc.ErrInvalidGrant().WithDescription("the authorization code is invalid, expired or used")
}

// AuthRequestByCode finds the login a code belongs to. A code presented
// after it was redeemed revokes the tokens it gave (RFC 6749 §4.1.2: "If an
// authorization code is used more than once, the authorization server
// MUST deny the request and SHOULD revoke (when possible) all tokens
// previously issued based on that authorization code").
func (s *storage) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	hash := codeHash(code)
	id, err := s.p.store.CodeAuthRequest(ctx, hash)
	if err != nil {
		return nil, s.p.storeFault(ctx, "code", err, errBadCode())
	}
	r, err := s.p.store.AuthRequest(ctx, id)
	if err != nil {
		return nil, s.p.storeFault(ctx, "auth request", err, errBadCode())
	}
	if subtle.ConstantTimeCompare([]byte(r.CodeHash), []byte(hash)) != 1 || !r.Done || r.Denied {
		return nil, errBadCode()
	}
	if r.Redeemed {
		s.p.revokeReplayed(ctx, r)
		return nil, errBadCode()
	}
	if !s.p.now().Before(r.CodeExpiresAt) {
		return nil, errBadCode()
	}
	return authRequest{r}, nil
}

// DeleteAuthRequest runs once the tokens are made: the claims now live in
// the token records, so the request keeps only what a replay needs.
func (s *storage) DeleteAuthRequest(ctx context.Context, id string) error {
	_, err := s.p.store.UpdateAuthRequest(ctx, id, func(r AuthRequest) (AuthRequest, error) {
		r.Claims, r.Subject = nil, ""
		return r, nil
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return s.p.storeFault(ctx, "delete auth request", err, nil)
	}
	return nil
}

// newID is a random identifier from crypto/rand (128 bits or more).
func newID() string { return rand.Text() }
