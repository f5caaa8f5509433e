package oidcbridge

import (
	"context"
	"errors"
	"maps"
	"slices"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// errRedeemed: the code was exchanged already.
var errRedeemed = errors.New("code redeemed already")

// CreateAccessToken redeems the code once (compare-and-set on the auth
// request), then stores the token with the claims it may show.
func (s *storage) CreateAccessToken(ctx context.Context, req op.TokenRequest) (string, time.Time, error) {
	ar, ok := req.(authRequest)
	if !ok {
		return "", time.Time{}, oidc.ErrUnsupportedGrantType()
	}
	id := newID()
	redeemed, err := s.p.store.UpdateAuthRequest(ctx, ar.ID, func(r AuthRequest) (AuthRequest, error) {
		if r.Redeemed {
			return r, errRedeemed
		}
		r.Redeemed = true
		r.TokenIDs = append(r.TokenIDs, id)
		return r, nil
	})
	if errors.Is(err, errRedeemed) {
		// Two exchanges raced: the loser is the replay.
		if r, err := s.p.store.AuthRequest(ctx, ar.ID); err == nil {
			s.p.revokeReplayed(ctx, r)
		}
		return "", time.Time{}, errBadCode()
	}
	if err != nil {
		return "", time.Time{}, s.p.storeFault(ctx, "redeem code", err, errBadCode())
	}
	exp := s.p.now().Add(s.p.opts.AccessTokenLifetime)
	t := Token{ID: id, AuthRequestID: ar.ID, ClientID: ar.ClientID, Subject: redeemed.Subject,
		Scopes: slices.Clone(ar.Scopes), Claims: maps.Clone(ar.Claims), ExpiresAt: exp}
	if err := s.p.store.CreateToken(ctx, t); err != nil {
		return "", time.Time{}, s.p.storeFault(ctx, "create token", err, oidc.ErrServerError())
	}
	return id, exp, nil
}

// revokeReplayed ends the tokens a replayed code gave.
func (p *Provider) revokeReplayed(ctx context.Context, r AuthRequest) {
	p.log.WarnContext(ctx, "oidc authorization code replayed; its tokens are revoked", "client_id", r.ClientID, "tokens", len(r.TokenIDs))
	if err := p.store.DeleteTokens(ctx, r.TokenIDs...); err != nil {
		p.log.ErrorContext(ctx, "oidc: revoking the tokens of a replayed code failed", "err", err)
	}
}

// SetUserinfoFromRequest fills the ID token: the subject and the claims
// mapped at login, nothing else.
func (s *storage) SetUserinfoFromRequest(_ context.Context, info *oidc.UserInfo, req op.IDTokenRequest, _ []string) error {
	ar, ok := req.(authRequest)
	if !ok {
		return oidc.ErrServerError()
	}
	info.Subject = ar.Subject
	for k, v := range ar.Claims {
		info.AppendClaims(k, v)
	}
	return nil
}

// SetUserinfoFromScopes is deprecated in zitadel/oidc; SetUserinfoFromRequest does the work.
func (s *storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

// SetUserinfoFromToken answers userinfo from the token's record; the
// subject comes from the record too (crypto.go).
func (s *storage) SetUserinfoFromToken(ctx context.Context, info *oidc.UserInfo, tokenID, _, _ string) error {
	t, err := s.p.store.Token(ctx, tokenID)
	if err != nil {
		return s.p.storeFault(ctx, "token", err, errInvalidToken("the access token is invalid, expired or revoked"))
	}
	info.Subject = t.Subject
	for k, v := range t.Claims {
		info.AppendClaims(k, v)
	}
	return nil
}

// RevokeToken (RFC 7009) ends an access token of the asking client;
// anything else is no error: "invalid tokens do not cause an error".
func (s *storage) RevokeToken(ctx context.Context, tokenID, _, clientID string) *oidc.Error {
	t, err := s.p.store.Token(ctx, tokenID)
	if errors.Is(err, ErrNotFound) || (err == nil && t.ClientID != clientID) {
		return nil
	}
	if err != nil {
		return s.p.storeFault(ctx, "revoke token", err, nil)
	}
	if err := s.p.store.DeleteTokens(ctx, tokenID); err != nil {
		return s.p.storeFault(ctx, "revoke token", err, nil)
	}
	return nil
}

// TerminateSession is end_session: there is no login session to end (every
// login asks the wallet again), so it ends the subject's access tokens at
// the client the id_token_hint names.
func (s *storage) TerminateSession(ctx context.Context, subject, clientID string) error {
	if subject == "" || clientID == "" {
		return nil
	}
	if err := s.p.store.DeleteSubjectTokens(ctx, clientID, subject); err != nil {
		return s.p.storeFault(ctx, "end session", err, nil)
	}
	return nil
}

func (s *storage) SigningKey(ctx context.Context) (op.SigningKey, error) {
	k, err := s.p.keys.signing(ctx)
	if err != nil {
		return nil, s.p.storeFault(ctx, "signing key", err, oidc.ErrServerError())
	}
	return k, nil
}

func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return s.p.keys.algorithms(), nil
}

func (s *storage) KeySet(ctx context.Context) ([]op.Key, error) {
	keys, err := s.p.keys.published(ctx)
	if err != nil {
		return nil, s.p.storeFault(ctx, "key set", err, oidc.ErrServerError())
	}
	out := make([]op.Key, len(keys))
	for i, k := range keys {
		out[i] = publicKey{k}
	}
	return out, nil
}

// What we do not offer: refresh tokens, introspection, JWT profile grants.

func (s *storage) CreateAccessAndRefreshTokens(context.Context, op.TokenRequest, string) (string, string, time.Time, error) {
	return "", "", time.Time{}, oidc.ErrUnsupportedGrantType()
}

func (s *storage) TokenRequestByRefreshToken(context.Context, string) (op.RefreshTokenRequest, error) {
	return nil, oidc.ErrUnsupportedGrantType()
}

func (s *storage) GetRefreshTokenInfo(context.Context, string, string) (string, string, error) {
	return "", "", op.ErrInvalidRefreshToken
}

func (s *storage) SetIntrospectionFromToken(context.Context, *oidc.IntrospectionResponse, string, string, string) error {
	return oidc.ErrRequestNotSupported()
}

func (s *storage) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}

func (s *storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, oidc.ErrUnsupportedGrantType()
}

func (s *storage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, oidc.ErrUnsupportedGrantType()
}
