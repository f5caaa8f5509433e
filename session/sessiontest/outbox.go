package sessiontest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/session"
)

// outboxWait bounds how long a real-clock backend may take to hand out an
// event whose lease lapsed, or one written by another instance.
const outboxWait = 10 * time.Second

// longLease is a lease no test outlives.
const longLease = time.Hour

// RunOutbox runs the outbox part of the contract (session.Outbox) on the
// stores newStore returns, which must be session.Outbox too. With
// WithClock the suite moves the clock to lapse leases; without it, it
// waits for them with short leases.
func RunOutbox(t *testing.T, newStore func(t *testing.T) session.Store, opts ...Option) {
	t.Helper()
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	tests := []struct {
		name string
		run  func(t *testing.T, h outboxHarness)
	}{
		{"EmitWithCompletion", testEmitWithCompletion},
		{"EmitNothingOnFnError", testEmitNothingOnFnError},
		{"EmitNotFound", testEmitNotFound},
		{"EmitOnceUnderContention", testEmitOnce},
		{"ClaimLeases", testClaimLeases},
		{"LeaseLapses", testLeaseLapses},
		{"ClaimBoundedInOrder", testClaimBounded},
		{"DeferAndAck", testDeferAndAck},
		{"DueExpiries", testDueExpiries},
		{"ClaimAcrossInstances", testClaimAcrossInstances},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t)
			o, ok := s.(session.Outbox)
			if !ok {
				t.Fatalf("%T is not a session.Outbox", s)
			}
			tt.run(t, outboxHarness{harness: harness{store: s, clock: cfg.clock, peer: cfg.peer}, box: o})
		})
	}
}

type outboxHarness struct {
	harness
	box session.Outbox
}

// created stores a pending session alive for ttl.
func (h outboxHarness) created(t *testing.T) session.Session {
	t.Helper()
	s := newPending(h.now(), ttl)
	if err := h.store.Create(context.Background(), s); err != nil {
		t.Fatalf("Create: %v", err)
	}
	return s
}

// complete verifies id and emits its completion event.
func (h outboxHarness) complete(t *testing.T, id string) (session.Session, session.Event) {
	t.Helper()
	var want session.Event
	got, err := h.box.UpdateEmit(context.Background(), id, func(s session.Session) (session.Session, []session.Event, error) {
		s = newVerified(s, h.now())
		s.WebhookURL = "https://hooks.example/login"
		ev, ok := session.CompletionEvent(s)
		if !ok {
			return s, nil, errors.New("no completion event")
		}
		ev.ID, ev.SessionID = "chosen-by-caller", "someone-else" // the store's to set
		want = ev
		return s, []session.Event{ev}, nil
	})
	if err != nil {
		t.Fatalf("UpdateEmit: %v", err)
	}
	return got, want
}

func (h outboxHarness) claim(t *testing.T, box session.Outbox, n int, lease time.Duration) []session.Event {
	t.Helper()
	evs, err := box.Claim(context.Background(), n, lease)
	if err != nil {
		t.Fatalf("Claim: %v", err)
	}
	return evs
}

// claimEventually claims until the events of ids are all handed out
// (other events are not expected in a fresh store).
func (h outboxHarness) claimEventually(t *testing.T, box session.Outbox, lease time.Duration, what string, ids ...string) []session.Event {
	t.Helper()
	var got []session.Event
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	eventually(t, outboxWait, what, func() bool {
		for _, ev := range h.claim(t, box, 100, lease) {
			if !want[ev.ID] {
				t.Fatalf("claimed %s, want one of %v", ev.ID, ids)
			}
			delete(want, ev.ID)
			got = append(got, ev)
		}
		return len(want) == 0
	})
	return got
}

func requireEvent(t *testing.T, got, want session.Event) {
	t.Helper()
	if !got.At.Equal(want.At) {
		t.Errorf("At = %v, want %v", got.At, want.At)
	}
	got.At, want.At = time.Time{}, time.Time{}
	want.ID = got.ID
	if !reflect.DeepEqual(got, want) {
		t.Errorf("event differs\n got: %+v %+v %+v\nwant: %+v %+v %+v", got, deref(got.Result), deref(got.Error), want, deref(want.Result), deref(want.Error))
	}
}

