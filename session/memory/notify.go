package memory

import (
	"context"

	"github.com/loginwithiota/verifier/session"
)

var _ session.Notifier = (*Store)(nil)

// Publish wakes this process's subscribers of id: the memory store serves
// one instance, so in process is everywhere.
func (s *Store) Publish(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.hub.Notify(id)
	return nil
}

// Subscribe follows id's publishes until ctx is done.
func (s *Store) Subscribe(ctx context.Context, id string) (<-chan struct{}, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return s.hub.Subscribe(ctx, id), nil
}
