package session

import "context"

// Notifier tells every instance of the service that a session changed, so a
// browser following a login on one instance learns at once that the wallet's
// answer arrived at another (no sticky sessions). Both backends implement
// it: the memory store in process, the Redis store with pub/sub.
//
// Notifications are hints, not data: a subscriber re-reads the session from
// the Store. They may be lost (a Redis reconnect), so a subscriber also
// re-reads now and then; they may be coalesced (two publishes, one wake-up).
type Notifier interface {
	// Publish announces that session id changed (it completed, or its
	// result was released).
	Publish(ctx context.Context, id string) error
	// Subscribe returns a channel that receives a value after each Publish
	// of id (on any instance) until ctx is done. It returns once the
	// subscription is in place, so a change made after Subscribe returns,
	// and published, is not missed. The channel is never closed.
	Subscribe(ctx context.Context, id string) (<-chan struct{}, error)
}
