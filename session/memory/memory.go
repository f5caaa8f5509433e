package memory

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/loginwithiota/verifier/session"
	"github.com/loginwithiota/verifier/session/internal/fanout"
)

var _ session.Store = (*Store)(nil)

// Options configures a Store.
type Options struct {
	// Now is the clock; nil means time.Now. Tests inject a fake one.
	Now func() time.Time
}

// Store is an in-memory session.Store, safe for concurrent use.
type Store struct {
	now func() time.Time
	hub fanout.Hub // Notifier subscribers

	mu      sync.Mutex
	byID    map[string]session.Session
	stateID map[string]string // wallet-facing state -> website-facing id
	outbox  outbox            // events not yet acknowledged (outbox.go)
}

// New returns an empty Store.
func New(opts Options) *Store {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return &Store{
		now:     now,
		byID:    make(map[string]session.Session),
		stateID: make(map[string]string),
	}
}

// Create stores a copy of sess; session.ErrExists if its ID or State is taken
// by a record that has not reached its DeleteAt.
func (s *Store) Create(ctx context.Context, sess session.Session) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now := s.now()
	if err := validate(sess, now); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.lookup(sess.ID, now); ok {
		return fmt.Errorf("memory: create: id: %w", session.ErrExists)
	}
	if id, ok := s.stateID[sess.State]; ok {
		if _, live := s.lookup(id, now); live {
			return fmt.Errorf("memory: create: state: %w", session.ErrExists)
		}
		delete(s.stateID, sess.State) // stale index entry of an expired record
	}
	s.byID[sess.ID] = sess.Clone()
	s.stateID[sess.State] = sess.ID
	return nil
}

// Get returns a copy of the session with the website-facing id.
func (s *Store) Get(ctx context.Context, id string) (session.Session, error) {
	if err := ctx.Err(); err != nil {
		return session.Session{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.lookup(id, s.now())
	if !ok {
		return session.Session{}, fmt.Errorf("memory: get: %w", session.ErrNotFound)
	}
	return rec.Clone(), nil
}

// GetByState returns a copy of the session with the wallet-facing state.
func (s *Store) GetByState(ctx context.Context, state string) (session.Session, error) {
	if err := ctx.Err(); err != nil {
		return session.Session{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.stateID[state]
	if !ok {
		return session.Session{}, fmt.Errorf("memory: get by state: %w", session.ErrNotFound)
	}
	rec, ok := s.lookup(id, s.now())
	if !ok || rec.State != state {
		return session.Session{}, fmt.Errorf("memory: get by state: %w", session.ErrNotFound)
	}
	return rec.Clone(), nil
}

// Update applies fn under the store's lock, so fn is called exactly once and
// sees the latest record; keep fn short (a state transition, not a
// verification). fn gets a private copy; an error from fn is returned as is
// and nothing changes. The stored record gets Version+1 whatever fn set.
func (s *Store) Update(ctx context.Context, id string, fn func(session.Session) (session.Session, error)) (session.Session, error) {
	if err := ctx.Err(); err != nil {
		return session.Session{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	old, ok := s.lookup(id, now)
	if !ok {
		return session.Session{}, fmt.Errorf("memory: update: %w", session.ErrNotFound)
	}
	next, err := fn(old.Clone())
	if err != nil {
		return session.Session{}, err
	}
	if err := checkUpdate(old, next, now); err != nil {
		return session.Session{}, err
	}
	next.Version = old.Version + 1
	next = next.Clone() // fn's result may share memory with values fn's caller keeps
	s.byID[id] = next
	return next.Clone(), nil
}

// Ping always succeeds: the store lives in this process.
func (s *Store) Ping(ctx context.Context) error { return ctx.Err() }

// lookup returns the live record for id, dropping it if it is past DeleteAt.
// The caller holds s.mu.
func (s *Store) lookup(id string, now time.Time) (session.Session, bool) {
	rec, ok := s.byID[id]
	if !ok {
		return session.Session{}, false
	}
	if !now.Before(rec.DeleteAt) {
		s.remove(rec)
		return session.Session{}, false
	}
	return rec, true
}

// remove deletes rec and its state index entry. The caller holds s.mu.
func (s *Store) remove(rec session.Session) {
	delete(s.byID, rec.ID)
	if s.stateID[rec.State] == rec.ID {
		delete(s.stateID, rec.State)
	}
}

func validate(sess session.Session, now time.Time) error {
	switch {
	case sess.ID == "":
		return errors.New("memory: session has no ID")
	case sess.State == "":
		return errors.New("memory: session has no State")
	case !sess.DeleteAt.After(now):
		return errors.New("memory: session DeleteAt is not in the future")
	}
	return nil
}

// checkUpdate keeps the indexes sound: ID and State are identities, and a
// record must stay alive long enough to be read back.
func checkUpdate(old, next session.Session, now time.Time) error {
	if next.ID != old.ID || next.State != old.State {
		return errors.New("memory: update may not change ID or State")
	}
	if !next.DeleteAt.After(now) {
		return errors.New("memory: updated DeleteAt is not in the future")
	}
	return nil
}
