package redis_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/loginwithiota/verifier/internal/redistest"
)

// BenchmarkClusterPubSub compares what a notification costs the servers of
// a 3-master Cluster with a replica each: regular PUBLISH on the store's one
// channel (the choice: Cluster forwards it to every node) against sharded
// SPUBLISH on a per-session channel in the session's slot (only the shard
// sees it, but a subscriber needs one SSUBSCRIBE per session). One
// subscriber listens in each case, as one instance of the service would.
// It reports the servers' CPU per message (redis-µs/op) beside the
// publisher's latency. docs/performance.md has the figures.
func BenchmarkClusterPubSub(b *testing.B) {
	c := redistest.StartCluster(b, 3, 1)
	ctx := context.Background()
	client := c.Client(b)
	cpu := func() time.Duration {
		var d time.Duration
		for _, n := range c.Nodes {
			d += n.CPU()
		}
		return d
	}
	run := func(b *testing.B, publish func(i int) error, sub *goredis.PubSub) {
		msgs := sub.Channel()
		got := make(chan int, 1)
		go func() {
			n := 0
			for range msgs {
				n++
			}
			got <- n
		}()
		before := cpu()
		b.ResetTimer()
		for i := 0; b.Loop(); i++ {
			if err := publish(i); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		b.ReportMetric(float64(cpu()-before)/float64(time.Microsecond)/float64(b.N), "redis-µs/op")
		sub.Close()
		<-got
	}
	b.Run("PUBLISH", func(b *testing.B) {
		sub := client.Subscribe(ctx, "bench:completed")
		if _, err := sub.Receive(ctx); err != nil {
			b.Fatal(err)
		}
		run(b, func(i int) error { return client.Publish(ctx, "bench:completed", fmt.Sprint(i)).Err() }, sub)
	})
	b.Run("SPUBLISH", func(b *testing.B) {
		// The subscriber follows one session; the others' messages reach
		// nobody, as most would (one follower per login).
		sub := client.SSubscribe(ctx, "bench:{0}:completed")
		if _, err := sub.Receive(ctx); err != nil {
			b.Fatal(err)
		}
		run(b, func(i int) error {
			return client.SPublish(ctx, fmt.Sprintf("bench:{%d}:completed", i%1000), fmt.Sprint(i)).Err()
		}, sub)
	})
}
