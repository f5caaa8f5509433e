package redistest

import (
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// Cluster is a Redis Cluster of masters, each with its replicas, made with
// redis-cli --cluster create.
type Cluster struct {
	Nodes []*Server // masters first, then replicas, as created
	Addrs []string  // every node's address (seeds for a client)
}

// StartCluster starts masters × (1 + replicas) nodes, creates the cluster
// and waits until every node sees it whole (cluster_state:ok, replicas in
// sync).
func StartCluster(tb testing.TB, masters, replicas int) *Cluster {
	tb.Helper()
	cli, err := exec.LookPath("redis-cli")
	if err != nil {
		binary(tb) // skips or fails as for redis-server
		tb.Fatalf("redis-cli is required with redis-server: %v", err)
	}
	c := &Cluster{}
	for range masters * (1 + replicas) {
		s := start(tb, []string{
			"cluster-enabled yes",
			"cluster-config-file nodes.conf",
			"cluster-node-timeout 2000",
			// The bus port is chosen too: port+10000 may be taken or out of range.
			"cluster-port " + strconv.Itoa(freePort(tb)),
		})
		c.Nodes = append(c.Nodes, s)
		c.Addrs = append(c.Addrs, s.Addr)
	}
	args := append([]string{"--cluster", "create"}, c.Addrs...)
	args = append(args, "--cluster-replicas", strconv.Itoa(replicas), "--cluster-yes")
	if out, err := exec.Command(cli, args...).CombinedOutput(); err != nil {
		tb.Fatalf("redis-cli --cluster create: %v\n%s", err, out)
	}
	c.waitHealthy(tb, masters)
	return c
}

// waitHealthy waits until each node reports the cluster ok with the
// expected number of masters and every replica's link is up.
func (c *Cluster) waitHealthy(tb testing.TB, masters int) {
	tb.Helper()
	ctx := context.Background()
	for _, n := range c.Nodes {
		client := goredis.NewClient(&goredis.Options{Addr: n.Addr})
		eventually(tb, 30*time.Second, "cluster ok on "+n.Addr, func() (bool, error) {
			ci, err := clusterInfo(ctx, client)
			if err != nil {
				return false, err
			}
			if ci["cluster_state"] != "ok" || ci["cluster_size"] != strconv.Itoa(masters) || ci["cluster_known_nodes"] != strconv.Itoa(len(c.Nodes)) {
				return false, fmt.Errorf("%v", ci)
			}
			repl, err := info(ctx, client, "replication")
			if err != nil {
				return false, err
			}
			if repl["role"] == "slave" && repl["master_link_status"] != "up" {
				return false, fmt.Errorf("replica link %s", repl["master_link_status"])
			}
			return true, nil
		})
		client.Close()
	}
}

func clusterInfo(ctx context.Context, c *goredis.Client) (map[string]string, error) {
	raw, err := c.ClusterInfo(ctx).Result()
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, line := range strings.Split(raw, "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), ":"); ok {
			out[k] = v
		}
	}
	return out, nil
}

// Client is a cluster client on the seeds, closed with tb.
func (c *Cluster) Client(tb testing.TB) *goredis.ClusterClient {
	client := goredis.NewClusterClient(&goredis.ClusterOptions{Addrs: c.Addrs})
	tb.Cleanup(func() { client.Close() })
	return client
}

// URL is the redis+cluster:// URL of the cluster's seeds.
func (c *Cluster) URL() string { return "redis+cluster://" + strings.Join(c.Addrs, ",") }

// MasterOf is the node serving key's slot now.
func (c *Cluster) MasterOf(tb testing.TB, key string) *Server {
	tb.Helper()
	ctx := context.Background()
	client := goredis.NewClient(&goredis.Options{Addr: c.Nodes[0].Addr})
	defer client.Close()
	slot, err := client.ClusterKeySlot(ctx, key).Result()
	if err != nil {
		tb.Fatal(err)
	}
	ranges, err := client.ClusterSlots(ctx).Result()
	if err != nil {
		tb.Fatal(err)
	}
	for _, r := range ranges {
		if int64(r.Start) <= slot && slot <= int64(r.End) && len(r.Nodes) > 0 {
			for _, n := range c.Nodes {
				if n.Addr == r.Nodes[0].Addr {
					return n
				}
			}
		}
	}
	tb.Fatalf("no master serves %s", key)
	return nil
}

