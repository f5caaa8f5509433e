package memory_test

import (
	"context"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/session"
	"github.com/loginwithiota/verifier/session/memory"
	"github.com/loginwithiota/verifier/session/sessiontest"
)

func TestOutboxConformance(t *testing.T) {
	clock := sessiontest.NewFakeClock(time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC))
	sessiontest.RunOutbox(t, func(t *testing.T) session.Store {
		return memory.New(memory.Options{Now: clock.Now})
	}, sessiontest.WithClock(clock))
}

// TestOutboxConformanceLimited: the capped store the service runs keeps
// the outbox contract too.
func TestOutboxConformanceLimited(t *testing.T) {
	sessiontest.RunOutbox(t, func(t *testing.T) session.Store {
		return memory.New(memory.Options{}).Limit(100)
	})
}

// TestLimitedUpdateEmitReleases: a session completed through UpdateEmit
// stops counting against the cap, as one completed through Update does.
func TestLimitedUpdateEmitReleases(t *testing.T) {
	ctx := context.Background()
	l := memory.New(memory.Options{}).Limit(1)
	now := time.Now()
	s := session.Session{ID: "a", State: "a.s", Status: session.StatusPending, ExpiresAt: now.Add(time.Minute), DeleteAt: now.Add(time.Hour)}
	if err := l.Create(ctx, s); err != nil {
		t.Fatal(err)
	}
	if _, err := l.UpdateEmit(ctx, "a", func(x session.Session) (session.Session, []session.Event, error) {
		x.Status = session.StatusFailed
		return x, nil, nil
	}); err != nil {
		t.Fatal(err)
	}
	if n := l.Pending(); n != 0 {
		t.Fatalf("Pending = %d after UpdateEmit completed the session", n)
	}
}