// testEmitWithCompletion: the event is stored with the record, with every
// field, its id and session id the store's.
func testEmitWithCompletion(t *testing.T, h outboxHarness) {
	ctx := context.Background()
	created := h.created(t)
	done, want := h.complete(t, created.ID)
	if done.Status != session.StatusVerified || done.Version != 1 {
		t.Fatalf("UpdateEmit returned %s v%d", done.Status, done.Version)
	}
	if stored, err := h.store.Get(ctx, created.ID); err != nil || stored.Status != session.StatusVerified || stored.WebhookURL != done.WebhookURL {
		t.Fatalf("Get after UpdateEmit: %v %s %q", err, stored.Status, stored.WebhookURL)
	}
	want.SessionID = created.ID
	evs := h.claim(t, h.box, 10, longLease)
	if len(evs) != 1 {
		t.Fatalf("claimed %d events, want 1", len(evs))
	}
	if evs[0].ID == "" || evs[0].ID == "chosen-by-caller" {
		t.Errorf("event id %q, want one the store assigned", evs[0].ID)
	}
	requireEvent(t, evs[0], want)

	// A second session's event has another id.
	other := h.created(t)
	h.complete(t, other.ID)
	evs2 := h.claim(t, h.box, 10, longLease)
	if len(evs2) != 1 || evs2[0].ID == evs[0].ID || evs2[0].SessionID != other.ID {
		t.Fatalf("second claim: %+v", evs2)
	}
	// Claimed events are private copies.
	evs2[0].Result.Credentials[0].CredentialSubject["firstName"] = "Mallory"
	if err := h.box.Defer(ctx, evs2[0].ID, h.now()); err != nil {
		t.Fatal(err)
	}
	again := h.claimEventually(t, h.box, longLease, "the deferred event is due again", evs2[0].ID)
	if got := again[0].Result.Credentials[0].CredentialSubject["firstName"]; got != "Alice" {
		t.Errorf("a claimed event's change reached the store: %v", got)
	}
}

func testEmitNothingOnFnError(t *testing.T, h outboxHarness) {
	ctx := context.Background()
	created := h.created(t)
	errFn := errors.New("not pending")
	_, err := h.box.UpdateEmit(ctx, created.ID, func(s session.Session) (session.Session, []session.Event, error) {
		s.Status = session.StatusFailed
		return s, []session.Event{{Type: session.EventFailed}}, errFn
	})
	if err != errFn {
		t.Fatalf("UpdateEmit: err = %v, want fn's error as is", err)
	}
	if got, err := h.store.Get(ctx, created.ID); err != nil {
		t.Fatal(err)
	} else {
		requireSame(t, got, created)
	}
	if evs := h.claim(t, h.box, 10, longLease); len(evs) != 0 {
		t.Fatalf("an aborted update left events: %+v", evs)
	}
	// An update without events stores no event.
	if _, err := h.box.UpdateEmit(ctx, created.ID, func(s session.Session) (session.Session, []session.Event, error) {
		return s, nil, nil
	}); err != nil {
		t.Fatal(err)
	}
	if evs := h.claim(t, h.box, 10, longLease); len(evs) != 0 {
		t.Fatalf("an update without events left some: %+v", evs)
	}
}

func testEmitNotFound(t *testing.T, h outboxHarness) {
	called := false
	_, err := h.box.UpdateEmit(context.Background(), newPending(h.now(), ttl).ID, func(s session.Session) (session.Session, []session.Event, error) {
		called = true
		return s, []session.Event{{Type: session.EventExpired}}, nil
	})
	if !errors.Is(err, session.ErrNotFound) || called {
		t.Fatalf("UpdateEmit of no session: err = %v, fn called %v; want ErrNotFound, not called", err, called)
	}
}

