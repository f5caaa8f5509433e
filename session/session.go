package session

import (
	"context"
	"errors"
	"time"
)

// Status is the stored state of a session. StatusExpired is derived from
// ExpiresAt by Effective, so a session expires on time whether or not
// anyone polls it; it is stored only by an expiry sweep (Outbox), which
// writes it with its event once ExpiresAt has passed.
type Status string

const (
	StatusPending  Status = "pending"
	StatusVerified Status = "verified"
	StatusFailed   Status = "failed"
	StatusExpired  Status = "expired"
)

// Flow is how the wallet is reached.
type Flow string

const (
	FlowCrossDevice Flow = "cross-device"
	FlowSameDevice  Flow = "same-device"
)

// Error is the OAuth-style reason a session failed.
type Error struct {
	Code        string `json:"error"`
	Description string `json:"error_description,omitempty"`
	Reason      string `json:"reason,omitempty"`
}

// Credential is what a verified session reports of one credential.
type Credential struct {
	Type              []string       `json:"type"`
	Issuer            string         `json:"issuer"`
	CredentialSubject map[string]any `json:"credentialSubject"`
	// Format is the credential's claim format: ldp_vc, jwt_vc_json, vc+jwt.
	Format string `json:"format,omitempty"`
	// Status is the credential status that was checked; nil when the
	// credential has no credentialStatus.
	Status *CredentialStatus `json:"status,omitempty"`
}

// CredentialStatus is the outcome of a credential's status check.
type CredentialStatus struct {
	// State is "active", or "unknown" when the check could not tell and
	// the operator lets such credentials through (fail open).
	State string `json:"state"`
	// Methods are the credentialStatus types checked
	// (RevocationBitmap2022, StatusList2021Entry, BitstringStatusListEntry).
	Methods []string `json:"methods"`
}

// Result is what a verified session reports to the website. Holder and
// Credentials are the contract's; the rest says how they were verified.
type Result struct {
	Holder      string       `json:"holder"`
	Credentials []Credential `json:"credentials"`
	// Formats are the presentation formats of the vp_token (ldp_vp,
	// jwt_vp_json), in order of first appearance.
	Formats []string `json:"formats,omitempty"`
	// DIDMethods are the DID methods of the holder and the issuers, sorted.
	DIDMethods []string `json:"did_methods,omitempty"`
}

// Session is one login attempt. Records are values: change them with Store.Update.
type Session struct {
	ID string `json:"id"` // website-facing identifier
	// State is the wallet-facing OID4VP state: the ID, a dot and a secret
	// ("<id>.<secret>"). The secret part is what proves a wallet's answer
	// belongs to the login; the ID part lets a store find the record from
	// the state alone, in one read (the Redis store requires this form; the
	// memory store takes any state).
	State string `json:"state"`
	Nonce string `json:"nonce"`

	// StatusTokenHash is SHA-256 of the status token; the token itself is never stored.
	StatusTokenHash []byte `json:"status_token_hash"`

	DefinitionID string `json:"definition_id"`
	Flow         Flow   `json:"flow"`
	ResponseMode string `json:"response_mode"`
	// Protocol is the request dialect of the login (oid4vp: profile-2022,
	// draft-20, ...); empty in records written before dialects: profile-2022.
	Protocol string `json:"protocol,omitempty"`
	// WebhookURL is where the website asked to hear of this login's end
	// (webhook_url at start, an allow-listed host); empty: nowhere.
	WebhookURL string `json:"webhook_url,omitempty"`

	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
	// DeleteAt is when the record (and any claims in it) is removed.
	DeleteAt time.Time `json:"delete_at"`

	Status      Status    `json:"status"`
	Error       *Error    `json:"error,omitempty"`
	Result      *Result   `json:"result,omitempty"`
	CompletedAt time.Time `json:"completed_at,omitzero"`

	// ResponseCodeHash is SHA-256 of the one-time response_code a same-device
	// direct_post login hands back to the browser (OID4VP 1.0, session
	// fixation); while it is set and not redeemed, the result is withheld.
	ResponseCodeHash []byte `json:"response_code_hash,omitempty"`
	// RedeemedAt is when the response code was exchanged for the result.
	RedeemedAt time.Time `json:"redeemed_at,omitzero"`

	// ResponseKey is the private half (the 32-byte P-256 scalar) of the
	// ephemeral key an OID4VP 1.0 login's request publishes for an
	// encrypted response (direct_post.jwt, client_metadata.jwks; its kid
	// is State). Made with crypto/rand at start, stored as is, not
	// encrypted: it is one request's, decrypts only that request's answer
	// (which the record holds anyway once verified), and is cleared when
	// the session completes. Empty for the other dialects.
	ResponseKey []byte `json:"response_key,omitempty"`

	// Version is bumped by every successful Update; backends use it for compare-and-set.
	Version int64 `json:"version"`
}

// Effective returns the status as a reader sees it at now.
func (s Session) Effective(now time.Time) Status {
	if s.Status == StatusPending && !now.Before(s.ExpiresAt) {
		return StatusExpired
	}
	return s.Status
}

// Released reports whether a completed session's outcome may be shown to
// readers. It always may, except a verified same-device direct_post login
// whose response code the starting browser has not redeemed yet: showing it
// earlier would hand the holder's claims to whoever started the login, which
// is the session-fixation attack the code exists to stop.
func (s Session) Released() bool {
	return len(s.ResponseCodeHash) == 0 || !s.RedeemedAt.IsZero()
}

// Visible returns the status a reader (status read, event stream, result
// page) sees at now: Effective, except that an unreleased verified session
// still reads as pending — and as expired once ExpiresAt passes.
func (s Session) Visible(now time.Time) Status {
	if s.Status == StatusVerified && !s.Released() {
		if now.Before(s.ExpiresAt) {
			return StatusPending
		}
		return StatusExpired
	}
	return s.Effective(now)
}

var (
	// ErrNotFound is returned by every backend for a missing or deleted session.
	ErrNotFound = errors.New("session not found")
	// ErrExists is returned by Create when the ID or State is taken.
	ErrExists = errors.New("session already exists")
	// ErrUnavailable wraps backend faults (e.g. Redis down) so callers can answer 503.
	ErrUnavailable = errors.New("session store unavailable")
)

// Store keeps sessions. Implementations are safe for concurrent use.
type Store interface {
	// Create stores a new session; ErrExists if its ID or State is taken.
	Create(ctx context.Context, s Session) error
	// Get returns the session with the website-facing ID.
	Get(ctx context.Context, id string) (Session, error)
	// GetByState returns the session with the wallet-facing state.
	GetByState(ctx context.Context, state string) (Session, error)
	// Update applies fn atomically (compare-and-set): fn sees the current
	// record and returns the new one; if another writer got in between, fn
	// is called again with the fresher record. An error from fn aborts the
	// update and is returned as is. The returned session is what was stored.
	Update(ctx context.Context, id string, fn func(Session) (Session, error)) (Session, error)
	// Ping reports whether the backend is reachable.
	Ping(ctx context.Context) error
}
