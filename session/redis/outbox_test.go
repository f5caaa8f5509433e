package redis_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/loginwithiota/verifier/internal/redistest"
	"github.com/loginwithiota/verifier/session"
	"github.com/loginwithiota/verifier/session/redis"
	"github.com/loginwithiota/verifier/session/sessiontest"
)

// testResync is short so that a peer learns of the other instance's
// writes within a test's patience.
const testResync = 50 * time.Millisecond

// outboxSuites runs the store's suite and the outbox's on Outboxes made by
// client: the Outbox replaces Create, which must keep the Store contract.
func outboxSuites(t *testing.T, client func(t *testing.T) goredis.UniversalClient, opts redis.Options) {
	newStore := func(t *testing.T) session.Store {
		o := opts
		o.Prefix = "liotatest:" + rand.Text() + ":"
		s := redis.New(client(t), o)
		t.Cleanup(func() { s.Close() })
		return redis.NewOutbox(s, redis.OutboxOptions{Resync: testResync})
	}
	peer := sessiontest.WithPeer(func(t *testing.T, first session.Store) session.Store {
		o := opts
		o.Prefix = first.(*redis.Outbox).Prefix()
		s := redis.New(client(t), o)
		t.Cleanup(func() { s.Close() })
		return redis.NewOutbox(s, redis.OutboxOptions{Resync: testResync})
	})
	t.Run("store", func(t *testing.T) { sessiontest.Run(t, newStore, peer) })
	t.Run("outbox", func(t *testing.T) { sessiontest.RunOutbox(t, newStore, peer) })
}

func TestOutboxConformance(t *testing.T) {
	client := testClient(t)
	outboxSuites(t, func(*testing.T) goredis.UniversalClient { return client }, redis.Options{})
}

// TestOutboxConformanceCluster: on a 3-master Cluster every script stays in
// its session's slot (Redis refuses it otherwise: CROSSSLOT), and a peer
// finds events in the slots of other masters; with wait_replicas too.
func TestOutboxConformanceCluster(t *testing.T) {
	c := redistest.StartCluster(t, 3, 1)
	client := func(t *testing.T) goredis.UniversalClient { return c.Client(t) }
	t.Run("plain", func(t *testing.T) { outboxSuites(t, client, redis.Options{}) })
	t.Run("wait_replicas", func(t *testing.T) { outboxSuites(t, client, redis.Options{WaitReplicas: 1}) })
}

func TestOutboxConformanceSentinel(t *testing.T) {
	st := redistest.StartSentinel(t, 1, 3)
	outboxSuites(t, func(t *testing.T) goredis.UniversalClient { return st.Client(t) }, redis.Options{WaitReplicas: 1})
}

