package metrics

import "github.com/prometheus/client_golang/prometheus"

// WebhookAttempts counts webhook attempts by outcome (delivered, retrying,
// failed) as verifier_webhook_attempts_total; its WebhookAttempt method is
// a webhook.Observer. Call it once per Metrics.
func (m *Metrics) WebhookAttempts() *WebhookCounter {
	return &WebhookCounter{c: factory{m.reg}.counter("verifier_webhook_attempts_total",
		"Webhook delivery attempts by outcome: delivered, retrying (failed, tried again later), failed (given up).", "outcome")}
}

// WebhookCounter is the counter of WebhookAttempts.
type WebhookCounter struct{ c *prometheus.CounterVec }

// WebhookAttempt counts one attempt's outcome.
func (w *WebhookCounter) WebhookAttempt(outcome string) { w.c.WithLabelValues(outcome).Inc() }
