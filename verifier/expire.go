package verifier

import (
	"context"
	"errors"
	"time"

	"github.com/loginwithiota/verifier/session"
)

// expiryBatch is how many sessions one ExpireDue pass expires at most.
const expiryBatch = 100

// errNotDue: the session listed for expiry was completed meanwhile (or
// is not yet past its ExpiresAt on this clock): nothing to write.
var errNotDue = errors.New("verifier: the session is not due to expire")

// ExpireDue stores `expired`, with its events, on the sessions nobody
// completed before their ExpiresAt, so that an expiry is announced like
// any other end. It is a compare-and-set like a completion: a wallet's
// answer and the expiry cannot both win. It returns how many sessions it
// expired (at most a batch), and does nothing on a store without outbox.
func (v *Verifier) ExpireDue(ctx context.Context) (int, error) {
	es, ok := v.store.(eventStore)
	if !ok {
		return 0, nil
	}
	now := v.now().UTC()
	ids, err := es.DueExpiries(ctx, now, expiryBatch)
	if err != nil {
		return 0, storeError(err)
	}
	n := 0
	for _, id := range ids {
		_, err := es.UpdateEmit(ctx, id, func(s session.Session) (session.Session, []session.Event, error) {
			if s.Status != session.StatusPending || s.Effective(now) != session.StatusExpired {
				return s, nil, errNotDue
			}
			// It ended when its time was up, whenever the sweep ran.
			s.Status, s.CompletedAt = session.StatusExpired, s.ExpiresAt
			s.ResponseKey = nil // its request will not be answered
			return s, v.completionEvents(s), nil
		})
		switch {
		case errors.Is(err, errNotDue), errors.Is(err, session.ErrNotFound):
			continue
		case err != nil:
			return n, storeError(err)
		}
		n++
		v.publish(ctx, id)
		v.log.InfoContext(ctx, "session expired", "session", id)
	}
	return n, nil
}

// RunExpiry runs ExpireDue every interval until ctx is done (at once
// again while it finds full batches). A failing store is logged once per
// outage.
func (v *Verifier) RunExpiry(ctx context.Context, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	failing := false
	for {
		n, err := v.ExpireDue(ctx)
		switch {
		case err != nil && ctx.Err() == nil && !failing:
			v.log.WarnContext(ctx, "sessions cannot be expired now", "err", err)
			failing = true
		case err == nil && failing:
			v.log.InfoContext(ctx, "sessions are expired again")
			failing = false
		}
		if err == nil && n == expiryBatch {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
