package webhook

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/loginwithiota/verifier/internal/safehttp"
	"github.com/loginwithiota/verifier/session"
)

// releaseTimeout bounds handing an interrupted event back at shutdown.
const releaseTimeout = 2 * time.Second

// deliver makes the next attempt of ev and records it: delivered (then
// acknowledged), retrying (deferred to its next time) or given up
// (acknowledged).
func (d *Dispatcher) deliver(ctx context.Context, ev session.Event) {
	now := d.o.Now()
	rec, err := d.o.Log.Get(ctx, ev.ID)
	switch {
	case errors.Is(err, ErrNotFound):
		rec = describe(ev)
	case err != nil && ctx.Err() != nil:
		d.release(ctx, ev, now) // shutting down
		return
	case err != nil:
		// Without the log the attempt count is unknown: try again soon.
		d.o.Logger.WarnContext(ctx, "webhooks: cannot read the delivery log", "event", ev.ID, "err", err)
		d.release(ctx, ev, now.Add(d.o.Backoff.Initial))
		return
	}
	if rec.State == StateDelivered || rec.State == StateFailed {
		// Done before, but the instance stopped before acknowledging it.
		d.ack(ctx, ev)
		return
	}
	n := len(rec.Attempts) + 1
	deadline := ev.At.Add(d.o.Backoff.Horizon)
	secrets, ok := d.o.Targets.secrets(ev.Target)
	switch {
	case !ok:
		d.giveUp(ctx, ev, rec, nil, "the target is no longer configured")
		return
	case n == 1 && now.After(deadline):
		// Never tried within the horizon (no instance ran meanwhile). A
		// retry is always made once scheduled: the next one is not.
		d.giveUp(ctx, ev, rec, nil, reasonHorizon)
		return
	}
	body, err := Body(ev)
	if err != nil {
		d.giveUp(ctx, ev, rec, nil, "the event cannot be encoded")
		return
	}
	header := http.Header{"Content-Type": {"application/json"}}
	header.Set(HeaderID, ev.ID)
	header.Set(HeaderTimestamp, strconv.FormatInt(now.Unix(), 10))
	header.Set(HeaderSignature, Sign(secrets, ev.ID, now, body))
	start := time.Now()
	status, err := d.o.Client.Post(ctx, ev.Target, header, body)
	if ctx.Err() != nil {
		// Shutting down: not an attempt of the target's; the next
		// instance starts it over at once.
		d.release(ctx, ev, now)
		return
	}
	a := &Attempt{At: now, DurationMS: time.Since(start).Milliseconds(), Status: status, Instance: d.o.Instance}
	log := d.o.Logger.With("event", ev.ID, "type", ev.Type, "target", hostOf(ev.Target), "attempt", n, "status", status)
	if err == nil {
		rec.State, rec.NextAttempt = StateDelivered, time.Time{}
		d.record(ctx, rec, a)
		d.ack(ctx, ev)
		d.observe("delivered")
		log.InfoContext(ctx, "webhook delivered")
		return
	}
	a.Error = errorText(err)
	next := d.o.Now().Add(d.o.Backoff.Delay(n))
	if next.After(deadline) {
		d.giveUp(ctx, ev, rec, a, reasonHorizon)
		log.WarnContext(ctx, "webhook given up", "err", a.Error)
		return
	}
	rec.State, rec.NextAttempt = StateRetrying, next
	d.record(ctx, rec, a)
	d.release(ctx, ev, next)
	d.observe("retrying")
	log.InfoContext(ctx, "webhook attempt failed", "err", a.Error, "next_attempt", next)
}

const reasonHorizon = "the retry horizon has passed"

// giveUp logs the delivery as failed for reason, after a (if any).
func (d *Dispatcher) giveUp(ctx context.Context, ev session.Event, rec Delivery, a *Attempt, reason string) {
	rec.State, rec.NextAttempt, rec.GaveUp = StateFailed, time.Time{}, reason
	d.record(ctx, rec, a)
	d.ack(ctx, ev)
	d.observe("failed")
}

// record writes the log; a failure is logged, not fatal: the event's
// fate is the outbox's, the log is what the operator sees of it.
func (d *Dispatcher) record(ctx context.Context, rec Delivery, a *Attempt) {
	rec.UpdatedAt = d.o.Now()
	if err := d.o.Log.Record(context.WithoutCancel(ctx), rec, a); err != nil {
		d.o.Logger.WarnContext(ctx, "webhooks: cannot write the delivery log", "event", rec.EventID, "err", err)
	}
}

func (d *Dispatcher) ack(ctx context.Context, ev session.Event) {
	if err := d.o.Queue.Ack(context.WithoutCancel(ctx), ev.ID); err != nil {
		// The claim lapses and the next attempt finds the log done.
		d.o.Logger.WarnContext(ctx, "webhooks: cannot acknowledge an event", "event", ev.ID, "err", err)
	}
}

// release hands ev back to the outbox, due at at. Without it the lease
// lapses: the same, later.
func (d *Dispatcher) release(ctx context.Context, ev session.Event, at time.Time) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseTimeout)
	defer cancel()
	if err := d.o.Queue.Defer(rctx, ev.ID, at); err != nil {
		d.o.Logger.WarnContext(ctx, "webhooks: cannot defer an event", "event", ev.ID, "err", err)
	}
}

func (d *Dispatcher) observe(outcome string) {
	if d.o.Observer != nil {
		d.o.Observer.WebhookAttempt(outcome)
	}
}

// errorText names a failed POST by its kind only: no address, DNS answer
// or certificate detail reaches the log a website's operator may read.
func errorText(err error) string {
	if k := safehttp.Kind(err); k != nil {
		var e *safehttp.Error
		if errors.As(err, &e) && errors.Is(k, safehttp.ErrStatus) {
			return fmt.Sprintf("%s %d", k, e.StatusCode)
		}
		return k.Error()
	}
	return "the delivery failed"
}

// hostOf is the host a target URL names, for logs (its path and query
// are the website's).
func hostOf(target string) string {
	if u, err := url.Parse(target); err == nil {
		return u.Host
	}
	return ""
}
