package verifier

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/loginwithiota/verifier/oauth"
)

// admission decides, before any work, whether an answer is verified now:
// one verification in flight per state (a second answer for the same
// session is refused at once: it could only end session_not_pending after
// paying the full cost), and a bounded pool of workers with a short queue
// (beyond it: 503, the session stays pending, the wallet may retry).
type admission struct {
	inflight sync.Map // state → struct{}
	slots    chan struct{}
	waiting  atomic.Int64
	queue    int64
}

// busyRetryAfter is what a wallet refused for a full queue is asked to wait.
const busyRetryAfter = 2 * time.Second

func newAdmission(l Limits) *admission {
	return &admission{slots: make(chan struct{}, l.Workers), queue: int64(l.Queue)}
}

// claim marks state as being verified; ok is false when it already is.
func (a *admission) claim(state string) (release func(), ok bool) {
	if _, taken := a.inflight.LoadOrStore(state, struct{}{}); taken {
		return nil, false
	}
	return func() { a.inflight.Delete(state) }, true
}

// acquire waits for a worker, unless the queue is full or ctx ends first.
func (a *admission) acquire(ctx context.Context) (release func(), err *oauth.Error) {
	select {
	case a.slots <- struct{}{}:
		return a.release, nil
	default:
	}
	if a.waiting.Add(1) > a.queue {
		a.waiting.Add(-1)
		return nil, oauth.New(oauth.TemporarilyUnavailable, ReasonBusy, "the verifier is busy; try again shortly").WithRetryAfter(busyRetryAfter)
	}
	defer a.waiting.Add(-1)
	select {
	case a.slots <- struct{}{}:
		return a.release, nil
	case <-ctx.Done():
		return nil, contextError(ctx.Err())
	}
}

func (a *admission) release() { <-a.slots }