// Failover promotes a replica of the master serving key's slot with a
// manual CLUSTER FAILOVER (coordinated: the master pauses its clients
// until the replica has caught up, so no acknowledged write is lost) and
// waits until the replica is master and the cluster is whole again.
func (c *Cluster) Failover(tb testing.TB, key string) (oldMaster, newMaster *Server) {
	tb.Helper()
	ctx := context.Background()
	oldMaster = c.MasterOf(tb, key)
	mc := goredis.NewClient(&goredis.Options{Addr: oldMaster.Addr})
	defer mc.Close()
	myID, err := mc.Do(ctx, "CLUSTER", "MYID").Text()
	if err != nil {
		tb.Fatal(err)
	}
	for _, n := range c.Nodes {
		rc := goredis.NewClient(&goredis.Options{Addr: n.Addr})
		nodes, err := rc.ClusterNodes(ctx).Result()
		if err != nil {
			rc.Close()
			tb.Fatal(err)
		}
		for _, line := range strings.Split(nodes, "\n") {
			f := strings.Fields(line)
			if len(f) > 3 && strings.Contains(f[2], "myself") && strings.Contains(f[2], "slave") && f[3] == myID {
				if err := rc.ClusterFailover(ctx).Err(); err != nil {
					rc.Close()
					tb.Fatalf("CLUSTER FAILOVER on %s: %v", n.Addr, err)
				}
				eventually(tb, 30*time.Second, "replica "+n.Addr+" promoted", func() (bool, error) {
					repl, err := info(ctx, rc, "replication")
					return err == nil && repl["role"] == "master", err
				})
				rc.Close()
				c.waitHealthy(tb, c.masters())
				return oldMaster, n
			}
		}
		rc.Close()
	}
	tb.Fatalf("master %s has no replica", oldMaster.Addr)
	return nil, nil
}

func (c *Cluster) masters() int {
	ctx := context.Background()
	client := goredis.NewClient(&goredis.Options{Addr: c.Nodes[0].Addr})
	defer client.Close()
	ci, _ := clusterInfo(ctx, client)
	n, _ := strconv.Atoi(ci["cluster_size"])
	return n
}

// WaitPromoted waits, after dead (the master of key's slot) was killed,
// until another node serves that slot as master and every live node
// reports the cluster ok. (cluster_state alone says ok at once: a dead
// master counts as failing only after the node timeout.)
func (c *Cluster) WaitPromoted(tb testing.TB, dead *Server, key string) *Server {
	tb.Helper()
	var promoted *Server
	eventually(tb, 60*time.Second, "a replica of "+dead.Addr+" promoted", func() (bool, error) {
		for _, n := range c.Nodes {
			if n == dead {
				continue
			}
			if m := c.masterOfFrom(n, key); m != nil && m != dead {
				client := goredis.NewClient(&goredis.Options{Addr: m.Addr})
				repl, err := info(context.Background(), client, "replication")
				client.Close()
				if err == nil && repl["role"] == "master" {
					promoted = m
					return true, nil
				}
			}
			return false, nil
		}
		return false, nil
	})
	ctx := context.Background()
	for _, n := range c.Nodes {
		if n == dead {
			continue
		}
		client := goredis.NewClient(&goredis.Options{Addr: n.Addr})
		eventually(tb, 60*time.Second, "cluster ok on "+n.Addr+" without "+dead.Addr, func() (bool, error) {
			ci, err := clusterInfo(ctx, client)
			if err != nil {
				return false, err
			}
			return ci["cluster_state"] == "ok" && ci["cluster_slots_ok"] == "16384", fmt.Errorf("%v", ci)
		})
		client.Close()
	}
	return promoted
}

// masterOfFrom is the master of key's slot as node from sees it, or nil.
func (c *Cluster) masterOfFrom(from *Server, key string) *Server {
	ctx := context.Background()
	client := goredis.NewClient(&goredis.Options{Addr: from.Addr})
	defer client.Close()
	slot, err := client.ClusterKeySlot(ctx, key).Result()
	if err != nil {
		return nil
	}
	ranges, err := client.ClusterSlots(ctx).Result()
	if err != nil {
		return nil
	}
	for _, r := range ranges {
		if int64(r.Start) <= slot && slot <= int64(r.End) && len(r.Nodes) > 0 {
			for _, n := range c.Nodes {
				if n.Addr == r.Nodes[0].Addr {
					return n
				}
			}
		}
	}
	return nil
}

// WaitHealthy waits until every node sees the cluster whole (after a
// node was restarted, say).
func (c *Cluster) WaitHealthy(tb testing.TB) {
	tb.Helper()
	c.waitHealthy(tb, c.masters())
}
