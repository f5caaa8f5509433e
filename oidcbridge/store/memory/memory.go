package memory

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/loginwithiota/verifier/oidcbridge"
)

// Options configure the store.
type Options struct {
	// Now is the clock; nil means time.Now. Tests inject a fake one.
	Now func() time.Time
}

// sweepEvery is how often a write also drops expired records.
const sweepEvery = time.Minute

// entry is one stored value and when it goes.
type entry struct {
	data     []byte
	deleteAt time.Time
}

// Store is an in-memory oidcbridge.Store, safe for concurrent use.
type Store struct {
	now func() time.Time

	mu        sync.Mutex
	requests  map[string]entry
	codes     map[string]entry // code hash → auth request id
	claims    map[string]entry // verifier session id → auth request id
	tokens    map[string]entry
	keyRing   []byte
	lastSweep time.Time
}

var _ oidcbridge.Store = (*Store)(nil)

// New returns an empty store.
func New(opts Options) *Store {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return &Store{
		now:      now,
		requests: map[string]entry{},
		codes:    map[string]entry{},
		claims:   map[string]entry{},
		tokens:   map[string]entry{},
	}
}

// live returns m[key] unless it is missing or past its end.
func (s *Store) live(m map[string]entry, key string) (entry, bool) {
	e, ok := m[key]
	if !ok || !s.now().Before(e.deleteAt) {
		return entry{}, false
	}
	return e, true
}

// sweep drops expired records now and then; the caller holds mu.
func (s *Store) sweep() {
	now := s.now()
	if now.Sub(s.lastSweep) < sweepEvery {
		return
	}
	s.lastSweep = now
	for _, m := range []map[string]entry{s.requests, s.codes, s.claims, s.tokens} {
		for k, e := range m {
			if !now.Before(e.deleteAt) {
				delete(m, k)
			}
		}
	}
}

func encode(v any) ([]byte, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("memory: encode: %w", err)
	}
	return data, nil
}

func decode[T any](data []byte) (T, error) {
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		return v, fmt.Errorf("memory: decode: %w", err)
	}
	return v, nil
}

// Ping always succeeds: the store is this process.
func (s *Store) Ping(context.Context) error { return nil }
