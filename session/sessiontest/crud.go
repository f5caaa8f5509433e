package sessiontest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/session"
)

const ttl = 10 * time.Minute

func testCreateGet(t *testing.T, h harness) {
	ctx := context.Background()
	now := h.now()
	records := map[string]session.Session{
		"pending":  newPending(now, ttl),
		"verified": newVerified(newPending(now, ttl), now.Add(time.Second)),
		"failed":   newFailed(newPending(now, ttl), now.Add(time.Second)),
	}
	for name, want := range records {
		t.Run(name, func(t *testing.T) {
			if err := h.store.Create(ctx, want); err != nil {
				t.Fatalf("Create: %v", err)
			}
			got, err := h.store.Get(ctx, want.ID)
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			requireSame(t, got, want)
			got, err = h.store.GetByState(ctx, want.State)
			if err != nil {
				t.Fatalf("GetByState: %v", err)
			}
			requireSame(t, got, want)
		})
	}
}

func testNotFound(t *testing.T, h harness) {
	ctx := context.Background()
	known := newPending(h.now(), ttl)
	if err := h.store.Create(ctx, known); err != nil {
		t.Fatalf("Create: %v", err)
	}
	lookups := []struct {
		name string
		call func() error
	}{
		{"Get unknown id", func() error { _, err := h.store.Get(ctx, "unknown-"+known.ID); return err }},
		{"GetByState unknown state", func() error { _, err := h.store.GetByState(ctx, "unknown-"+known.State); return err }},
		// The two namespaces are apart: a state is not an id and vice versa.
		{"Get by a state", func() error { _, err := h.store.Get(ctx, known.State); return err }},
		{"GetByState by an id", func() error { _, err := h.store.GetByState(ctx, known.ID); return err }},
	}
	for _, l := range lookups {
		t.Run(l.name, func(t *testing.T) {
			if err := l.call(); !errors.Is(err, session.ErrNotFound) {
				t.Fatalf("err = %v, want ErrNotFound", err)
			}
		})
	}
}

func testCreateDuplicate(t *testing.T, h harness) {
	ctx := context.Background()
	first := newPending(h.now(), ttl)
	if err := h.store.Create(ctx, first); err != nil {
		t.Fatalf("Create: %v", err)
	}
	sameID := newPending(h.now(), ttl)
	sameID.ID = first.ID
	sameState := newPending(h.now(), ttl)
	sameState.State = first.State
	for name, dup := range map[string]session.Session{"same id": sameID, "same state": sameState} {
		t.Run(name, func(t *testing.T) {
			if err := h.store.Create(ctx, dup); !errors.Is(err, session.ErrExists) {
				t.Fatalf("Create duplicate: err = %v, want ErrExists", err)
			}
			// The refused record left no trace under its other key.
			if dup.ID != first.ID {
				if _, err := h.store.Get(ctx, dup.ID); !errors.Is(err, session.ErrNotFound) {
					t.Errorf("Get refused id: err = %v, want ErrNotFound", err)
				}
			}
			if dup.State != first.State {
				if _, err := h.store.GetByState(ctx, dup.State); !errors.Is(err, session.ErrNotFound) {
					t.Errorf("GetByState refused state: err = %v, want ErrNotFound", err)
				}
			}
		})
	}
	got, err := h.store.Get(ctx, first.ID)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	requireSame(t, got, first)
}

// testCreateInvalid: records that could never be read back are refused with
// an error that is none of the sentinels (it is the caller's bug).
func testCreateInvalid(t *testing.T, h harness) {
	ctx := context.Background()
	now := h.now()
	tests := []struct {
		name   string
		modify func(*session.Session)
	}{
		{"empty id", func(s *session.Session) { s.ID = "" }},
		{"empty state", func(s *session.Session) { s.State = "" }},
		{"zero DeleteAt", func(s *session.Session) { s.DeleteAt = time.Time{} }},
		{"DeleteAt passed", func(s *session.Session) { s.DeleteAt = now.Add(-time.Second) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newPending(now, ttl)
			tt.modify(&s)
			err := h.store.Create(ctx, s)
			if err == nil {
				t.Fatal("Create accepted an invalid session")
			}
			for _, sentinel := range []error{session.ErrExists, session.ErrNotFound, session.ErrUnavailable} {
				if errors.Is(err, sentinel) {
					t.Errorf("err = %v, must not match %v", err, sentinel)
				}
			}
		})
	}
}

