package redis

import (
	"context"
	"errors"

	"github.com/loginwithiota/verifier/session"
)

var _ session.Notifier = (*Store)(nil)

// channel is the one pub/sub channel of a key prefix; the message is the
// session id. One channel (not one per session) lets an instance keep a
// single subscription, set up once and confirmed before anyone waits on it.
//
// It is regular pub/sub, not sharded (SPUBLISH): on Cluster a PUBLISH
// reaches the subscribers on every node, so each instance subscribes once,
// wherever the channel's slot is, and a failover or resharding never moves
// it. Sharded pub/sub would confine each message to one shard, but it would
// take one subscription per session (or per shard) and resubscribing on
// every slot move; docs/performance.md has the measurement.
func (s *Store) channel() string { return s.prefix + "completed" }

// Publish announces id's change to every instance on this Redis and prefix.
// Update announces its own writes inside its script, so a Publish right
// after this instance's Update of id has nothing new to say and is not sent.
func (s *Store) Publish(ctx context.Context, id string) error {
	if s.recent.announced(id) {
		return ctx.Err()
	}
	if err := s.client.Publish(ctx, s.channel(), id).Err(); err != nil {
		return s.unavailable(ctx, "publish", err)
	}
	return nil
}

// Subscribe follows id's publishes, from any instance, until ctx is done.
// The first call opens this instance's pub/sub connection and waits for
// Redis to confirm it, so nothing published after Subscribe returns is
// missed — unless the connection drops later: go-redis then reconnects and
// subscribes again, and what was published in between is lost (callers
// re-read the session now and then for that reason).
func (s *Store) Subscribe(ctx context.Context, id string) (<-chan struct{}, error) {
	if err := s.listen(ctx); err != nil {
		return nil, err
	}
	return s.hub.Subscribe(ctx, id), nil
}

// listen starts the instance's subscription once; after a failure the next
// Subscribe tries again.
func (s *Store) listen(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errors.New("redis: store closed")
	}
	if s.pubsub != nil {
		return nil
	}
	// The subscription outlives the request that happens to open it.
	ps := s.client.Subscribe(context.WithoutCancel(ctx), s.channel())
	if _, err := ps.Receive(ctx); err != nil {
		ps.Close()
		return s.unavailable(ctx, "subscribe", err)
	}
	s.pubsub = ps
	msgs := ps.Channel() // reconnects and pings on its own; closed by ps.Close
	go func() {
		for m := range msgs {
			s.hub.Notify(m.Payload)
		}
	}()
	return nil
}

// Close ends the instance's subscription. The client stays the caller's.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	if s.pubsub == nil {
		return nil
	}
	err := s.pubsub.Close()
	s.pubsub = nil
	return err
}

// Prefix is the store's key prefix (a second Store on the same Redis and
// prefix is another instance of the same service).
func (s *Store) Prefix() string { return s.prefix }
