package verifier

import (
	"context"
	"time"

	"github.com/loginwithiota/verifier/session"
)

// EventOptions say where the end of a login is announced (webhooks). The
// events are written by the session store in the completion's own
// compare-and-set, when the store keeps an outbox (session.Outbox);
// otherwise there are none.
type EventOptions struct {
	// Targets are the destinations of s's completion: each gets an event
	// of its own, with the result (personal data) only if it takes it.
	// nil: no events.
	Targets func(s session.Session) []EventTarget
	// CheckWebhookURL vets the webhook_url a website names at start; its
	// error text is the website's answer. nil: webhook_url is refused.
	CheckWebhookURL func(rawURL string) error
}

// EventTarget is one destination of a completion.
type EventTarget struct {
	URL           string
	IncludeResult bool
}

// eventStore is the part of the outbox the verifier writes through.
type eventStore interface {
	UpdateEmit(ctx context.Context, id string, fn func(session.Session) (session.Session, []session.Event, error)) (session.Session, error)
	DueExpiries(ctx context.Context, before time.Time, n int) ([]string, error)
}

// completeUpdate is the completion's compare-and-set (complete calls
// it): the store's Update, or UpdateEmit with the completion's events
// when the store keeps an outbox, so that a completion and its events are
// one write. The outbox also learns that the session no longer needs
// expiring, events or not.
func (v *Verifier) completeUpdate(ctx context.Context, id string, fn func(session.Session) (session.Session, error)) (session.Session, error) {
	es, ok := v.store.(eventStore)
	if !ok {
		return v.store.Update(ctx, id, fn)
	}
	return es.UpdateEmit(ctx, id, func(old session.Session) (session.Session, []session.Event, error) {
		s, err := fn(old)
		if err != nil {
			return s, nil, err
		}
		return s, v.completionEvents(s), nil
	})
}

// completionEvents are the events of completed s, one per target.
func (v *Verifier) completionEvents(s session.Session) []session.Event {
	if v.cfg.Events.Targets == nil {
		return nil
	}
	base, ok := session.CompletionEvent(s)
	if !ok {
		return nil
	}
	var out []session.Event
	for _, t := range v.cfg.Events.Targets(s) {
		ev := base.Clone()
		ev.Target = t.URL
		if !t.IncludeResult {
			ev.Result = nil
		}
		out = append(out, ev)
	}
	return out
}

// checkWebhookURL vets a start's webhook_url (StartLogin calls it).
func (v *Verifier) checkWebhookURL(rawURL string) error {
	switch {
	case rawURL == "":
		return nil
	case v.cfg.Events.CheckWebhookURL == nil:
		return invalidRequest("", "webhook_url is not enabled on this verifier")
	}
	if err := v.cfg.Events.CheckWebhookURL(rawURL); err != nil {
		return invalidRequest("", "%s", err.Error())
	}
	return nil
}
