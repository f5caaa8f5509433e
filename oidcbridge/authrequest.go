package oidcbridge

import (
	"log/slog"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// authRequest is a stored AuthRequest as zitadel/oidc reads it.
type authRequest struct{ AuthRequest }

var (
	_ op.AuthRequest    = authRequest{}
	_ op.LogAuthRequest = authRequest{}
)

func (a authRequest) GetID() string          { return a.ID }
func (a authRequest) GetACR() string         { return a.ACR }
func (a authRequest) GetAMR() []string       { return a.AMR }
func (a authRequest) GetAudience() []string  { return []string{a.ClientID} }
func (a authRequest) GetAuthTime() time.Time { return a.AuthTime }
func (a authRequest) GetClientID() string    { return a.ClientID }
func (a authRequest) GetNonce() string       { return a.Nonce }
func (a authRequest) GetRedirectURI() string { return a.RedirectURI }
func (a authRequest) GetScopes() []string    { return a.Scopes }
func (a authRequest) GetState() string       { return a.State }
func (a authRequest) GetSubject() string     { return a.Subject }
func (a authRequest) Done() bool             { return a.AuthRequest.Done && !a.Denied }
func (a authRequest) GetResponseType() oidc.ResponseType {
	return oidc.ResponseTypeCode
}
func (a authRequest) GetResponseMode() oidc.ResponseMode {
	return oidc.ResponseMode(a.ResponseMode)
}

func (a authRequest) GetCodeChallenge() *oidc.CodeChallenge {
	if a.CodeChallenge == "" {
		return nil
	}
	return &oidc.CodeChallenge{Challenge: a.CodeChallenge, Method: oidc.CodeChallengeMethod(a.CodeChallengeMethod)}
}

// LogValue is what zitadel/oidc logs of a failing request: never the
// subject, claims, state or nonce.
func (a authRequest) LogValue() slog.Value {
	return slog.GroupValue(slog.String("client_id", a.ClientID), slog.Any("scopes", a.Scopes))
}
