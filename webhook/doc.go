// Package webhook tells websites' backends of every login's end: a
// Dispatcher claims completion events from the session store's outbox
// (session.Outbox), posts each to its target signed per Standard Webhooks
// (webhook-id, webhook-timestamp, webhook-signature: v1 HMAC-SHA256 over
// "id.timestamp.body", one signature per secret for rotation), retries
// with exponential backoff and jitter until its horizon, and writes every
// attempt to a delivery log the operator reads.
//
// Delivery is at least once: an event leaves the outbox only after its
// delivery is logged as done or given up; a worker that crashes leaves its
// claim to lapse, and another instance (or this one, restarted) delivers.
// The event id is the receivers' idempotency key.
//
// The package owns the wire (payload, signatures), the schedule and the
// log's contract (Log; backends in webhook/memory and webhook/redis, the
// suite in webhook/webhooktest). Targets are posted to through
// internal/safehttp: no private addresses unless allowed, no redirects.
package webhook
