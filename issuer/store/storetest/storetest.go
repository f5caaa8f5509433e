package storetest

import (
	"context"
	"crypto/rand"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/issuer"
)

// Option adjusts the suite for a backend.
type Option func(*config)

type config struct {
	clock *Clock
	peer  func(t *testing.T, first issuer.Store) issuer.Store
}

// WithClock tells the suite the stores read their time from c: expiry is
// then tested by moving c, not by waiting.
func WithClock(c *Clock) Option { return func(cfg *config) { cfg.clock = c } }

// WithPeer gives the suite a second instance on the same backend as first
// (another process's view); without it the cross-instance test uses first.
func WithPeer(peer func(t *testing.T, first issuer.Store) issuer.Store) Option {
	return func(cfg *config) { cfg.peer = peer }
}

// Run runs the suite; newStore returns a fresh, empty store per subtest.
func Run(t *testing.T, newStore func(t *testing.T) issuer.Store, opts ...Option) {
	t.Helper()
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	tests := []struct {
		name string
		run  func(t *testing.T, h harness)
	}{
		{"CreateGet", testCreateGet},
		{"NotFound", testNotFound},
		{"CreateExists", testCreateExists},
		{"CopiesAreIndependent", testCopies},
		{"KindsApart", testKindsApart},
		{"Update", testUpdate},
		{"UpdateAbort", testUpdateAbort},
		{"UpdateDelete", testUpdateDelete},
		{"UpdateKeepsExpiry", testUpdateKeepsExpiry},
		{"UpdateUnderContention", testUpdateContention},
		{"TakeOnce", testTakeOnce},
		{"TakeUnderContention", testTakeContention},
		{"Delete", testDelete},
		{"Expiry", testExpiry},
		{"ExpiredIsNeverWrittenBack", testExpiredNotWritten},
		{"Ping", testPing},
		{"SharedAcrossInstances", testShared},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.run(t, harness{store: newStore(t), cfg: cfg})
		})
	}
}

type harness struct {
	store issuer.Store
	cfg   config
}

func (h harness) now() time.Time {
	if h.cfg.clock != nil {
		return h.cfg.clock.Now()
	}
	return time.Now()
}

// later is an expiry far enough away for a subtest.
func (h harness) later() time.Time { return h.now().Add(time.Hour) }

// expireSoon returns an expiry a moment away and a function that returns
// once it has passed: the clock moved, or Get polled until the record is
// gone (with a deadline, never a sleep).
func (h harness) expireSoon(t *testing.T, kind issuer.Kind, key string) (time.Time, func()) {
	if c := h.cfg.clock; c != nil {
		return c.Now().Add(time.Minute), func() { c.Advance(time.Minute) }
	}
	return time.Now().Add(300 * time.Millisecond), func() {
		t.Helper()
		eventually(t, 10*time.Second, "the record did not expire", func() bool {
			_, err := h.store.Get(context.Background(), kind, key)
			return errors.Is(err, issuer.ErrNotFound)
		})
	}
}

// eventually polls cond on a ticker until it holds or timeout passes.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-deadline.C:
			t.Fatal(what)
		case <-tick.C:
		}
	}
}

// Clock is a settable clock for backends that take a Now func.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock starts a clock at start.
func NewClock(start time.Time) *Clock { return &Clock{t: start} }

// Now reads the clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newKey is a fresh key, as the issuer's are (hex of a hash).
func newKey() string { return rand.Text() }

var ctx = context.Background()
