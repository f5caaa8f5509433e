package memory

import (
	"cmp"
	"context"
	"crypto/rand"
	"fmt"
	"slices"
	"time"

	"github.com/loginwithiota/verifier/session"
)

var _ session.Outbox = (*Store)(nil)

// outbox holds the events of this store, under the store's lock: an event
// is written in the same critical section as its session's record.
type outbox struct {
	events map[string]*queued
	seq    uint64 // write order, to hand out events first in, first out
}

type queued struct {
	ev  session.Event // private: clones go in and out
	due time.Time     // when it may be claimed: now, a retry's time, a lease's end
	seq uint64
}

// UpdateEmit is Update whose fn also returns events, stored under the same
// lock as the record or not at all.
func (s *Store) UpdateEmit(ctx context.Context, id string, fn func(session.Session) (session.Session, []session.Event, error)) (session.Session, error) {
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
	next, events, err := fn(old.Clone())
	if err != nil {
		return session.Session{}, err
	}
	if err := checkUpdate(old, next, now); err != nil {
		return session.Session{}, err
	}
	next.Version = old.Version + 1
	next = next.Clone()
	s.byID[id] = next
	if s.outbox.events == nil {
		s.outbox.events = make(map[string]*queued)
	}
	for _, ev := range events {
		ev = ev.Clone()
		ev.SessionID = id
		ev.ID = id + "." + rand.Text()[:16]
		s.outbox.seq++
		s.outbox.events[ev.ID] = &queued{ev: ev, due: now, seq: s.outbox.seq}
	}
	return next.Clone(), nil
}

// Claim leases up to n due events, oldest due first.
func (s *Store) Claim(ctx context.Context, n int, lease time.Duration) ([]session.Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	var due []*queued
	for _, q := range s.outbox.events {
		if !q.due.After(now) {
			due = append(due, q)
		}
	}
	slices.SortFunc(due, func(a, b *queued) int {
		return cmp.Or(a.due.Compare(b.due), cmp.Compare(a.seq, b.seq))
	})
	if len(due) > n {
		due = due[:max(n, 0)]
	}
	out := make([]session.Event, 0, len(due))
	for _, q := range due {
		q.due = now.Add(lease)
		out = append(out, q.ev.Clone())
	}
	return out, nil
}

// Defer makes event id due at at; an acknowledged id is left alone.
func (s *Store) Defer(ctx context.Context, id string, at time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if q, ok := s.outbox.events[id]; ok {
		q.due = at
	}
	return nil
}

// Ack forgets the events.
func (s *Store) Ack(ctx context.Context, ids ...string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		delete(s.outbox.events, id)
	}
	return nil
}

// DueExpiries scans the records for pending ones past ExpiresAt, soonest
// first: the store has no index, and the scan is what its sweep does too.
func (s *Store) DueExpiries(ctx context.Context, before time.Time, n int) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	var due []session.Session
	for _, rec := range s.byID {
		if rec.Status == session.StatusPending && !before.Before(rec.ExpiresAt) && now.Before(rec.DeleteAt) {
			due = append(due, rec)
		}
	}
	slices.SortFunc(due, func(a, b session.Session) int {
		return cmp.Or(a.ExpiresAt.Compare(b.ExpiresAt), cmp.Compare(a.ID, b.ID))
	})
	ids := make([]string, 0, min(len(due), max(n, 0)))
	for _, rec := range due[:min(len(due), max(n, 0))] {
		ids = append(ids, rec.ID)
	}
	return ids, nil
}
