package redis_test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/loginwithiota/verifier/session"
	"github.com/loginwithiota/verifier/session/redis"
	"github.com/loginwithiota/verifier/session/sessiontest"
)

// testClient connects to the Redis named by VERIFIER_TEST_REDIS. Without a
// server the tests skip on a workstation but fail in CI (CI set), which
// must never pass by skipping them.
func testClient(tb testing.TB) *goredis.Client {
	tb.Helper()
	addr := os.Getenv("VERIFIER_TEST_REDIS")
	if addr == "" {
		addr = "127.0.0.1:6379"
	}
	client := goredis.NewClient(&goredis.Options{Addr: addr})
	tb.Cleanup(func() { client.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := client.Ping(ctx).Err(); err != nil {
		if os.Getenv("CI") == "" {
			tb.Skipf("no Redis at %s (set VERIFIER_TEST_REDIS): %v", addr, err)
		}
		tb.Fatalf("no Redis at %s in CI: %v", addr, err)
	}
	return client
}

// newStore returns a Store under a fresh key prefix.
func newStore(tb testing.TB, client *goredis.Client) *redis.Store {
	tb.Helper()
	return redis.New(client, redis.Options{Prefix: testPrefix(tb, client)})
}

// testPrefix returns a fresh random key prefix whose keys are deleted when
// tb ends, so parallel runs on one server never meet.
func testPrefix(tb testing.TB, client *goredis.Client) string {
	tb.Helper()
	prefix := "liotatest:" + rand.Text() + ":"
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		iter := client.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		var keys []string
		for iter.Next(ctx) {
			keys = append(keys, iter.Val())
		}
		if err := iter.Err(); err != nil {
			tb.Errorf("scan test keys: %v", err)
			return
		}
		if len(keys) > 0 {
			if err := client.Unlink(ctx, keys...).Err(); err != nil {
				tb.Errorf("delete test keys: %v", err)
			}
		}
	})
	return prefix
}

func TestConformance(t *testing.T) {
	client := testClient(t)
	sessiontest.Run(t, func(t *testing.T) session.Store {
		s := newStore(t, client)
		t.Cleanup(func() { s.Close() })
		return s
	}, sessiontest.WithPeer(func(t *testing.T, first session.Store) session.Store {
		// A second instance of the service: its own Store, client and
		// subscription, on the same server and prefix.
		peer := redis.New(testClient(t), redis.Options{Prefix: first.(*redis.Store).Prefix()})
		t.Cleanup(func() { peer.Close() })
		return peer
	}))
}

// TestKeyLayout pins the documented layout: other tools (and operators with
// redis-cli) rely on it. A session is one key, its id the hash tag, expiring
// at DeleteAt; its state names it, so there is no state index.
func TestKeyLayout(t *testing.T) {
	ctx := context.Background()
	client := testClient(t)
	prefix := "liotatest:" + rand.Text() + ":"
	key := prefix + "session:{id-1}"
	t.Cleanup(func() { client.Del(context.Background(), key) })
	s := redis.New(client, redis.Options{Prefix: prefix})
	deleteAt := time.Now().Add(time.Hour).Truncate(time.Millisecond)
	err := s.Create(ctx, session.Session{ID: "id-1", State: "id-1.secret", Status: session.StatusPending,
		ExpiresAt: deleteAt, DeleteAt: deleteAt})
	if err != nil {
		t.Fatal(err)
	}
	requireRecord := func(when string, version string) {
		t.Helper()
		got, err := client.Get(ctx, key).Result()
		if err != nil {
			t.Fatalf("%s: GET %s: %v", when, key, err)
		}
		if !strings.HasPrefix(got, version+":b") {
			t.Errorf("%s: GET %s = %q, want the version %s and the binary encoding in front", when, key, got, version)
		}
		at, err := client.PExpireTime(ctx, key).Result()
		if err != nil {
			t.Fatal(err)
		}
		if at != time.Duration(deleteAt.UnixMilli())*time.Millisecond {
			t.Errorf("%s: PEXPIRETIME %s = %v, want %v", when, key, at, deleteAt.UnixMilli())
		}
	}
	requireRecord("after Create", "0")
	if n := client.Exists(ctx, prefix+"state:id-1.secret").Val(); n != 0 {
		t.Error("a state index key exists")
	}
	if _, err := s.Update(ctx, "id-1", func(x session.Session) (session.Session, error) {
		x.Status = session.StatusVerified
		return x, nil
	}); err != nil {
		t.Fatal(err)
	}
	requireRecord("after Update", "1")
	for _, k := range []string{key, "liotatest:x:session:{id-1}"} {
		if slot, want := client.ClusterKeySlot(ctx, k).Val(), client.ClusterKeySlot(ctx, "{id-1}").Val(); slot != want {
			t.Errorf("key %s is in slot %d, want the id's slot %d", k, slot, want)
		}
	}
}

