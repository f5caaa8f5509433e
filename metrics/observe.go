package metrics

import (
	"context"
	"strconv"
	"time"

	"github.com/loginwithiota/verifier/session"
	"github.com/loginwithiota/verifier/verifier"
	"github.com/loginwithiota/verifier/web"
)

var (
	_ verifier.Observer = (*Metrics)(nil)
	_ web.Observer      = (*Metrics)(nil)
)

// SessionStarted counts a started login.
func (m *Metrics) SessionStarted(_ context.Context, definition string, flow session.Flow) {
	m.sessionsCreated.WithLabelValues(definition, string(flow)).Inc()
}

// SessionCompleted counts a completed login, and its failure reason.
func (m *Metrics) SessionCompleted(_ context.Context, c verifier.Completion) {
	m.sessionsCompleted.WithLabelValues(c.Definition, c.Outcome).Inc()
	if c.Duration > 0 {
		m.sessionDuration.WithLabelValues(c.Outcome).Observe(c.Duration.Seconds())
	}
	switch c.Outcome {
	case verifier.OutcomeFailed:
		reason := c.Reason
		if reason == "" {
			reason = "none"
		}
		m.failures.WithLabelValues(c.Definition, reason).Inc()
	case verifier.OutcomeDeclined:
		m.failures.WithLabelValues(c.Definition, "wallet:"+walletCode(c.Reason)).Inc()
	}
}

// StageDone observes one stage's time.
func (m *Metrics) StageDone(_ context.Context, stage verifier.Stage, d time.Duration) {
	m.stages.WithLabelValues(string(stage)).Observe(d.Seconds())
}

// walletCodes are the error codes wallets send that a label may carry
// (RFC 6749 §4.1.2.1, OID4VP 1.0 §8.5); a wallet chooses its code, so any
// other is "other" and the label's values stay few.
var walletCodes = map[string]bool{
	"access_denied": true, "invalid_request": true, "invalid_scope": true, "invalid_client": true,
	"unauthorized_client": true, "unsupported_response_type": true, "server_error": true,
	"temporarily_unavailable": true, "vp_formats_not_supported": true,
	"invalid_presentation_definition_uri": true, "invalid_presentation_definition_reference": true,
	"invalid_request_uri_method": true, "wallet_unavailable": true, "invalid_transaction_data": true,
}

func walletCode(code string) string {
	if walletCodes[code] {
		return code
	}
	return "other"
}

// Request counts and times one HTTP answer.
func (m *Metrics) Request(route, method string, status int, d time.Duration) {
	m.httpRequests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.httpSeconds.WithLabelValues(route).Observe(d.Seconds())
}

// StreamOpened counts an open event stream.
func (m *Metrics) StreamOpened() { m.streamsOpen.Inc() }

// StreamClosed uncounts it.
func (m *Metrics) StreamClosed() { m.streamsOpen.Dec() }

// Refused counts a request refused by a limit.
func (m *Metrics) Refused(limit string) { m.refused.WithLabelValues(limit).Inc() }
