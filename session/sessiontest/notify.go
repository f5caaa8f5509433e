package sessiontest

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/session"
)

// notifyWait bounds how long a publish may take to reach a subscriber; the
// service promises a browser its event "within a second", tests allow more
// for a loaded machine.
const notifyWait = 5 * time.Second

// WithPeer gives the suite a second instance of the service's store: peer
// returns a Store that shares first's data (for Redis, another Store on the
// same server and prefix). Without it the notification tests use first as
// its own peer, which is right for a single-instance backend.
func WithPeer(peer func(t *testing.T, first session.Store) session.Store) Option {
	return func(cfg *config) { cfg.peer = peer }
}

// notifiers returns the subtest's store and its peer as Notifiers, skipping
// a backend that does not notify.
func (h harness) notifiers(t *testing.T) (first, peer session.Notifier) {
	t.Helper()
	n, ok := h.store.(session.Notifier)
	if !ok {
		t.Skip("the store is not a session.Notifier")
	}
	if h.peer == nil {
		return n, n
	}
	p, ok := h.peer(t, h.store).(session.Notifier)
	if !ok {
		t.Fatal("the peer store is not a session.Notifier")
	}
	return n, p
}

func subscribe(t *testing.T, n session.Notifier, id string) <-chan struct{} {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ch, err := n.Subscribe(ctx, id)
	if err != nil {
		t.Fatalf("Subscribe(%s): %v", id, err)
	}
	return ch
}

func publish(t *testing.T, n session.Notifier, id string) {
	t.Helper()
	if err := n.Publish(context.Background(), id); err != nil {
		t.Fatalf("Publish(%s): %v", id, err)
	}
}

func receive(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	timer := time.NewTimer(notifyWait)
	defer timer.Stop()
	select {
	case <-ch:
	case <-timer.C:
		t.Fatalf("after %v: %s was not notified", notifyWait, what)
	}
}

// testNotifyReachesSubscribers: a publish wakes every subscriber of its id,
// on this instance and on the peer, and nobody else.
func testNotifyReachesSubscribers(t *testing.T, h harness) {
	first, peer := h.notifiers(t)
	a, b, c := "a-"+randomID(), "b-"+randomID(), "c-"+randomID()
	a1, a2, aPeer := subscribe(t, first, a), subscribe(t, first, a), subscribe(t, peer, a)
	bSub := subscribe(t, first, b)
	cSub := subscribe(t, first, c)

	publish(t, first, a)
	receive(t, a1, "the first subscriber")
	receive(t, a2, "the second subscriber")
	receive(t, aPeer, "the peer's subscriber")

	// Publishes of one instance arrive in order, so once c's is in, a's
	// would have reached b already had it been sent there.
	publish(t, first, c)
	receive(t, cSub, "a subscriber of a later publish")
	select {
	case <-bSub:
		t.Fatal("a subscriber of another id was notified")
	default:
	}
}

// testNotifyAcrossInstances: a change published on one instance reaches a
// subscriber on the other, both ways.
func testNotifyAcrossInstances(t *testing.T, h harness) {
	first, peer := h.notifiers(t)
	id := randomID()
	onPeer, onFirst := subscribe(t, peer, id), subscribe(t, first, id)
	publish(t, first, id)
	receive(t, onPeer, "the peer")
	receive(t, onFirst, "the publisher's own subscriber")
	publish(t, peer, id)
	receive(t, onFirst, "the first instance")
}

// testNotifyCoalesces: publishes nobody has read yet coalesce into one
// wake-up and never block the publisher; publishing with no subscriber at
// all is no error.
func testNotifyCoalesces(t *testing.T, h harness) {
	first, _ := h.notifiers(t)
	publish(t, first, "nobody-listens-"+randomID())
	id := randomID()
	ch := subscribe(t, first, id)
	for range 100 {
		publish(t, first, id)
	}
	receive(t, ch, "the subscriber")
}

// testNotifyAfterUpdate is the way the service uses it: subscribe, read
// (pending), a writer completes the session and publishes, the subscriber
// wakes and reads the completed record.
func testNotifyAfterUpdate(t *testing.T, h harness) {
	first, peer := h.notifiers(t)
	ctx := context.Background()
	now := h.now()
	created := newPending(now, ttl)
	if err := h.store.Create(ctx, created); err != nil {
		t.Fatalf("Create: %v", err)
	}
	woken := subscribe(t, first, created.ID)
	if s, err := h.store.Get(ctx, created.ID); err != nil || s.Status != session.StatusPending {
		t.Fatalf("Get: %v (%v)", err, s.Status)
	}
	writer := h.store
	if h.peer != nil {
		writer = h.peer(t, h.store)
	}
	if _, err := writer.Update(ctx, created.ID, func(s session.Session) (session.Session, error) {
		return newVerified(s, now), nil
	}); err != nil {
		t.Fatalf("Update: %v", err)
	}
	publish(t, peer, created.ID)
	receive(t, woken, "the reader")
	s, err := h.store.Get(ctx, created.ID)
	if err != nil || s.Status != session.StatusVerified {
		t.Fatalf("Get after the notification: %v (%v)", err, s.Status)
	}
}

func randomID() string { return rand.Text() }
