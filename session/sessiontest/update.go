package sessiontest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/session"
)

func testUpdate(t *testing.T, h harness) {
	ctx := context.Background()
	now := h.now()
	created := newPending(now, ttl)
	if err := h.store.Create(ctx, created); err != nil {
		t.Fatalf("Create: %v", err)
	}
	want := newVerified(created, now.Add(time.Second))
	want.DeleteAt = now.Add(ttl / 2) // shortened once the result is in
	var seen session.Session
	got, err := h.store.Update(ctx, created.ID, func(s session.Session) (session.Session, error) {
		seen = s
		next := newVerified(s, now.Add(time.Second))
		next.DeleteAt = now.Add(ttl / 2)
		next.Version = 1000 // the store owns Version
		return next, nil
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	requireSame(t, seen, created)
	want.Version = 1
	requireSame(t, got, want)
	for name, get := range map[string]func() (session.Session, error){
		"Get":        func() (session.Session, error) { return h.store.Get(ctx, created.ID) },
		"GetByState": func() (session.Session, error) { return h.store.GetByState(ctx, created.State) },
	} {
		stored, err := get()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		requireSame(t, stored, want)
	}

	// Every update bumps Version by one.
	for v := int64(2); v <= 4; v++ {
		got, err := h.store.Update(ctx, created.ID, func(s session.Session) (session.Session, error) {
			if s.Version != v-1 {
				return s, fmt.Errorf("fn saw version %d, want %d", s.Version, v-1)
			}
			return s, nil
		})
		if err != nil {
			t.Fatalf("Update %d: %v", v, err)
		}
		if got.Version != v {
			t.Fatalf("Version = %d, want %d", got.Version, v)
		}
	}
}

func testUpdateFnError(t *testing.T, h harness) {
	ctx := context.Background()
	created := newPending(h.now(), ttl)
	if err := h.store.Create(ctx, created); err != nil {
		t.Fatalf("Create: %v", err)
	}
	errFn := errors.New("not pending")
	_, err := h.store.Update(ctx, created.ID, func(s session.Session) (session.Session, error) {
		s.Status = session.StatusFailed
		return s, errFn
	})
	if err != errFn {
		t.Fatalf("Update: err = %v, want fn's error returned as is", err)
	}
	got, err := h.store.Get(ctx, created.ID)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	requireSame(t, got, created)
}

func testUpdateNotFound(t *testing.T, h harness) {
	called := false
	_, err := h.store.Update(context.Background(), newPending(h.now(), ttl).ID, func(s session.Session) (session.Session, error) {
		called = true
		return s, nil
	})
	if !errors.Is(err, session.ErrNotFound) {
		t.Fatalf("Update unknown id: err = %v, want ErrNotFound", err)
	}
	if called {
		t.Error("fn was called for a missing session")
	}
}

// testUpdateKeepsIdentity: ID and State are keys; an update may not move
// them, and a refused update stores nothing.
func testUpdateKeepsIdentity(t *testing.T, h harness) {
	ctx := context.Background()
	now := h.now()
	created := newPending(now, ttl)
	if err := h.store.Create(ctx, created); err != nil {
		t.Fatalf("Create: %v", err)
	}
	tests := []struct {
		name   string
		modify func(*session.Session)
	}{
		{"new id", func(s *session.Session) { s.ID = "other-" + s.ID }},
		{"new state", func(s *session.Session) { s.State = "other-" + s.State }},
		{"DeleteAt passed", func(s *session.Session) { s.DeleteAt = now.Add(-time.Second) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := h.store.Update(ctx, created.ID, func(s session.Session) (session.Session, error) {
				s.Status = session.StatusVerified
				tt.modify(&s)
				return s, nil
			})
			if err == nil {
				t.Fatal("Update accepted the change")
			}
			got, err := h.store.Get(ctx, created.ID)
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			requireSame(t, got, created)
		})
	}
}

// testCompleteOnce is the property the wallet endpoint relies on: of many
// responses racing for one pending session, exactly one completes it.
func testCompleteOnce(t *testing.T, h harness) {
	const racers = 50
	ctx := context.Background()
	created := newPending(h.now(), ttl)
	if err := h.store.Create(ctx, created); err != nil {
		t.Fatalf("Create: %v", err)
	}
	errNotPending := errors.New("not pending")
	var (
		start sync.WaitGroup
		done  sync.WaitGroup
		mu    sync.Mutex
		wins  []string
		other []error
	)
	start.Add(1)
	for i := range racers {
		done.Add(1)
		go func() {
			defer done.Done()
			marker := fmt.Sprintf("did:example:racer-%d", i)
			start.Wait()
			got, err := h.store.Update(ctx, created.ID, func(s session.Session) (session.Session, error) {
				if s.Status != session.StatusPending {
					return s, errNotPending
				}
				s.Status = session.StatusVerified
				s.Result = &session.Result{Holder: marker}
				return s, nil
			})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil && got.Result != nil && got.Result.Holder == marker:
				wins = append(wins, marker)
			case err == nil:
				other = append(other, fmt.Errorf("racer %d: Update returned %+v, not its own record", i, got))
			case err != errNotPending:
				other = append(other, fmt.Errorf("racer %d: %w", i, err))
			}
		}()
	}
	start.Done()
	done.Wait()
	for _, err := range other {
		t.Error(err)
	}
	if len(wins) != 1 {
		t.Fatalf("%d racers completed the session (%v), want exactly 1", len(wins), wins)
	}
	got, err := h.store.Get(ctx, created.ID)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if got.Status != session.StatusVerified || got.Result == nil || got.Result.Holder != wins[0] {
		t.Fatalf("stored %q with result %+v, want verified by %s", got.Status, got.Result, wins[0])
	}
	if got.Version != 1 {
		t.Errorf("Version = %d, want 1 (one successful update)", got.Version)
	}
}
