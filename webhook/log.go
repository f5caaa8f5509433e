package webhook

import (
	"context"
	"errors"
	"time"

	"github.com/loginwithiota/verifier/session"
)

// State is where an event's delivery stands.
type State string

const (
	// StateRetrying: an attempt failed; the next one is at NextAttempt.
	StateRetrying State = "retrying"
	// StateDelivered: the target answered 2xx.
	StateDelivered State = "delivered"
	// StateFailed: given up (the horizon passed, or the target is no
	// longer configured).
	StateFailed State = "failed"
)

// Delivery is the log of one event's delivery: what it was about, and
// every attempt. It holds no claims: the payload is not logged.
type Delivery struct {
	EventID      string            `json:"event_id"`
	SessionID    string            `json:"session_id"`
	Type         session.EventType `json:"type"`
	DefinitionID string            `json:"definition_id"`
	Target       string            `json:"target"`
	// CreatedAt is when the event happened (the login's end).
	CreatedAt   time.Time `json:"created_at"`
	State       State     `json:"state"`
	NextAttempt time.Time `json:"next_attempt,omitzero"`
	// GaveUp says why a failed delivery was given up.
	GaveUp    string    `json:"gave_up,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
	Attempts  []Attempt `json:"attempts"`
}

// Attempt is one POST of an event.
type Attempt struct {
	At time.Time `json:"at"`
	// DurationMS is how long the target took to answer (or to fail).
	DurationMS int64 `json:"duration_ms"`
	// Status is the target's HTTP status; 0 when none came.
	Status int `json:"status,omitempty"`
	// Error names what failed, in the words of internal/safehttp's kinds
	// ("host unreachable", "unexpected HTTP status"), never the cause.
	Error string `json:"error,omitempty"`
	// Instance is the verifier instance that made the attempt.
	Instance string `json:"instance,omitempty"`
}

// ErrNotFound is every Log's answer for an event it has no record of.
var ErrNotFound = errors.New("webhook: no delivery record")

// Log keeps the delivery records, shared by every instance (the Redis
// one), for a retention period. Backends prove the contract with
// webhooktest.RunLog.
type Log interface {
	// Record stores d's description and state (State, NextAttempt,
	// UpdatedAt) and appends a, when not nil, to its attempts; d.Attempts
	// is ignored. Attempts of several instances all stay.
	Record(ctx context.Context, d Delivery, a *Attempt) error
	// Get returns the record of an event, its attempts in order.
	Get(ctx context.Context, eventID string) (Delivery, error)
	// List returns up to limit records, the latest events first.
	List(ctx context.Context, limit int) ([]Delivery, error)
}

// describe is the record of ev before any attempt.
func describe(ev session.Event) Delivery {
	return Delivery{EventID: ev.ID, SessionID: ev.SessionID, Type: ev.Type, DefinitionID: ev.DefinitionID,
		Target: ev.Target, CreatedAt: ev.At}
}
