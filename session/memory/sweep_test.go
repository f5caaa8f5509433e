package memory

import (
	"context"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/session"
	"github.com/loginwithiota/verifier/session/sessiontest"
)

func (s *Store) size() (records, states int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.byID), len(s.stateID)
}

func TestSweepFreesExpiredRecords(t *testing.T) {
	ctx := context.Background()
	clock := sessiontest.NewFakeClock(time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC))
	s := New(Options{Now: clock.Now})
	now := clock.Now()
	for i, ttl := range []time.Duration{time.Minute, time.Minute, time.Hour} {
		rec := session.Session{
			ID: string(rune('a' + i)), State: string(rune('A' + i)),
			Status: session.StatusPending, CreatedAt: now, ExpiresAt: now.Add(ttl), DeleteAt: now.Add(ttl),
		}
		if err := s.Create(ctx, rec); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.sweep(); n != 0 {
		t.Fatalf("sweep before any DeleteAt removed %d", n)
	}
	clock.Advance(time.Minute)
	if n := s.sweep(); n != 2 {
		t.Fatalf("sweep removed %d, want 2", n)
	}
	if r, st := s.size(); r != 1 || st != 1 {
		t.Fatalf("left %d records and %d states, want 1 and 1", r, st)
	}
}

// TestRunSweepsUntilCancelled drives the real loop: it frees an expired
// record on its own and returns once its context is done.
func TestRunSweepsUntilCancelled(t *testing.T) {
	clock := sessiontest.NewFakeClock(time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC))
	s := New(Options{Now: clock.Now})
	now := clock.Now()
	rec := session.Session{ID: "id", State: "state", Status: session.StatusPending, ExpiresAt: now.Add(time.Minute), DeleteAt: now.Add(time.Minute)}
	if err := s.Create(context.Background(), rec); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)

	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() {
		s.Run(ctx, time.Millisecond)
		close(stopped)
	}()
	deadline := time.After(5 * time.Second)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for r, _ := s.size(); r != 0; r, _ = s.size() {
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatal("Run did not sweep the expired record")
		}
	}
	cancel()
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after its context was cancelled")
	}
}
