package redis_test

import (
	"context"
	"crypto/rand"
	"os"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/loginwithiota/verifier/issuer"
	"github.com/loginwithiota/verifier/issuer/store/redis"
	"github.com/loginwithiota/verifier/issuer/store/storetest"
)

// testClient connects to the Redis named by VERIFIER_TEST_REDIS (default
// 127.0.0.1:6379). Without one the tests skip on a workstation and fail
// in CI (CI set): they must never pass by skipping there.
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

// prefix is a fresh key prefix whose keys are deleted when tb ends.
func prefix(tb testing.TB, client *goredis.Client) string {
	p := "liota-issuer-test:" + rand.Text() + ":"
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		iter := client.Scan(ctx, 0, p+"*", 1000).Iterator()
		for iter.Next(ctx) {
			client.Del(ctx, iter.Val())
		}
	})
	return p
}

func TestConformance(t *testing.T) {
	client := testClient(t)
	prefixes := map[issuer.Store]string{}
	storetest.Run(t, func(t *testing.T) issuer.Store {
		p := prefix(t, client)
		s := redis.New(client, redis.Options{Prefix: p})
		prefixes[s] = p
		return s
	}, storetest.WithPeer(func(t *testing.T, first issuer.Store) issuer.Store {
		// Another process: its own connection, the same server and prefix.
		return redis.New(testClient(t), redis.Options{Prefix: prefixes[first]})
	}))
}