// testCopiesIndependent: no value a caller holds, passes in or gets back
// shares memory with the stored record.
func testCopiesIndependent(t *testing.T, h harness) {
	ctx := context.Background()
	now := h.now()
	orig := newVerified(newPending(now, ttl), now)
	want := newVerified(newPending(now, ttl), now)
	want.ID, want.State, want.Nonce, want.StatusTokenHash = orig.ID, orig.State, orig.Nonce, append([]byte(nil), orig.StatusTokenHash...)
	want.ResponseCodeHash = append([]byte(nil), orig.ResponseCodeHash...)
	want.ResponseKey = append([]byte(nil), orig.ResponseKey...)

	if err := h.store.Create(ctx, orig); err != nil {
		t.Fatalf("Create: %v", err)
	}
	scribble(&orig)
	got, err := h.store.Get(ctx, want.ID)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	requireSame(t, got, want) // the caller's value after Create

	scribble(&got)
	got, err = h.store.GetByState(ctx, want.State)
	if err != nil {
		t.Fatalf("GetByState: %v", err)
	}
	requireSame(t, got, want) // a value returned by Get

	scribble(&got)
	got, err = h.store.Get(ctx, want.ID)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	requireSame(t, got, want) // a value returned by GetByState

	// fn scribbles on the record it is given, then gives up: nothing stored.
	errGiveUp := errors.New("give up")
	if _, err := h.store.Update(ctx, want.ID, func(s session.Session) (session.Session, error) {
		scribble(&s)
		return s, errGiveUp
	}); err != errGiveUp {
		t.Fatalf("Update: err = %v, want %v", err, errGiveUp)
	}
	// fn keeps the record it returns and scribbles on it after the update.
	var kept session.Session
	updated, err := h.store.Update(ctx, want.ID, func(s session.Session) (session.Session, error) {
		s.Nonce = "changed"
		kept = s
		return s, nil
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	scribble(&kept)
	scribble(&updated)
	want.Nonce, want.Version = "changed", 1
	got, err = h.store.Get(ctx, want.ID)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	requireSame(t, got, want) // values around Update
}

// scribble changes, in place, everything of s that is reachable by reference.
func scribble(s *session.Session) {
	for i := range s.StatusTokenHash {
		s.StatusTokenHash[i] ^= 0xff
	}
	for i := range s.ResponseCodeHash {
		s.ResponseCodeHash[i] ^= 0xff
	}
	for i := range s.ResponseKey {
		s.ResponseKey[i] ^= 0xff
	}
	if s.Error != nil {
		s.Error.Code = "scribbled"
	}
	if s.Result == nil {
		return
	}
	s.Result.Holder = "did:example:scribbled"
	for i := range s.Result.Credentials {
		c := &s.Result.Credentials[i]
		c.Issuer = "did:example:scribbled"
		for j := range c.Type {
			c.Type[j] = "Scribbled"
		}
		c.CredentialSubject["firstName"] = "Mallory"
		c.CredentialSubject["added"] = true
		if n, ok := c.CredentialSubject["nationality"].([]any); ok && len(n) > 0 {
			n[0] = "XX"
		}
		if a, ok := c.CredentialSubject["address"].(map[string]any); ok {
			a["city"] = "Nowhere"
			if lines, ok := a["lines"].([]any); ok && len(lines) > 1 {
				if m, ok := lines[1].(map[string]any); ok {
					m["floor"] = float64(99)
				}
			}
		}
	}
}

func testPing(t *testing.T, h harness) {
	if err := h.store.Ping(context.Background()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}
