package memory

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"time"

	"github.com/loginwithiota/verifier/issuer"
)

// Store is the in-memory issuer.Store.
type Store struct {
	mu      sync.Mutex
	records map[rkey]record
	now     func() time.Time
	max     int
}

// ErrFull is Create's answer when the store holds Options.MaxRecords live
// records: a flood of nonce or offer requests cannot exhaust memory.
var ErrFull = errors.New("issuer memory store: full")

var _ issuer.Store = (*Store)(nil)

type rkey struct {
	kind issuer.Kind
	key  string
}

type record struct {
	value   []byte
	expires time.Time
}

// Options tune the store.
type Options struct {
	// Now is the clock that expires records (default time.Now).
	Now func() time.Time
	// MaxRecords bounds the records held (default 100,000).
	MaxRecords int
}

// New returns an empty store.
func New(o Options) *Store {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MaxRecords <= 0 {
		o.MaxRecords = 100_000
	}
	return &Store{records: map[rkey]record{}, now: o.Now, max: o.MaxRecords}
}

// live returns the record under k if it has not expired; the caller holds mu.
func (s *Store) live(k rkey) (record, bool) {
	r, ok := s.records[k]
	if !ok {
		return record{}, false
	}
	if !s.now().Before(r.expires) {
		delete(s.records, k)
		return record{}, false
	}
	return r, true
}

// Create implements issuer.Store.
func (s *Store) Create(ctx context.Context, kind issuer.Kind, key string, value []byte, expires time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k := rkey{kind, key}
	if _, ok := s.live(k); ok {
		return issuer.ErrExists
	}
	if len(s.records) >= s.max {
		s.sweepLocked()
		if len(s.records) >= s.max {
			return ErrFull
		}
	}
	s.records[k] = record{value: bytes.Clone(value), expires: expires}
	return nil
}

// Get implements issuer.Store.
func (s *Store) Get(ctx context.Context, kind issuer.Kind, key string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.live(rkey{kind, key})
	if !ok {
		return nil, issuer.ErrNotFound
	}
	return bytes.Clone(r.value), nil
}

// Update implements issuer.Store. fn runs under the store's lock, so it
// must not call the store.
func (s *Store) Update(ctx context.Context, kind issuer.Kind, key string, fn func([]byte) ([]byte, error)) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k := rkey{kind, key}
	r, ok := s.live(k)
	if !ok {
		return issuer.ErrNotFound
	}
	next, err := fn(bytes.Clone(r.value))
	if err != nil {
		return err
	}
	if next == nil {
		delete(s.records, k)
		return nil
	}
	s.records[k] = record{value: bytes.Clone(next), expires: r.expires}
	return nil
}

// Take implements issuer.Store.
func (s *Store) Take(ctx context.Context, kind issuer.Kind, key string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k := rkey{kind, key}
	r, ok := s.live(k)
	if !ok {
		return nil, issuer.ErrNotFound
	}
	delete(s.records, k)
	return r.value, nil
}

// Delete implements issuer.Store.
func (s *Store) Delete(ctx context.Context, kind issuer.Kind, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.records, rkey{kind, key})
	return nil
}

// Ping implements issuer.Store: memory always answers.
func (s *Store) Ping(ctx context.Context) error { return ctx.Err() }

// Len is the number of records held, expired ones not yet swept included.
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.records)
}

// Sweep drops every expired record.
func (s *Store) Sweep() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked()
}

func (s *Store) sweepLocked() {
	now := s.now()
	for k, r := range s.records {
		if !now.Before(r.expires) {
			delete(s.records, k)
		}
	}
}

// Run sweeps every interval until ctx ends: records nobody reads again
// (an offer never scanned, a nonce never used) do not pile up.
func (s *Store) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.Sweep()
		}
	}
}
