package sessiontest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/session"
)

// expiryWait bounds how long a real-clock backend may take to drop a record
// after its DeleteAt (Redis expires keys on access and in a background cycle).
const expiryWait = 5 * time.Second

// testExpiry: a record past DeleteAt is gone for every method, and its id
// and state can be used again.
func testExpiry(t *testing.T, h harness) {
	ctx := context.Background()
	now := h.now()
	short := 1500 * time.Millisecond
	created := newPending(now, short)
	if err := h.store.Create(ctx, created); err != nil {
		t.Fatalf("Create: %v", err)
	}
	if _, err := h.store.Get(ctx, created.ID); err != nil {
		t.Fatalf("Get before DeleteAt: %v", err)
	}

	if h.clock != nil {
		// With a clock in hand the edge is exact: alive until DeleteAt, gone at it.
		h.clock.Advance(created.DeleteAt.Sub(now) - time.Nanosecond)
		if _, err := h.store.Get(ctx, created.ID); err != nil {
			t.Fatalf("Get just before DeleteAt: %v", err)
		}
		h.clock.Advance(time.Nanosecond)
	}
	eventually(t, expiryWait, "session still readable past DeleteAt", func() bool {
		_, err := h.store.Get(ctx, created.ID)
		if err != nil && !errors.Is(err, session.ErrNotFound) {
			t.Fatalf("Get: %v", err)
		}
		return errors.Is(err, session.ErrNotFound)
	})
	if _, err := h.store.GetByState(ctx, created.State); !errors.Is(err, session.ErrNotFound) {
		t.Errorf("GetByState past DeleteAt: err = %v, want ErrNotFound", err)
	}
	if _, err := h.store.Update(ctx, created.ID, func(s session.Session) (session.Session, error) {
		return s, nil
	}); !errors.Is(err, session.ErrNotFound) {
		t.Errorf("Update past DeleteAt: err = %v, want ErrNotFound", err)
	}

	again := newPending(h.now(), ttl)
	again.ID, again.State = created.ID, created.State
	if err := h.store.Create(ctx, again); err != nil {
		t.Fatalf("Create reusing an expired id and state: %v", err)
	}
	got, err := h.store.GetByState(ctx, again.State)
	if err != nil {
		t.Fatalf("GetByState: %v", err)
	}
	requireSame(t, got, again)
}

// testEffective: a stored pending session reads as expired from ExpiresAt
// on, while a completed one keeps its status.
func testEffective(t *testing.T, h harness) {
	ctx := context.Background()
	now := h.now()
	pending := newPending(now, ttl)
	verified := newVerified(newPending(now, ttl), now)
	for _, s := range []session.Session{pending, verified} {
		if err := h.store.Create(ctx, s); err != nil {
			t.Fatalf("Create: %v", err)
		}
	}
	tests := []struct {
		id   string
		at   time.Time
		want session.Status
	}{
		{pending.ID, pending.ExpiresAt.Add(-time.Nanosecond), session.StatusPending},
		{pending.ID, pending.ExpiresAt, session.StatusExpired},
		{pending.ID, pending.ExpiresAt.Add(time.Minute), session.StatusExpired},
		{verified.ID, verified.ExpiresAt.Add(time.Minute), session.StatusVerified},
	}
	for _, tt := range tests {
		got, err := h.store.Get(ctx, tt.id)
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		if eff := got.Effective(tt.at); eff != tt.want {
			t.Errorf("Effective(ExpiresAt%+v) of %s = %q, want %q", tt.at.Sub(got.ExpiresAt), got.Status, eff, tt.want)
		}
	}
}
