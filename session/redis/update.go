package redis

import (
	"context"
	"errors"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/loginwithiota/verifier/session"
)

// maxAttempts bounds Update's compare-and-set loop. A writer only loses when
// another one stored in between, so even the wallet-endpoint race (every
// loser sees a completed session on its second read) needs two attempts;
// the bound only stops a pathological write storm on one session.
const maxAttempts = 64

// Update applies fn with compare-and-set on Version: fn may be called more
// than once, each time with a fresher record; an error from fn is returned
// as is and nothing is stored.
//
// The first attempt starts from the record this instance read by state
// moments ago, if any (the wallet endpoint reads the session by state just before it
// completes it), so the usual completion is one round trip: the script
// checks the version, writes, and publishes. When the version moved on,
// the script answers the current record and the next attempt starts there.
func (s *Store) Update(ctx context.Context, id string, fn func(session.Session) (session.Session, error)) (session.Session, error) {
	old, ok := s.recent.take(id)
	if !ok {
		var err error
		if old, err = s.get(ctx, id); err != nil {
			return session.Session{}, err
		}
	}
	key := s.sessionKey(id)
	for range maxAttempts {
		// fn gets a private copy: old may be retried, and it is ours.
		next, err := fn(old.Clone())
		if err != nil {
			return session.Session{}, err
		}
		if err := checkUpdate(old, next, s.now()); err != nil {
			return session.Session{}, err
		}
		next.Version = old.Version + 1
		next = next.Clone() // fn's result may share memory with values its caller keeps
		res, err := s.runUpdate(ctx, key, old.Version, encode(next), next.DeleteAt.UnixMilli(), id)
		if err != nil {
			return session.Session{}, s.unavailable(ctx, "update", err)
		}
		switch res := res.(type) {
		case int64:
			switch res {
			case scriptStored:
				s.recent.published(id)
				return next.Clone(), nil
			case scriptGone:
				return session.Session{}, fmt.Errorf("redis: update: %w", session.ErrNotFound)
			}
		case string:
			// Another writer got in: start again from what it stored.
			if old, err = decode([]byte(res)); err != nil {
				return session.Session{}, err
			}
			continue
		}
		return session.Session{}, fmt.Errorf("redis: update: unexpected reply %v", res)
	}
	return session.Session{}, fmt.Errorf("redis: update: %w: %d conflicting writes in a row", session.ErrUnavailable, maxAttempts)
}

// checkUpdate keeps the keys sound: ID and State name the key, and a record
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

// runUpdate runs updateScript (EVALSHA, loading it once if Redis does not
// know it yet: a restarted or failed-over server forgets scripts).
func (s *Store) runUpdate(ctx context.Context, key string, version int64, data []byte, deleteAt int64, id string) (any, error) {
	args := []any{version, data, deleteAt, s.channel(), id}
	var cmd *goredis.Cmd
	run := func(c goredis.Cmdable) { cmd = updateScript.EvalSha(ctx, c, []string{key}, args...) }
	err := s.write(ctx, key, run)
	if err == nil || goredis.HasErrorPrefix(err, "NOSCRIPT") {
		err = cmd.Err()
	}
	if goredis.HasErrorPrefix(err, "NOSCRIPT") {
		if err := updateScript.Load(ctx, s.client).Err(); err != nil {
			return nil, err
		}
		if err := s.write(ctx, key, run); err != nil {
			return nil, err
		}
		err = cmd.Err()
	}
	if err != nil {
		return nil, err
	}
	return cmd.Val(), nil
}
