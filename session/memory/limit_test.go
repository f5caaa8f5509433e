package memory

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/session"
)

// TestLimitPending: at the cap, Create refuses with ErrFull (a 503, not
// an eviction); a completed or expired login frees its place.
func TestLimitPending(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := New(Options{Now: func() time.Time { return now }}).Limit(2)
	mk := func(i int, expires time.Duration) session.Session {
		return session.Session{ID: fmt.Sprint("id", i), State: fmt.Sprint("st", i), Status: session.StatusPending,
			ExpiresAt: now.Add(expires), DeleteAt: now.Add(expires + time.Minute)}
	}
	if err := l.Create(ctx, mk(1, time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := l.Create(ctx, mk(2, 2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	err := l.Create(ctx, mk(3, time.Minute))
	if !errors.Is(err, ErrFull) || !errors.Is(err, session.ErrUnavailable) {
		t.Fatalf("at the cap: %v", err)
	}
	for _, id := range []string{"id1", "id2"} {
		if _, err := l.Get(ctx, id); err != nil {
			t.Fatalf("a pending login was evicted: %v", err)
		}
	}
	// A completed login frees its place.
	if _, err := l.Update(ctx, "id1", func(s session.Session) (session.Session, error) {
		s.Status = session.StatusVerified
		return s, nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := l.Create(ctx, mk(3, time.Minute)); err != nil {
		t.Fatalf("after a completion: %v", err)
	}
	if err := l.Create(ctx, mk(4, time.Minute)); !errors.Is(err, ErrFull) {
		t.Fatalf("full again: %v", err)
	}
	// An expired one too.
	now = now.Add(time.Minute)
	if got := l.Pending(); got != 1 {
		t.Fatalf("pending after expiry: %d", got)
	}
	if err := l.Create(ctx, mk(5, time.Minute)); err != nil {
		t.Fatalf("after an expiry: %v", err)
	}
	// Records that are not pending never count.
	probe := mk(6, time.Minute)
	probe.Status = session.StatusVerified
	if err := l.Create(ctx, probe); err != nil {
		t.Fatalf("a completed record: %v", err)
	}
}

func BenchmarkLimitedCreateFull(b *testing.B) {
	ctx := context.Background()
	now := time.Now()
	l := New(Options{Now: func() time.Time { return now }}).Limit(10000)
	for i := range 10000 {
		_ = l.Create(ctx, session.Session{ID: fmt.Sprint("id", i), State: fmt.Sprint("st", i), Status: session.StatusPending,
			ExpiresAt: now.Add(time.Minute), DeleteAt: now.Add(2 * time.Minute)})
	}
	s := session.Session{ID: "x", State: "y", Status: session.StatusPending, ExpiresAt: now.Add(time.Minute), DeleteAt: now.Add(2 * time.Minute)}
	b.ResetTimer()
	for b.Loop() {
		if err := l.Create(ctx, s); !errors.Is(err, ErrFull) {
			b.Fatal(err)
		}
	}
}
