package webhook

import (
	"encoding/json"
	"time"

	"github.com/loginwithiota/verifier/session"
)

// Payload is the body of a delivery, in Standard Webhooks' envelope: the
// event type, when it happened, and the data. Data holds the same error
// and result objects as the status API (GET /api/v1/sessions/{id}), so a
// website reads both the same way.
type Payload struct {
	Type      session.EventType `json:"type"`
	Timestamp time.Time         `json:"timestamp"`
	Data      PayloadData       `json:"data"`
}

// PayloadData is what happened to which login.
type PayloadData struct {
	SessionID    string         `json:"session_id"`
	DefinitionID string         `json:"definition_id"`
	Status       session.Status `json:"status"`
	// Error is a failed login's reason.
	Error *session.Error `json:"error,omitempty"`
	// Result is a verified login's holder and credentials, unless the
	// target is configured without them (include_result: false).
	Result *session.Result `json:"result,omitempty"`
}

// statusOf is the status an event's type reports.
var statusOf = map[session.EventType]session.Status{
	session.EventVerified: session.StatusVerified,
	session.EventFailed:   session.StatusFailed,
	session.EventExpired:  session.StatusExpired,
}

// Body is ev's payload as sent.
func Body(ev session.Event) ([]byte, error) {
	return json.Marshal(Payload{Type: ev.Type, Timestamp: ev.At.UTC(), Data: PayloadData{
		SessionID: ev.SessionID, DefinitionID: ev.DefinitionID, Status: statusOf[ev.Type], Error: ev.Error, Result: ev.Result,
	}})
}
