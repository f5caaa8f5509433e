package session

import (
	"context"
	"time"
)

// EventType names what happened to a session. The words are the webhook
// payload's "type".
type EventType string

const (
	EventVerified EventType = "session.verified"
	EventFailed   EventType = "session.failed"
	EventExpired  EventType = "session.expired"
)

// Event is a session's completion, kept in an Outbox until it has been
// delivered: written in the same compare-and-set as the completion, so a
// completion without its event (or an event of a completion that lost the
// race) cannot exist.
type Event struct {
	// ID is assigned by the store when the event is written: unique, and
	// the receivers' idempotency key (webhook-id).
	ID string `json:"id"`
	// SessionID is the session's website-facing id (set by the store).
	SessionID    string    `json:"session_id"`
	Type         EventType `json:"type"`
	At           time.Time `json:"at"` // when the session completed
	DefinitionID string    `json:"definition_id"`
	// Error is the failure of a failed session.
	Error *Error `json:"error,omitempty"`
	// Result is a verified session's holder and credentials: personal
	// data, written only when a target of the event takes it.
	Result *Result `json:"result,omitempty"`
	// Target is the webhook URL the website gave when it started the
	// session (Session.WebhookURL); empty when it gave none.
	Target string `json:"target,omitempty"`
}

// Clone returns a deep copy of e (see Session.Clone).
func (e Event) Clone() Event {
	c := Session{Error: e.Error, Result: e.Result}.Clone()
	e.Error, e.Result = c.Error, c.Result
	return e
}

// CompletionEvent is the event of s once it is completed: verified,
// failed or expired (stored so by an expiry sweep). A pending session has
// none.
func CompletionEvent(s Session) (Event, bool) {
	ev := Event{SessionID: s.ID, At: s.CompletedAt, DefinitionID: s.DefinitionID, Target: s.WebhookURL}
	switch s.Status {
	case StatusVerified:
		ev.Type, ev.Result = EventVerified, s.Result
	case StatusFailed:
		ev.Type, ev.Error = EventFailed, s.Error
	case StatusExpired:
		ev.Type = EventExpired
	default:
		return Event{}, false
	}
	return ev.Clone(), true
}

// Outbox is the event side of a Store (both backends keep it, proved by
// sessiontest.RunOutbox). Its users declare the part they need: the
// verifier writes completions and finds sessions to expire, a webhook
// worker claims, defers and acknowledges.
//
// Delivery is at least once: an event stays until it is acknowledged; a
// claim is a lease, and the event of a claimant that crashed is handed out
// again when its lease lapses, on any instance.
type Outbox interface {
	// UpdateEmit is Store.Update whose fn also returns events: they are
	// stored in the same compare-and-set as the record, or not at all.
	// The store assigns each event's ID and SessionID. A record fn leaves
	// other than pending leaves the store's list of sessions to expire.
	UpdateEmit(ctx context.Context, id string, fn func(Session) (Session, []Event, error)) (Session, error)
	// Claim leases up to n due events for lease: new ones, deferred ones
	// whose time has come, and those whose previous lease lapsed. An event
	// is not handed out again before its lease ends, unless deferred.
	Claim(ctx context.Context, n int, lease time.Duration) ([]Event, error)
	// Defer makes event id due again at at (the next attempt). It does
	// nothing to an acknowledged event.
	Defer(ctx context.Context, id string, at time.Time) error
	// Ack removes events for good: delivered, or given up. Unknown ids are
	// no error.
	Ack(ctx context.Context, ids ...string) error
	// DueExpiries returns up to n ids of sessions stored as pending whose
	// ExpiresAt is not after before, so that their expiry can be written
	// (UpdateEmit) and announced. A session keeps being returned until an
	// UpdateEmit leaves it other than pending or it is deleted; a backend
	// may also return sessions another writer completed with Update,
	// which an UpdateEmit then takes off the list.
	DueExpiries(ctx context.Context, before time.Time, n int) ([]string, error)
}
