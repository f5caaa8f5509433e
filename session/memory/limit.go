package memory

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/loginwithiota/verifier/session"
)

// ErrFull is returned by a Limited store's Create while its cap of
// pending sessions is reached. It wraps session.ErrUnavailable, so
// callers answer 503: the store is full for now, not broken.
var ErrFull = fmt.Errorf("memory: too many pending sessions: %w", session.ErrUnavailable)

// Limited is a Store that holds at most max pending sessions: Create
// refuses one more with ErrFull. It never evicts a pending login; one
// stops counting when it completes (an Update that leaves it other than
// pending) or when its ExpiresAt passes. Completed records still take
// memory until their DeleteAt, but only a wallet's answer completes one,
// so their number is bounded by the logins actually made.
type Limited struct {
	*Store
	max int

	mu      sync.Mutex
	pending map[string]time.Time // id → ExpiresAt
	// soonest is the earliest ExpiresAt in pending: before it, nothing
	// can be pruned, so a full store refuses without a scan.
	soonest time.Time
}

var (
	_ session.Store    = (*Limited)(nil)
	_ session.Notifier = (*Limited)(nil)
)

// Limit returns s capped at max pending sessions (max ≤ 0: s unbounded,
// as a Limited that never refuses).
func (s *Store) Limit(max int) *Limited {
	return &Limited{Store: s, max: max, pending: make(map[string]time.Time)}
}

// Create stores sess unless max sessions are pending already.
func (l *Limited) Create(ctx context.Context, sess session.Session) error {
	if sess.Status != session.StatusPending {
		return l.Store.Create(ctx, sess) // a probe record, say: nobody waits on it
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.max > 0 && len(l.pending) >= l.max {
		l.prune(l.now())
		if len(l.pending) >= l.max {
			return ErrFull
		}
	}
	if err := l.Store.Create(ctx, sess); err != nil {
		return err
	}
	l.pending[sess.ID] = sess.ExpiresAt
	if l.soonest.IsZero() || sess.ExpiresAt.Before(l.soonest) {
		l.soonest = sess.ExpiresAt
	}
	return nil
}

// Update is the Store's; a session it leaves completed stops counting.
func (l *Limited) Update(ctx context.Context, id string, fn func(session.Session) (session.Session, error)) (session.Session, error) {
	out, err := l.Store.Update(ctx, id, fn)
	if err == nil && out.Status != session.StatusPending {
		l.forget(id)
	} else if errors.Is(err, session.ErrNotFound) {
		l.forget(id)
	}
	return out, err
}

// Pending is how many sessions count against the cap now.
func (l *Limited) Pending() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.prune(l.now())
	return len(l.pending)
}

func (l *Limited) forget(id string) {
	l.mu.Lock()
	delete(l.pending, id)
	l.mu.Unlock()
}

// prune drops the sessions expired at now. The caller holds l.mu.
func (l *Limited) prune(now time.Time) {
	if !l.soonest.IsZero() && now.Before(l.soonest) {
		return
	}
	var soonest time.Time
	for id, exp := range l.pending {
		if !now.Before(exp) {
			delete(l.pending, id)
		} else if soonest.IsZero() || exp.Before(soonest) {
			soonest = exp
		}
	}
	l.soonest = soonest
}
