package redis_test

import (
	"context"
	"crypto/rand"
	"os"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/loginwithiota/verifier/oidcbridge"
	"github.com/loginwithiota/verifier/oidcbridge/store/redis"
	"github.com/loginwithiota/verifier/oidcbridge/storetest"
)

// testClient connects to the Redis named by VERIFIER_TEST_REDIS (default
// 127.0.0.1:6379). Without one the tests skip on a workstation but fail in
// CI (CI set), which must never pass by skipping them.
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

// testPrefix is a fresh key prefix whose keys are deleted when tb ends.
func testPrefix(tb testing.TB, client *goredis.Client) string {
	tb.Helper()
	prefix := "liotatest:oidc:" + rand.Text() + ":"
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var keys []string
		iter := client.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			keys = append(keys, iter.Val())
		}
		if len(keys) > 0 {
			client.Unlink(ctx, keys...)
		}
	})
	return prefix
}

func TestConformance(t *testing.T) {
	storetest.Run(t, storetest.Backend{
		New: func(t *testing.T, clock *storetest.Clock) oidcbridge.Store {
			client := testClient(t)
			return redis.New(client, redis.Options{Prefix: testPrefix(t, client), Now: clock.Now})
		},
		// A second instance: its own client on the same server and prefix.
		Peer: func(t *testing.T, first oidcbridge.Store, clock *storetest.Clock) oidcbridge.Store {
			return redis.New(testClient(t), redis.Options{Prefix: first.(*redis.Store).Prefix(), Now: clock.Now})
		},
	})
}
