package verifier

import (
	"context"
	"errors"
	"time"
)

// publishTimeout bounds one announcement; a slower store costs followers
// at most one heartbeat, not the wallet its answer.
const publishTimeout = 2 * time.Second

// errNoNotifier: the store cannot notify; followers fall back on re-reading.
var errNoNotifier = errors.New("verifier: the session store has no notifier")

// Subscribe wakes the caller whenever session id changes, on whichever
// instance the change happened, until ctx is done. Authorize the caller
// first (Status); a wake-up carries no data, so re-read with Status. An
// error means no notifications: the caller re-reads on a timer instead.
func (v *Verifier) Subscribe(ctx context.Context, id string) (<-chan struct{}, error) {
	if v.notifier == nil {
		return nil, errNoNotifier
	}
	ch, err := v.notifier.Subscribe(ctx, id)
	if err != nil {
		return nil, storeError(err)
	}
	return ch, nil
}

// publish announces a change of id. A lost notification only delays a
// browser until its next re-read, so a failure is logged, not returned: the
// wallet's answer is stored and must be acknowledged.
func (v *Verifier) publish(ctx context.Context, id string) {
	if v.notifier == nil {
		return
	}
	// The change is stored: announce it even if the wallet hung up already.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), publishTimeout)
	defer cancel()
	if err := v.notifier.Publish(ctx, id); err != nil {
		v.log.WarnContext(ctx, "session change not published", "session", id, "err", err)
	}
}