// TestOutboxKeyLayout pins the documented layout: on Cluster, a session's
// indexes are keys of its own slot (what lets one script write them with
// the record); without Cluster, one index per kind.
func TestOutboxKeyLayout(t *testing.T) {
	ctx := context.Background()
	t.Run("standalone", func(t *testing.T) {
		client := testClient(t)
		prefix := testPrefix(t, client)
		o := redis.NewOutbox(redis.New(client, redis.Options{Prefix: prefix}), redis.OutboxOptions{})
		id := createAndComplete(t, o)
		for _, k := range []string{"outbox:{all}", "events:{all}"} {
			if n := client.Exists(ctx, prefix+k).Val(); n != 1 {
				t.Errorf("no key %s%s", prefix, k)
			}
		}
		if n := client.ZCard(ctx, prefix+"expiries:{all}").Val(); n != 0 {
			t.Errorf("a completed session %s is still listed for expiry (%d entries)", id, n)
		}
	})
	t.Run("cluster", func(t *testing.T) {
		c := redistest.StartCluster(t, 3, 0)
		client := c.Client(t)
		prefix := "layout:"
		for i := range 200 {
			key := "p:session:{" + rand.Text()[:5+i%20] + "}"
			if slot, want := redis.SlotOf(key), client.ClusterKeySlot(ctx, key).Val(); int64(slot) != want {
				t.Fatalf("slot of %s = %d, the server says %d", key, slot, want)
			}
		}
		o := redis.NewOutbox(redis.New(client, redis.Options{Prefix: prefix}), redis.OutboxOptions{})
		for range 20 {
			id := rand.Text()
			s := session.Session{ID: id, State: id + ".s", Status: session.StatusPending,
				ExpiresAt: time.Now().Add(time.Minute), DeleteAt: time.Now().Add(time.Hour)}
			if err := o.Create(ctx, s); err != nil {
				t.Fatal(err)
			}
			slot := client.ClusterKeySlot(ctx, prefix+"session:{"+id+"}").Val()
			var found bool
			// The session's expiry entry is in an index of its own slot.
			err := client.ForEachMaster(ctx, func(ctx context.Context, m *goredis.Client) error {
				keys, err := m.Keys(ctx, prefix+"expiries:*").Result()
				for _, k := range keys {
					if m.ZScore(ctx, k, id).Err() == nil {
						if ks := m.ClusterKeySlot(ctx, k).Val(); ks != slot {
							return fmt.Errorf("%s is in slot %d, its session in %d", k, ks, slot)
						}
						found = true
					}
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if !found {
				t.Fatalf("session %s is in no expiries index", id)
			}
		}
	})
}

// createAndComplete creates a pending session and verifies it with an event.
func createAndComplete(t *testing.T, o *redis.Outbox) string {
	t.Helper()
	ctx := context.Background()
	id := rand.Text()
	s := session.Session{ID: id, State: id + ".s", Status: session.StatusPending,
		ExpiresAt: time.Now().Add(time.Minute), DeleteAt: time.Now().Add(time.Hour)}
	if err := o.Create(ctx, s); err != nil {
		t.Fatal(err)
	}
	if _, err := o.UpdateEmit(ctx, id, func(x session.Session) (session.Session, []session.Event, error) {
		x.Status, x.CompletedAt = session.StatusVerified, time.Now()
		ev, _ := session.CompletionEvent(x)
		return x, []session.Event{ev}, nil
	}); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestOutboxRoundTrips pins what the outbox costs in round trips: the
// completion with its event is still one, and an idle instance asks
// Redis nothing between resyncs.
func TestOutboxRoundTrips(t *testing.T) {
	client := testClient(t)
	rt := &roundTrips{}
	client.AddHook(rt)
	ctx := context.Background()
	prefix := testPrefix(t, client)
	warm := redis.NewOutbox(redis.New(client, redis.Options{Prefix: prefix}), redis.OutboxOptions{})
	createAndComplete(t, warm) // loads the scripts on the server
	if _, err := warm.Claim(ctx, 1, time.Hour); err != nil {
		t.Fatal(err)
	}
	// A fresh instance: its first look at the indexes is a resync.
	o := redis.NewOutbox(redis.New(client, redis.Options{Prefix: prefix}), redis.OutboxOptions{Resync: time.Hour})
	id := rand.Text()
	s := session.Session{ID: id, State: id + ".s", Status: session.StatusPending,
		ExpiresAt: time.Now().Add(time.Minute), DeleteAt: time.Now().Add(time.Hour)}
	steps := []struct {
		name string
		want int64
		run  func() error
	}{
		{"Create", 1, func() error { return o.Create(ctx, s) }},
		{"GetByState", 1, func() error { _, err := o.GetByState(ctx, s.State); return err }},
		{"UpdateEmit", 1, func() error {
			_, err := o.UpdateEmit(ctx, id, func(x session.Session) (session.Session, []session.Event, error) {
				x.Status = session.StatusFailed
				ev, _ := session.CompletionEvent(x)
				return x, []session.Event{ev}, nil
			})
			return err
		}},
		{"first Claim (a resync: one pipeline, then a claim per due index)", 2, func() error {
			evs, err := o.Claim(ctx, 10, time.Hour)
			if err == nil && len(evs) != 1 {
				err = fmt.Errorf("%d events", len(evs))
			}
			return err
		}},
		{"idle Claim", 0, func() error { _, err := o.Claim(ctx, 10, time.Hour); return err }},
		{"idle DueExpiries (a resync)", 1, func() error { _, err := o.DueExpiries(ctx, time.Now(), 10); return err }},
		{"idle DueExpiries", 0, func() error { _, err := o.DueExpiries(ctx, time.Now(), 10); return err }},
	}
	for _, st := range steps {
		before := rt.n.Load()
		if err := st.run(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got := rt.n.Load() - before; got != st.want {
			t.Errorf("%s: %d round trips, want %d", st.name, got, st.want)
		}
	}
}

// TestOutboxSlotTags: the store's slot computation gives Redis's slots
// (the vectors of the Cluster specification; TestOutboxKeyLayout asks a
// Cluster), and each slot's tag hashes to it.
func TestOutboxSlotTags(t *testing.T) {
	for key, want := range map[string]int{"123456789": 0x31C3 % 16384, "foo": 12182, "bar": 5061,
		"{user1000}.following": redis.SlotOf("user1000"), "foo{}{bar}": redis.SlotOf("foo{}{bar}"), "a{}": redis.SlotOf("a{}")} {
		if got := redis.SlotOf(key); got != want {
			t.Errorf("slot of %q = %d, want %d", key, got, want)
		}
	}
	for slot := range 16384 {
		if tag := redis.SlotTag(slot); redis.SlotOf("p:outbox:{"+tag+"}") != slot || strings.ContainsAny(tag, "{}") {
			t.Fatalf("tag %q does not name slot %d", tag, slot)
		}
	}
}
