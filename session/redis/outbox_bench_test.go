package redis_test

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/internal/redistest"
	"github.com/loginwithiota/verifier/session"
	"github.com/loginwithiota/verifier/session/redis"
)

// BenchmarkOutboxResync is what an instance's resync costs on a 3-master
// Cluster: one read of each of the 16384 slot indexes (most of them empty,
// as they are), as one pipeline. It reports the servers' CPU per resync
// (redis-ms/op) beside its latency; docs/webhooks.md has the figures and
// the choice they support. "emit" is a completion with its event, for
// comparison, and "standalone" a resync without Cluster (one index).
func BenchmarkOutboxResync(b *testing.B) {
	c := redistest.StartCluster(b, 3, 0)
	ctx := context.Background()
	cpu := func() time.Duration {
		var d time.Duration
		for _, n := range c.Nodes {
			d += n.CPU()
		}
		return d
	}
	newOutbox := func() *redis.Outbox {
		// Resync 0s: every Claim reads every index.
		return redis.NewOutbox(redis.New(c.Client(b), redis.Options{Prefix: "bench:"}), redis.OutboxOptions{Resync: time.Nanosecond})
	}
	report := func(b *testing.B, before time.Duration) {
		b.ReportMetric(float64(cpu()-before)/float64(time.Millisecond)/float64(b.N), "redis-ms/op")
	}
	b.Run("cluster", func(b *testing.B) {
		o := newOutbox()
		before := cpu()
		for b.Loop() {
			if _, err := o.Claim(ctx, 10, time.Minute); err != nil {
				b.Fatal(err)
			}
		}
		report(b, before)
	})
	b.Run("emit", func(b *testing.B) {
		o := newOutbox()
		before := cpu()
		for b.Loop() {
			id := rand.Text()
			s := session.Session{ID: id, State: id + ".s", Status: session.StatusPending,
				ExpiresAt: time.Now().Add(time.Minute), DeleteAt: time.Now().Add(time.Minute)}
			if err := o.Create(ctx, s); err != nil {
				b.Fatal(err)
			}
			if _, err := o.UpdateEmit(ctx, id, func(x session.Session) (session.Session, []session.Event, error) {
				x.Status = session.StatusFailed
				ev, _ := session.CompletionEvent(x)
				return x, []session.Event{ev}, nil
			}); err != nil {
				b.Fatal(err)
			}
		}
		report(b, before)
	})
	b.Run("standalone", func(b *testing.B) {
		srv := redistest.StartServer(b)
		o := redis.NewOutbox(redis.New(srv.Client(b), redis.Options{}), redis.OutboxOptions{Resync: time.Nanosecond})
		before := srv.CPU()
		for b.Loop() {
			if _, err := o.Claim(ctx, 10, time.Minute); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(srv.CPU()-before)/float64(time.Millisecond)/float64(b.N), "redis-ms/op")
	})
}