func TestDefaultPrefix(t *testing.T) {
	ctx := context.Background()
	client := testClient(t)
	id := "liotatest-" + rand.Text()
	key := "liota:session:{" + id + "}"
	t.Cleanup(func() { client.Del(context.Background(), key) })
	s := redis.New(client, redis.Options{})
	err := s.Create(ctx, session.Session{ID: id, State: id + ".secret", DeleteAt: time.Now().Add(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	if n := client.Exists(ctx, key).Val(); n != 1 {
		t.Fatalf("no %s under the default prefix", key)
	}
}

// TestStateForm: the store finds a session from its state alone, so it
// refuses states that do not name their session — except that a taken id
// or state is still ErrExists, as the Store contract says.
func TestStateForm(t *testing.T) {
	ctx := context.Background()
	s := newStore(t, testClient(t))
	deleteAt := time.Now().Add(time.Minute)
	first := session.Session{ID: "first", State: "first.secret", DeleteAt: deleteAt}
	if err := s.Create(ctx, first); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		id, state string
		exists    bool
	}{
		{"other", "secret", false},
		{"other", "other.", false},
		{"other", "first.other", false},
		{"other", "first.secret", true}, // the state is taken
		{"first", "other.secret", true}, // the id is taken
		{"a.b", "a.b.secret", false},
		{"{tag}", "{tag}.secret", false},
	} {
		err := s.Create(ctx, session.Session{ID: tt.id, State: tt.state, DeleteAt: deleteAt})
		if tt.exists != errors.Is(err, session.ErrExists) || err == nil {
			t.Errorf("Create(%q, %q): err = %v, want exists=%v", tt.id, tt.state, err, tt.exists)
		}
	}
	for _, state := range []string{"first", "first.", "first.secreT", "first.secret.", "first.secre", ".secret", ""} {
		if _, err := s.GetByState(ctx, state); !errors.Is(err, session.ErrNotFound) {
			t.Errorf("GetByState(%q): err = %v, want ErrNotFound", state, err)
		}
	}
	if got, err := s.GetByState(ctx, "first.secret"); err != nil || got.ID != "first" {
		t.Errorf("GetByState: %v %+v", err, got)
	}
}

// TestCorruptRecord: a record the store cannot read (another tool wrote
// the key) is an error of its own, never a panic or a session.
func TestCorruptRecord(t *testing.T) {
	ctx := context.Background()
	client := testClient(t)
	s := newStore(t, client)
	for i, v := range []string{"", "x", "7", "7:", "7:{\"id\":\"c\"}", "7:b", "7:b\x05ab", "99999999999999999999999:b"} {
		id := fmt.Sprint("corrupt", i)
		if err := client.Set(ctx, s.Prefix()+"session:{"+id+"}", v, time.Minute).Err(); err != nil {
			t.Fatal(err)
		}
		_, err := s.Get(ctx, id)
		if err == nil || errors.Is(err, session.ErrNotFound) || errors.Is(err, session.ErrUnavailable) {
			t.Errorf("Get of %q: err = %v, want a decode error", v, err)
		}
	}
}

func BenchmarkCreateComplete(b *testing.B) {
	client := testClient(b)
	// A short life keeps the benchmark's records from piling up in Redis.
	sessiontest.BenchCreateComplete(b, newStore(b, client), 2*time.Second)
}

// BenchmarkLogin is a login's store traffic (sessiontest.BenchLogin).
func BenchmarkLogin(b *testing.B) {
	sessiontest.BenchLogin(b, newStore(b, testClient(b)), 2*time.Second)
}

// TestRoundTripsPerLogin pins what a login costs in round trips to Redis:
// create, read by state, complete (with its announcement), read the result.
func TestRoundTripsPerLogin(t *testing.T) {
	client := testClient(t)
	rt := &roundTrips{}
	client.AddHook(rt)
	s := newStore(t, client)
	ctx := context.Background()
	id := rand.Text()
	sess := session.Session{ID: id, State: id + ".secret", Status: session.StatusPending,
		ExpiresAt: time.Now().Add(time.Minute), DeleteAt: time.Now().Add(time.Minute)}
	steps := []struct {
		name string
		want int64
		run  func() error
	}{
		{"Create", 1, func() error { return s.Create(ctx, sess) }},
		{"GetByState", 1, func() error { _, err := s.GetByState(ctx, sess.State); return err }},
		{"Update", 1, func() error {
			_, err := s.Update(ctx, id, func(x session.Session) (session.Session, error) {
				x.Status = session.StatusVerified
				return x, nil
			})
			return err
		}},
		{"Publish after Update", 0, func() error { return s.Publish(ctx, id) }},
		{"Publish", 1, func() error { return s.Publish(ctx, id) }},
		{"Get", 1, func() error { _, err := s.Get(ctx, id); return err }},
		{"GetByState of no session", 0, func() error {
			if _, err := s.GetByState(ctx, "no-dot"); !errors.Is(err, session.ErrNotFound) {
				return fmt.Errorf("err = %v", err)
			}
			return nil
		}},
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

// roundTrips counts commands and pipelines sent (each one round trip).
type roundTrips struct{ n atomic.Int64 }

func (r *roundTrips) DialHook(next goredis.DialHook) goredis.DialHook { return next }
func (r *roundTrips) ProcessHook(next goredis.ProcessHook) goredis.ProcessHook {
	return func(ctx context.Context, cmd goredis.Cmder) error { r.n.Add(1); return next(ctx, cmd) }
}
func (r *roundTrips) ProcessPipelineHook(next goredis.ProcessPipelineHook) goredis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []goredis.Cmder) error { r.n.Add(1); return next(ctx, cmds) }
}
