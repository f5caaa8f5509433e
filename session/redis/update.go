package redis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/loginwithiota/verifier/session"
)

// maxAttempts bounds Update's compare-and-set loop. A writer only loses when
// another one stored in between, so even the wallet-endpoint race (every
// loser sees a completed session on its second read) needs two attempts;
// the bound only stops a pathological write storm on one session.
const maxAttempts = 64

// Update applies fn with compare-and-set on Version: fn may be called more
// than once, each time with the freshest record; an error from fn is
// returned as is and nothing is stored.
func (s *Store) Update(ctx context.Context, id string, fn func(session.Session) (session.Session, error)) (session.Session, error) {
	for range maxAttempts {
		old, err := s.get(ctx, id)
		if err != nil {
			return session.Session{}, err
		}
		next, err := fn(old)
		if err != nil {
			return session.Session{}, err
		}
		if err := checkUpdate(old, next, s.now()); err != nil {
			return session.Session{}, err
		}
		next.Version = old.Version + 1
		data, err := json.Marshal(next)
		if err != nil {
			return session.Session{}, fmt.Errorf("redis: encode session: %w", err)
		}
		res, err := updateScript.Run(ctx, s.client,
			[]string{s.sessionKey(id), s.stateKey(next.State)},
			old.Version, data, id, next.DeleteAt.UnixMilli()).Int()
		if err != nil {
			return session.Session{}, unavailable("update", err)
		}
		switch res {
		case scriptStored:
			// Decode what was stored so the caller holds nothing of fn's.
			var stored session.Session
			if err := json.Unmarshal(data, &stored); err != nil {
				return session.Session{}, fmt.Errorf("redis: decode session: %w", err)
			}
			return stored, nil
		case scriptGone:
			return session.Session{}, fmt.Errorf("redis: update: %w", session.ErrNotFound)
		}
		// scriptConflict: another writer got in; read again.
	}
	return session.Session{}, fmt.Errorf("redis: update: %w: %d conflicting writes in a row", session.ErrUnavailable, maxAttempts)
}

// checkUpdate keeps the keys sound: ID and State name the keys, and a record
// must stay alive long enough to be read back.
func checkUpdate(old, next session.Session, now time.Time) error {
	if next.ID != old.ID || next.State != old.State {
		return errors.New("redis: update may not change ID or State")
	}
	if !next.DeleteAt.After(now) {
		return errors.New("redis: updated DeleteAt is not in the future")
	}
	return nil
}
