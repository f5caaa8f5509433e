package verifier

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/loginwithiota/verifier/oid4vp"
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

// Start is a website's request for a login.
type Start struct {
	// Definition names a configured presentation definition.
	Definition string
	// Flow is cross-device (the default) or same-device.
	Flow session.Flow
	// Protocol asks for a request dialect the definition allows
	// (oid4vp.Profile2022, oid4vp.Draft20, oid4vp.V1, oid4vp.V1Draft20);
	// empty: the definition's default.
	Protocol string
	// WebhookURL is where to announce the login's end (EventOptions).
	WebhookURL string
}

// StartSession creates a pending session for definition id and flow, in
// the definition's default dialect.
func (v *Verifier) StartSession(ctx context.Context, definitionID string, flow session.Flow) (*Started, error) {
	return v.StartLogin(ctx, Start{Definition: definitionID, Flow: flow})
}

// StartLogin creates a pending session for st.
func (v *Verifier) StartLogin(ctx context.Context, st Start) (*Started, error) {
	def, ok := v.defs[st.Definition]
	if !ok {
		return nil, notFound("unknown presentation definition %q", truncate(st.Definition))
	}
	flow := st.Flow
	if flow == "" {
		flow = session.FlowCrossDevice
	}
	if flow != session.FlowCrossDevice && flow != session.FlowSameDevice {
		return nil, invalidRequest("", "flow must be %q or %q", session.FlowCrossDevice, session.FlowSameDevice)
	}
	dialect, e := chooseDialect(def, st.Protocol)
	if e != nil {
		return nil, e
	}
	if e := v.checkWebhookURL(st.WebhookURL); e != nil { // events.go
		return nil, e
	}
	mode := dialect.ResponseMode(flow == session.FlowSameDevice, oid4vp.Modes{CrossDevice: v.cfg.CrossDeviceMode, SameDevice: v.cfg.SameDeviceMode})
	// Whole seconds: expires_at reads as the contract shows it.
	now := v.now().UTC().Truncate(time.Second)
	token := newSecret(32)
	s := session.Session{
		ID:              newSecret(16),
		Nonce:           newSecret(24),
		StatusTokenHash: hashToken(token),
		DefinitionID:    st.Definition,
		Flow:            flow,
		ResponseMode:    mode,
		Protocol:        dialect.Name(),
		WebhookURL:      st.WebhookURL,
		CreatedAt:       now,
		ExpiresAt:       now.Add(v.cfg.Lifetime),
		DeleteAt:        now.Add(v.cfg.Lifetime + v.cfg.Retention),
		Status:          session.StatusPending,
	}
	s.State = s.ID + "." + newSecret(24) // the id names the record, the secret proves the answer (session.Session.State)
	if v.needsResponseKey(dialect) {
		// The request's own ephemeral key for an encrypted response
		// (1.0 §8.3, "This allows the Verifier to pass ephemeral keys
		// specific to this Authorization Request"), from crypto/rand.
		k, err := oid4vp.NewResponseKey()
		if err != nil {
			return nil, serverError(err)
		}
		if s.ResponseKey, err = oid4vp.ResponseKeyBytes(k); err != nil {
			return nil, serverError(err)
		}
	}
	uri, err := v.authorizationRequest(s)
	if err != nil {
		return nil, serverError(err)
	}
	if err := v.store.Create(ctx, s); err != nil {
		return nil, storeError(err)
	}
	v.log.InfoContext(ctx, "session started", "session", s.ID, "definition", st.Definition, "flow", flow, "protocol", s.Protocol)
	v.observer().SessionStarted(ctx, st.Definition, flow)
	return &Started{Session: s, StatusToken: token, AuthorizationRequest: uri}, nil
}

// AuthorizationRequest builds the request URI for s in its dialect.
func (v *Verifier) AuthorizationRequest(s session.Session) string {
	uri, err := v.authorizationRequest(s)
	if err != nil {
		v.log.Error("cannot build an authorization request", "session", s.ID, "err", err)
		return ""
	}
	return uri
}

// authorizationRequest is the request URI for s: its dialect's parameters
// by value, or client_id and request_uri when requests go by reference.
func (v *Verifier) authorizationRequest(s session.Session) (string, error) {
	d, params, err := v.requestParameters(s)
	if err != nil {
		return "", err
	}
	requestURI := v.cfg.PublicURL + PathRequests + url.PathEscape(s.ID)
	switch {
	case v.signedByReference(d):
		// The QR stays short: client_id, request_uri, request_uri_method.
		params = oid4vp.ReferenceParametersV1(v.identity.ClientID.String(), requestURI)
	case v.byReference(d):
		params = oid4vp.ReferenceParameters(params, requestURI)
	}
	q, err := oid4vp.Query(params)
	if err != nil {
		return "", err
	}
	base := v.cfg.Scheme
	if s.Flow == session.FlowSameDevice && v.cfg.SameDeviceWalletURL != "" {
		base = v.cfg.SameDeviceWalletURL
	}
	return oid4vp.URI(base, q), nil
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
	uri, err := v.authorizationRequest(s)
	if err != nil {
		return "", s, serverError(err)
	}
	return uri, s, nil
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
