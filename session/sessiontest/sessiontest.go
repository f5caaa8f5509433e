package sessiontest

import (
	"sync"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/session"
)

// Option adjusts the suite for a backend.
type Option func(*config)

type config struct {
	clock *FakeClock // nil: real time, expiry is awaited by polling
	peer  func(t *testing.T, first session.Store) session.Store
}

// WithClock tells the suite the stores from newStore read their time from c.
// The suite then stamps sessions with c.Now and moves c forward to expire
// them instead of waiting. Backends whose expiry runs on another clock
// (Redis TTLs run on the server's) must not use it.
func WithClock(c *FakeClock) Option {
	return func(cfg *config) { cfg.clock = c }
}

// Run runs the conformance suite. newStore is called once per subtest and
// must return an empty store (or one that shares nothing with other
// subtests' ids); it may register cleanups on the t it receives.
func Run(t *testing.T, newStore func(t *testing.T) session.Store, opts ...Option) {
	t.Helper()
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	tests := []struct {
		name string
		run  func(t *testing.T, h harness)
	}{
		{"CreateGetRoundTrip", testCreateGet},
		{"NotFound", testNotFound},
		{"CreateDuplicate", testCreateDuplicate},
		{"CreateInvalid", testCreateInvalid},
		{"CopiesAreIndependent", testCopiesIndependent},
		{"Update", testUpdate},
		{"UpdateFnError", testUpdateFnError},
		{"UpdateNotFound", testUpdateNotFound},
		{"UpdateKeepsIdentity", testUpdateKeepsIdentity},
		{"CompleteOnceUnderContention", testCompleteOnce},
		{"Expiry", testExpiry},
		{"Effective", testEffective},
		{"Ping", testPing},
		{"NotifyReachesSubscribers", testNotifyReachesSubscribers},
		{"NotifyAcrossInstances", testNotifyAcrossInstances},
		{"NotifyCoalesces", testNotifyCoalesces},
		{"NotifyAfterUpdate", testNotifyAfterUpdate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.run(t, harness{store: newStore(t), clock: cfg.clock, peer: cfg.peer})
		})
	}
}

// harness is what one subtest works with.
type harness struct {
	store session.Store
	clock *FakeClock
	peer  func(t *testing.T, first session.Store) session.Store
}

func (h harness) now() time.Time {
	if h.clock != nil {
		return h.clock.Now()
	}
	return time.Now()
}

// FakeClock is a settable clock for backends that take a Now func.
type FakeClock struct {
	mu sync.Mutex
	t  time.Time
}

// NewFakeClock returns a clock standing at start.
func NewFakeClock(start time.Time) *FakeClock { return &FakeClock{t: start} }

// Now returns the clock's time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *FakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
