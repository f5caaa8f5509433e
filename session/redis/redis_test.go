package redis_test

import (
	"context"
	"crypto/rand"
	"os"
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
// redis-cli) rely on it, and both keys must expire at DeleteAt.
func TestKeyLayout(t *testing.T) {
	ctx := context.Background()
	client := testClient(t)
	prefix := "liotatest:" + rand.Text() + ":"
	t.Cleanup(func() { client.Del(context.Background(), prefix+"session:id-1", prefix+"state:state-1") })
	s := redis.New(client, redis.Options{Prefix: prefix})
	deleteAt := time.Now().Add(time.Hour).Truncate(time.Millisecond)
	err := s.Create(ctx, session.Session{ID: "id-1", State: "state-1", Status: session.StatusPending,
		ExpiresAt: deleteAt, DeleteAt: deleteAt})
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{prefix + "state:state-1": "id-1", prefix + "session:id-1": ""} {
		got, err := client.Get(ctx, key).Result()
		if err != nil {
			t.Fatalf("GET %s: %v", key, err)
		}
		if want != "" && got != want {
			t.Errorf("GET %s = %q, want %q", key, got, want)
		}
		at, err := client.PExpireTime(ctx, key).Result()
		if err != nil {
			t.Fatal(err)
		}
		if at != time.Duration(deleteAt.UnixMilli())*time.Millisecond {
			t.Errorf("PEXPIRETIME %s = %v, want %v", key, at, deleteAt.UnixMilli())
		}
	}
	// Update keeps both keys' expiry on the record's DeleteAt.
	if _, err := s.Update(ctx, "id-1", func(x session.Session) (session.Session, error) {
		x.Status = session.StatusVerified
		return x, nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{prefix + "state:state-1", prefix + "session:id-1"} {
		at, err := client.PExpireTime(ctx, key).Result()
		if err != nil {
			t.Fatal(err)
		}
		if at != time.Duration(deleteAt.UnixMilli())*time.Millisecond {
			t.Errorf("after Update PEXPIRETIME %s = %v, want %v", key, at, deleteAt.UnixMilli())
		}
	}
}

func TestDefaultPrefix(t *testing.T) {
	ctx := context.Background()
	client := testClient(t)
	id, state := "liotatest-"+rand.Text(), "liotatest-"+rand.Text()
	t.Cleanup(func() { client.Del(context.Background(), "liota:session:"+id, "liota:state:"+state) })
	s := redis.New(client, redis.Options{})
	err := s.Create(ctx, session.Session{ID: id, State: state, DeleteAt: time.Now().Add(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	if n := client.Exists(ctx, "liota:session:"+id, "liota:state:"+state).Val(); n != 2 {
		t.Fatalf("%d of 2 keys under the default prefix", n)
	}
}

func BenchmarkCreateComplete(b *testing.B) {
	client := testClient(b)
	// A short life keeps the benchmark's records from piling up in Redis.
	sessiontest.BenchCreateComplete(b, newStore(b, client), 2*time.Second)
}
