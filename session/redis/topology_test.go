package redis_test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/loginwithiota/verifier/internal/redistest"
	"github.com/loginwithiota/verifier/session"
	"github.com/loginwithiota/verifier/session/redis"
	"github.com/loginwithiota/verifier/session/sessiontest"
)

// TestConformanceCluster runs the suite on a 3-master Redis Cluster: every
// script and read must stay in one slot, and notifications must reach an
// instance subscribed through another node. Once as it is, once with every
// write waiting for its master's replica (WAIT on that master's connection).
func TestConformanceCluster(t *testing.T) {
	c := redistest.StartCluster(t, 3, 1)
	client := func(t *testing.T) goredis.UniversalClient { return c.Client(t) }
	t.Run("plain", func(t *testing.T) { conformanceOn(t, client) })
	t.Run("wait_replicas", func(t *testing.T) { conformanceOn(t, client, redis.Options{WaitReplicas: 1}) })
}

// TestConformanceSentinel runs the suite through Sentinel (a master, a
// replica, three sentinels), with every write waiting for the replica.
func TestConformanceSentinel(t *testing.T) {
	st := redistest.StartSentinel(t, 1, 3)
	conformanceOn(t, func(t *testing.T) goredis.UniversalClient { return st.Client(t) }, redis.Options{WaitReplicas: 1})
}

func conformanceOn(t *testing.T, client func(t *testing.T) goredis.UniversalClient, opts ...redis.Options) {
	var o redis.Options
	if len(opts) > 0 {
		o = opts[0]
	}
	sessiontest.Run(t, func(t *testing.T) session.Store {
		o := o
		o.Prefix = "liotatest:" + rand.Text() + ":"
		s := redis.New(client(t), o)
		t.Cleanup(func() { s.Close() })
		return s
	}, sessiontest.WithPeer(func(t *testing.T, first session.Store) session.Store {
		o := o
		o.Prefix = first.(*redis.Store).Prefix()
		peer := redis.New(client(t), o)
		t.Cleanup(func() { peer.Close() })
		return peer
	}))
}

// TestClusterSpreadsSessions: sessions land on every master (the hash tag
// is the id, not a constant), and each one's key is where its slot says.
func TestClusterSpreadsSessions(t *testing.T) {
	c := redistest.StartCluster(t, 3, 0)
	client := c.Client(t)
	s := redis.New(client, redis.Options{Prefix: "spread:"})
	ctx := context.Background()
	for i := range 60 {
		id := fmt.Sprint("id", i)
		if err := s.Create(ctx, session.Session{ID: id, State: id + ".s", DeleteAt: time.Now().Add(time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex // ForEachMaster runs on every master at once
	per := map[string]int64{}
	err := client.ForEachMaster(ctx, func(ctx context.Context, m *goredis.Client) error {
		n, err := m.DBSize(ctx).Result()
		mu.Lock()
		per[m.Options().Addr] = n
		mu.Unlock()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for addr, n := range per {
		if n == 0 {
			t.Errorf("master %s holds no session of 60: %v", addr, per)
		}
	}
}

// TestWaitReplicasRefusesUnreplicatedWrites: with no replica to wait for,
// a write is reported unavailable instead of acknowledged.
func TestWaitReplicasRefusesUnreplicatedWrites(t *testing.T) {
	srv := redistest.StartServer(t)
	s := redis.New(srv.Client(t), redis.Options{WaitReplicas: 1, WaitTimeout: 50 * time.Millisecond})
	err := s.Create(context.Background(), session.Session{ID: "w", State: "w.s", DeleteAt: time.Now().Add(time.Minute)})
	if !errors.Is(err, session.ErrUnavailable) {
		t.Fatalf("Create without a replica: err = %v, want ErrUnavailable", err)
	}
}

// TestClusterMasterCrash: a master is killed and its replica takes over;
// the store finds the new master by itself (go-redis alone would keep
// dialing the dead one until its periodic reload, a minute later), and the
// record written with WaitReplicas is there.
func TestClusterMasterCrash(t *testing.T) {
	c := redistest.StartCluster(t, 3, 1)
	s := redis.New(c.Client(t), redis.Options{Prefix: "crash:", WaitReplicas: 1})
	ctx := context.Background()
	if err := s.Create(ctx, session.Session{ID: "x", State: "x.s", DeleteAt: time.Now().Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	m := c.MasterOf(t, "crash:session:{x}")
	m.Kill()
	c.WaitPromoted(t, m, "crash:session:{x}")
	deadline := time.Now().Add(15 * time.Second)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		_, err := s.Get(ctx, "x")
		if err == nil {
			return
		}
		if !errors.Is(err, session.ErrUnavailable) {
			t.Fatalf("Get after the failover: %v", err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("the store still fails after the replica took over: %v", err)
		}
		<-tick.C
	}
}