// testEmitOnce: of many racing completions, one completes the session and
// exactly its event is stored.
func testEmitOnce(t *testing.T, h outboxHarness) {
	const racers = 30
	ctx := context.Background()
	created := h.created(t)
	errNotPending := errors.New("not pending")
	var wg sync.WaitGroup
	var mu sync.Mutex
	var wins []string
	start := make(chan struct{})
	for i := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			marker := fmt.Sprintf("did:example:racer-%d", i)
			_, err := h.box.UpdateEmit(ctx, created.ID, func(s session.Session) (session.Session, []session.Event, error) {
				if s.Status != session.StatusPending {
					return s, nil, errNotPending
				}
				s.Status, s.CompletedAt = session.StatusVerified, h.now()
				s.Result = &session.Result{Holder: marker}
				ev, _ := session.CompletionEvent(s)
				return s, []session.Event{ev}, nil
			})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins = append(wins, marker)
			case err != errNotPending:
				t.Errorf("racer %d: %v", i, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if len(wins) != 1 {
		t.Fatalf("%d racers completed the session, want 1", len(wins))
	}
	evs := h.claim(t, h.box, 100, longLease)
	if len(evs) != 1 || evs[0].Result == nil || evs[0].Result.Holder != wins[0] {
		t.Fatalf("events after the race: %+v, want the winner's (%s) only", evs, wins[0])
	}
}

// testClaimLeases: a claimed event is not handed out again while leased;
// an acknowledged one never again.
func testClaimLeases(t *testing.T, h outboxHarness) {
	ctx := context.Background()
	h.complete(t, h.created(t).ID)
	evs := h.claim(t, h.box, 10, longLease)
	if len(evs) != 1 {
		t.Fatalf("claimed %d, want 1", len(evs))
	}
	if again := h.claim(t, h.box, 10, longLease); len(again) != 0 {
		t.Fatalf("a leased event was handed out again: %+v", again)
	}
	if err := h.box.Ack(ctx, evs[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := h.box.Ack(ctx, evs[0].ID, "no-such-event.x"); err != nil {
		t.Fatalf("Ack of acknowledged and unknown ids: %v", err)
	}
	if err := h.box.Defer(ctx, evs[0].ID, h.now()); err != nil {
		t.Fatalf("Defer of an acknowledged id: %v", err)
	}
	if again := h.claim(t, h.box, 10, longLease); len(again) != 0 {
		t.Fatalf("an acknowledged event came back: %+v", again)
	}
}

// testLeaseLapses: the event of a claimant that never acknowledges (it
// crashed) is handed out again once its lease ends.
func testLeaseLapses(t *testing.T, h outboxHarness) {
	h.complete(t, h.created(t).ID)
	lease := 300 * time.Millisecond
	evs := h.claim(t, h.box, 10, lease)
	if len(evs) != 1 {
		t.Fatalf("claimed %d, want 1", len(evs))
	}
	if h.clock != nil {
		h.clock.Advance(lease - time.Nanosecond)
		if again := h.claim(t, h.box, 10, longLease); len(again) != 0 {
			t.Fatalf("handed out before its lease ended: %+v", again)
		}
		h.clock.Advance(time.Nanosecond)
	}
	again := h.claimEventually(t, h.box, longLease, "the lapsed lease's event is handed out again", evs[0].ID)
	requireEvent(t, again[0], evs[0])
}

// testClaimBounded: Claim hands out at most n, the longest due first.
func testClaimBounded(t *testing.T, h outboxHarness) {
	var ids []string
	for range 5 {
		s := h.created(t)
		h.complete(t, s.ID)
		ids = append(ids, s.ID)
		if h.clock != nil {
			h.clock.Advance(time.Millisecond)
		}
	}
	first := h.claim(t, h.box, 2, longLease)
	if len(first) != 2 {
		t.Fatalf("Claim(2) = %d events", len(first))
	}
	if h.clock != nil && (first[0].SessionID != ids[0] || first[1].SessionID != ids[1]) {
		t.Errorf("Claim(2) handed out %s, %s; want the first two written", first[0].SessionID, first[1].SessionID)
	}
	var rest []session.Event
	eventually(t, outboxWait, "the other three events", func() bool {
		rest = append(rest, h.claim(t, h.box, 10, longLease)...)
		return len(rest) >= 3
	})
	seen := map[string]bool{}
	for _, ev := range append(first, rest...) {
		if seen[ev.SessionID] {
			t.Errorf("session %s's event handed out twice", ev.SessionID)
		}
		seen[ev.SessionID] = true
	}
	if len(seen) != 5 {
		t.Errorf("%d distinct events, want 5", len(seen))
	}
}

// testDeferAndAck: a deferred event is due at its time, not before.
func testDeferAndAck(t *testing.T, h outboxHarness) {
	ctx := context.Background()
	h.complete(t, h.created(t).ID)
	evs := h.claim(t, h.box, 10, longLease)
	if len(evs) != 1 {
		t.Fatalf("claimed %d, want 1", len(evs))
	}
	later := h.now().Add(time.Hour)
	if err := h.box.Defer(ctx, evs[0].ID, later); err != nil {
		t.Fatal(err)
	}
	if again := h.claim(t, h.box, 10, longLease); len(again) != 0 {
		t.Fatalf("handed out an hour early: %+v", again)
	}
	soon := h.now().Add(200 * time.Millisecond)
	if err := h.box.Defer(ctx, evs[0].ID, soon); err != nil {
		t.Fatal(err)
	}
	if h.clock != nil {
		h.clock.Advance(200 * time.Millisecond)
	}
	again := h.claimEventually(t, h.box, longLease, "the deferred event at its time", evs[0].ID)
	requireEvent(t, again[0], evs[0])
	if err := h.box.Ack(ctx, again[0].ID); err != nil {
		t.Fatal(err)
	}
}

// testDueExpiries: pending sessions past ExpiresAt are due, soonest
// first; completed ones and those not yet expired are not; an expiry
// written by UpdateEmit takes a session off the list.
func testDueExpiries(t *testing.T, h outboxHarness) {
	ctx := context.Background()
	now := h.now()
	mk := func(expiresIn time.Duration) session.Session {
		s := newPending(now, ttl)
		s.ExpiresAt = now.Add(expiresIn)
		if err := h.store.Create(ctx, s); err != nil {
			t.Fatalf("Create: %v", err)
		}
		return s
	}
	early, late, never := mk(100*time.Millisecond), mk(200*time.Millisecond), mk(time.Hour)
	completed := mk(100 * time.Millisecond)
	h.complete(t, completed.ID)

	if ids, err := h.box.DueExpiries(ctx, now, 10); err != nil || len(ids) != 0 {
		t.Fatalf("DueExpiries before any ExpiresAt: %v %v", ids, err)
	}
	before := now.Add(200 * time.Millisecond)
	if h.clock != nil {
		h.clock.Advance(200 * time.Millisecond)
	}
	var ids []string
	eventually(t, outboxWait, "both expired sessions due", func() bool {
		var err error
		if ids, err = h.box.DueExpiries(ctx, before, 10); err != nil {
			t.Fatal(err)
		}
		return len(ids) >= 2
	})
	if !reflect.DeepEqual(ids, []string{early.ID, late.ID}) {
		t.Fatalf("DueExpiries = %v, want [early late] = %v (not %s, not %s)", ids, []string{early.ID, late.ID}, never.ID, completed.ID)
	}
	if one, err := h.box.DueExpiries(ctx, before, 1); err != nil || !reflect.DeepEqual(one, []string{early.ID}) {
		t.Fatalf("DueExpiries(n=1) = %v %v, want the soonest", one, err)
	}
	if _, err := h.box.UpdateEmit(ctx, early.ID, func(s session.Session) (session.Session, []session.Event, error) {
		s.Status, s.CompletedAt = session.StatusExpired, before
		ev, _ := session.CompletionEvent(s)
		return s, []session.Event{ev}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if ids, err := h.box.DueExpiries(ctx, before, 10); err != nil || !reflect.DeepEqual(ids, []string{late.ID}) {
		t.Fatalf("DueExpiries after one expired: %v %v, want [late]", ids, err)
	}
	evs := h.claim(t, h.box, 10, longLease)
	var expired int
	for _, ev := range evs {
		if ev.Type == session.EventExpired {
			expired++
			if ev.SessionID != early.ID || ev.Result != nil || ev.Error != nil || !ev.At.Equal(before) {
				t.Errorf("expiry event %+v", ev)
			}
		}
	}
	if expired != 1 {
		t.Errorf("%d expiry events, want 1", expired)
	}
}

// testClaimAcrossInstances: an event written through one instance is
// claimed through another (Redis: another Store on the same prefix), and
// the other's claim holds there too.
func testClaimAcrossInstances(t *testing.T, h outboxHarness) {
	peer := h.box
	if h.peer != nil {
		p, ok := h.peer(t, h.store).(session.Outbox)
		if !ok {
			t.Fatal("the peer store is not a session.Outbox")
		}
		peer = p
	}
	done, _ := h.complete(t, h.created(t).ID)
	lease := 300 * time.Millisecond
	var evs []session.Event
	eventually(t, outboxWait, "the peer claims the event", func() bool {
		evs = h.claim(t, peer, 10, lease)
		return len(evs) > 0
	})
	if len(evs) != 1 || evs[0].SessionID != done.ID {
		t.Fatalf("peer claimed %+v", evs)
	}
	// The peer "crashed": its lease lapses and the first instance delivers.
	if h.clock != nil {
		h.clock.Advance(lease)
	}
	got := h.claimEventually(t, h.box, longLease, "the first instance takes over the lapsed claim", evs[0].ID)
	if err := h.box.Ack(context.Background(), got[0].ID); err != nil {
		t.Fatal(err)
	}
	if again := h.claim(t, peer, 10, longLease); len(again) != 0 {
		t.Fatalf("an acknowledged event reached the peer: %+v", again)
	}
}
