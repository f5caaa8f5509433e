package memory

import (
	"context"
	"errors"

	"github.com/loginwithiota/verifier/session"
)

var _ session.Outbox = (*Limited)(nil)

// UpdateEmit is the Store's; as with Update, a session it leaves completed
// stops counting against the cap.
func (l *Limited) UpdateEmit(ctx context.Context, id string, fn func(session.Session) (session.Session, []session.Event, error)) (session.Session, error) {
	out, err := l.Store.UpdateEmit(ctx, id, fn)
	if err == nil && out.Status != session.StatusPending || errors.Is(err, session.ErrNotFound) {
		l.forget(id)
	}
	return out, err
}
