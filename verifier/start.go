package verifier

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/loginwithiota/verifier/session"
)

// Started is what a website gets back when it starts a login.
type Started struct {
	Session session.Session
	// StatusToken lets the website (and, as a cookie, the browser) read the
	// session; only its hash is stored.
	StatusToken string
	// AuthorizationRequest is the OID4VP request URI for the QR code or link.
	AuthorizationRequest string
}

// StartSession creates a pending session for definition id and flow.
func (v *Verifier) StartSession(ctx context.Context, definitionID string, flow session.Flow) (*Started, error) {
	if _, ok := v.defs[definitionID]; !ok {
		return nil, notFound("unknown presentation definition %q", definitionID)
	}
	if flow == "" {
		flow = session.FlowCrossDevice
	}
	mode := v.cfg.CrossDeviceMode
	switch flow {
	case session.FlowCrossDevice:
	case session.FlowSameDevice:
		mode = v.cfg.SameDeviceMode
	default:
		return nil, invalidRequest("", "flow must be %q or %q", session.FlowCrossDevice, session.FlowSameDevice)
	}
	// Whole seconds: expires_at reads as the contract shows it.
	now := v.now().UTC().Truncate(time.Second)
	token := newSecret(32)
	s := session.Session{
		ID:              newSecret(16),
		Nonce:           newSecret(24),
		StatusTokenHash: hashToken(token),
		DefinitionID:    definitionID,
		Flow:            flow,
		ResponseMode:    mode,
		CreatedAt:       now,
		ExpiresAt:       now.Add(v.cfg.Lifetime),
		DeleteAt:        now.Add(v.cfg.Lifetime + v.cfg.Retention),
		Status:          session.StatusPending,
	}
	s.State = s.ID + "." + newSecret(24) // the id names the record, the secret proves the answer (session.Session.State)
	if err := v.store.Create(ctx, s); err != nil {
		return nil, storeError(err)
	}
	v.log.InfoContext(ctx, "session started", "session", s.ID, "definition", definitionID, "flow", flow)
	return &Started{Session: s, StatusToken: token, AuthorizationRequest: v.AuthorizationRequest(s)}, nil
}

// AuthorizationRequest builds the request URI for s, parameters by value as
// the Login-with-IOTA profile shows them.
func (v *Verifier) AuthorizationRequest(s session.Session) string {
	q := url.Values{}
	q.Set("response_type", ResponseTypeVPToken)
	q.Set("client_id", v.ClientID())
	q.Set("scope", "openid")
	q.Set("response_mode", s.ResponseMode)
	// OID4VP 1.0: with direct_post "the Wallet MUST send the Authorization
	// Response to response_uri" and redirect_uri MUST NOT be present.
	if s.ResponseMode == ModeDirectPost {
		q.Set("response_uri", v.ResponseURL())
	} else {
		q.Set("redirect_uri", v.ResponseURL())
	}
	q.Set("nonce", s.Nonce)
	q.Set("state", s.State)
	// The profile: "A request MUST contain either a presentation_definition or
	// a presentation_definition_uri" — exactly one of them.
	if v.cfg.DefinitionByValue {
		q.Set("presentation_definition", string(v.defs[s.DefinitionID].PEX.JSON()))
	} else {
		q.Set("presentation_definition_uri", v.cfg.PublicURL+PathDefinitions+url.PathEscape(s.DefinitionID))
	}
	base := v.cfg.Scheme
	if s.Flow == session.FlowSameDevice && v.cfg.SameDeviceWalletURL != "" {
		base = v.cfg.SameDeviceWalletURL
	}
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + q.Encode()
}

// Status returns session id to a caller holding its status token. A missing
// session and a wrong token give the same unauthorized error, so a guess
// learns nothing.
func (v *Verifier) Status(ctx context.Context, id, token string) (session.Session, error) {
	if id == "" || token == "" {
		return session.Session{}, errUnauthorized()
	}
	s, err := v.store.Get(ctx, id)
	if err != nil {
		if errors.Is(err, session.ErrNotFound) {
			return session.Session{}, errUnauthorized()
		}
		return session.Session{}, storeError(err)
	}
	if !tokenMatches(token, s.StatusTokenHash) {
		return session.Session{}, errUnauthorized()
	}
	return s, nil
}

// Request returns session id's authorization request URI without a token:
// the QR endpoints need it, and the id alone is an unguessable capability for
// the request only (never for the result).
func (v *Verifier) Request(ctx context.Context, id string) (string, session.Session, error) {
	s, err := v.store.Get(ctx, id)
	if err != nil {
		return "", session.Session{}, storeError(err)
	}
	if s.Effective(v.now()) != session.StatusPending {
		return "", s, notFound("the session is no longer pending")
	}
	return v.AuthorizationRequest(s), s, nil
}

// ReturnURL is where a same-device browser goes when session id ends.
func (v *Verifier) ReturnURL(id string) string {
	base := v.cfg.ReturnURL
	if base == "" {
		base = v.cfg.PublicURL + PathResult
	}
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return fmt.Sprintf("%s%ssession_id=%s", base, sep, url.QueryEscape(id))
}
