package redistest

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// MasterName is the name the sentinels of StartSentinel watch.
const MasterName = "liota-master"

// Sentinel is a master, its replicas and the sentinels watching them.
type Sentinel struct {
	Master    *Server // the master at the start
	Replicas  []*Server
	Sentinels []*Server
	Addrs     []string // the sentinels' addresses
}

// StartSentinel starts a master with replicas and sentinels (quorum: a
// majority of them) and waits until every sentinel knows every replica.
func StartSentinel(tb testing.TB, replicas, sentinels int) *Sentinel {
	tb.Helper()
	st := &Sentinel{Master: start(tb, nil)}
	for range replicas {
		st.Replicas = append(st.Replicas, start(tb, []string{"replicaof 127.0.0.1 " + strconv.Itoa(st.Master.Port)}))
	}
	quorum := sentinels/2 + 1
	for range sentinels {
		s := start(tb, []string{
			fmt.Sprintf("sentinel monitor %s 127.0.0.1 %d %d", MasterName, st.Master.Port, quorum),
			"sentinel down-after-milliseconds " + MasterName + " 2000",
			"sentinel failover-timeout " + MasterName + " 10000",
		}, "--sentinel")
		st.Sentinels = append(st.Sentinels, s)
		st.Addrs = append(st.Addrs, s.Addr)
	}
	ctx := context.Background()
	for _, s := range st.Sentinels {
		c := goredis.NewSentinelClient(&goredis.Options{Addr: s.Addr})
		eventually(tb, 30*time.Second, "sentinel "+s.Addr+" sees the replicas", func() (bool, error) {
			reps, err := c.Replicas(ctx, MasterName).Result()
			if err != nil {
				return false, err
			}
			up := 0
			for _, r := range reps {
				if !strings.Contains(r["flags"], "down") && !strings.Contains(r["flags"], "disconnected") && r["master-link-status"] == "ok" {
					up++
				}
			}
			return up == replicas, fmt.Errorf("%d of %d replicas up", up, replicas)
		})
		c.Close()
	}
	return st
}

// URL is the redis+sentinel:// URL of the setup.
func (st *Sentinel) URL() string {
	return "redis+sentinel://" + strings.Join(st.Addrs, ",") + "/" + MasterName + "/0"
}

// Client is a failover client (it follows the sentinels), closed with tb.
func (st *Sentinel) Client(tb testing.TB) *goredis.Client {
	c := goredis.NewFailoverClient(&goredis.FailoverOptions{MasterName: MasterName, SentinelAddrs: st.Addrs})
	tb.Cleanup(func() { c.Close() })
	return c
}

// CurrentMaster is the address the sentinels name as master now.
func (st *Sentinel) CurrentMaster(tb testing.TB) string {
	tb.Helper()
	c := goredis.NewSentinelClient(&goredis.Options{Addr: st.Addrs[0]})
	defer c.Close()
	addr, err := c.GetMasterAddrByName(context.Background(), MasterName).Result()
	if err != nil {
		tb.Fatal(err)
	}
	return strings.Join(addr, ":")
}

// Failover makes the sentinels promote a replica (SENTINEL FAILOVER) and
// waits until every sentinel names the new master and the new master
// answers as one. It returns the new master's address.
func (st *Sentinel) Failover(tb testing.TB) string {
	tb.Helper()
	ctx := context.Background()
	old := st.CurrentMaster(tb)
	c := goredis.NewSentinelClient(&goredis.Options{Addr: st.Addrs[0]})
	defer c.Close()
	if err := c.Failover(ctx, MasterName).Err(); err != nil {
		tb.Fatalf("SENTINEL FAILOVER: %v", err)
	}
	var now string
	eventually(tb, 30*time.Second, "a new master", func() (bool, error) {
		now = st.CurrentMaster(tb)
		if now == old {
			return false, nil
		}
		m := goredis.NewClient(&goredis.Options{Addr: now})
		defer m.Close()
		repl, err := info(ctx, m, "replication")
		return err == nil && repl["role"] == "master", err
	})
	return now
}
