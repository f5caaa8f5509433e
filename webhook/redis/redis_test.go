package redis_test

import (
	"context"
	"crypto/rand"
	"os"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/loginwithiota/verifier/internal/redistest"
	"github.com/loginwithiota/verifier/webhook"
	"github.com/loginwithiota/verifier/webhook/redis"
	"github.com/loginwithiota/verifier/webhook/webhooktest"
)

// testClient is the Redis of VERIFIER_TEST_REDIS (skipped without one,
// except in CI), as session/redis's tests have it.
func testClient(t *testing.T) *goredis.Client {
	addr := os.Getenv("VERIFIER_TEST_REDIS")
	if addr == "" {
		addr = "127.0.0.1:6379"
	}
	c := goredis.NewClient(&goredis.Options{Addr: addr})
	t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("no Redis at %s: %v", addr, err)
		}
		t.Fatalf("no Redis at %s in CI: %v", addr, err)
	}
	return c
}

func run(t *testing.T, client goredis.UniversalClient) {
	webhooktest.Run(t, func(t *testing.T) webhook.Log {
		prefix := "liotatest:" + rand.Text() + ":"
		t.Cleanup(func() { unlinkPrefix(client, prefix) })
		return redis.New(client, prefix, time.Hour)
	})
}

func unlinkPrefix(client goredis.UniversalClient, prefix string) {
	ctx := context.Background()
	if cc, ok := client.(*goredis.ClusterClient); ok {
		_ = cc.ForEachMaster(ctx, func(ctx context.Context, m *goredis.Client) error { return unlinkOn(ctx, m, prefix) })
		return
	}
	_ = unlinkOn(ctx, client.(*goredis.Client), prefix)
}

func unlinkOn(ctx context.Context, c *goredis.Client, prefix string) error {
	keys, err := c.Keys(ctx, prefix+"*").Result()
	for _, k := range keys {
		c.Unlink(ctx, k)
	}
	return err
}

func TestConformance(t *testing.T) { run(t, testClient(t)) }

// TestConformanceCluster: a record's keys share a slot (MULTI would be
// refused otherwise), the index lives in its own.
func TestConformanceCluster(t *testing.T) {
	run(t, redistest.StartCluster(t, 3, 0).Client(t))
}
