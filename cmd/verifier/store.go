package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/loginwithiota/verifier/config"
	"github.com/loginwithiota/verifier/session"
	"github.com/loginwithiota/verifier/session/memory"
	sessionredis "github.com/loginwithiota/verifier/session/redis"
)

// openStore connects the session store the config names: the embedded one,
// or Redis (standalone, Sentinel or Cluster). An unreachable Redis fails
// the start with one error naming the target, never its password.
func (p *Program) openStore(ctx, bg context.Context) (session.Store, error) {
	if !p.cfg.Redis.Enabled() {
		m := memory.New(memory.Options{})
		go m.Run(bg, time.Minute)
		p.StoreName = "memory"
		return m, nil
	}
	client, target, err := newRedisClient(p.cfg.Redis)
	if err != nil {
		return nil, err
	}
	pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := client.Ping(pctx).Err(); err != nil {
		client.Close()
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("redis %s is unreachable: no answer within 3s", target)
		}
		return nil, fmt.Errorf("redis %s is unreachable: %v", target, err)
	}
	p.redis = client
	p.StoreName = "redis"
	if target.Mode != config.RedisStandalone {
		p.StoreName = "redis " + target.Mode
	}
	p.redisStore = sessionredis.New(client, sessionredis.Options{Prefix: p.cfg.Redis.KeyPrefix,
		WaitReplicas: p.cfg.Redis.WaitReplicas, WaitTimeout: p.cfg.Redis.WaitTimeout.Std()})
	return p.redisStore, nil
}

func (p *Program) closeStore() {
	if p.redisStore != nil {
		p.redisStore.Close()
	}
	if p.redis != nil {
		p.redis.Close()
	}
}

// newRedisClient builds the go-redis client for the configured topology:
// a Client, a FailoverClient behind Sentinel, or a ClusterClient.
func newRedisClient(c config.Redis) (goredis.UniversalClient, config.RedisTarget, error) {
	t, err := c.Target()
	if err != nil {
		return nil, t, err
	}
	silenceGoRedis()
	timeout := c.Timeout.Std()
	opt := &goredis.UniversalOptions{
		Addrs:            t.Addrs,
		DB:               t.DB,
		Username:         t.Username,
		Password:         t.Password,
		MasterName:       t.MasterName,
		SentinelUsername: t.SentinelUsername,
		SentinelPassword: t.SentinelPassword,
		IsClusterMode:    t.Mode == config.RedisClusterMode,
		DialTimeout:      timeout,
		ReadTimeout:      timeout,
		WriteTimeout:     timeout,
		// No CLIENT SETINFO on each connection: older servers and proxies
		// refuse it, and it is one more round trip per connection.
		DisableIdentity: true,
	}
	if t.TLS {
		if opt.TLSConfig, err = redisTLS(t); err != nil {
			return nil, t, err
		}
	}
	if t.Mode == config.RedisClusterMode {
		co := opt.Cluster()
		// A bound on how stale the slot map gets when nothing fails (the
		// store also asks for a reload when a node stops answering).
		co.ClusterStateReloadInterval = 5 * time.Second
		return goredis.NewClusterClient(co), t, nil
	}
	return goredis.NewUniversalClient(opt), t, nil
}

// redisTLS trusts the system's roots and the configured CA file, and checks
// the configured server name, or each node's own host.
func redisTLS(t config.RedisTarget) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: t.ServerName}
	if cfg.ServerName == "" && t.Mode == config.RedisStandalone {
		cfg.ServerName, _, _ = net.SplitHostPort(t.Addrs[0])
	}
	if t.CAFile != "" {
		pem, err := os.ReadFile(t.CAFile)
		if err != nil {
			return nil, fmt.Errorf("redis.tls.ca_file: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, errors.New("redis.tls.ca_file: no PEM certificate in " + t.CAFile)
		}
		cfg.RootCAs = pool
	}
	return cfg, nil
}

var silenceOnce sync.Once

// silenceGoRedis stops go-redis from printing its own dial failures and
// reconnects: the store returns every fault (wrapped in
// session.ErrUnavailable) to the service, which answers and logs it once,
// and an unreachable Redis at start is one line. go-redis's logger is
// process-wide, so it is set once.
func silenceGoRedis() {
	silenceOnce.Do(func() { goredis.SetLogger(discardLogger{}) })
}

type discardLogger struct{}

func (discardLogger) Printf(context.Context, string, ...any) {}
