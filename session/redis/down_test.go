package redis_test

import (
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/loginwithiota/verifier/session"
	"github.com/loginwithiota/verifier/session/redis"
)

// requireUnavailable runs every Store method and wants each to fail with
// session.ErrUnavailable (and its cause still wrapped), not to panic.
func requireUnavailable(t *testing.T, s session.Store) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sess := session.Session{ID: "down-id", State: "down-id.state", Status: session.StatusPending,
		ExpiresAt: time.Now().Add(time.Minute), DeleteAt: time.Now().Add(time.Minute)}
	calls := []struct {
		name string
		call func() error
	}{
		{"Ping", func() error { return s.Ping(ctx) }},
		{"Create", func() error { return s.Create(ctx, sess) }},
		{"Get", func() error { _, err := s.Get(ctx, sess.ID); return err }},
		{"GetByState", func() error { _, err := s.GetByState(ctx, sess.State); return err }},
		{"Update", func() error {
			_, err := s.Update(ctx, sess.ID, func(x session.Session) (session.Session, error) { return x, nil })
			return err
		}},
		{"Publish", func() error { return s.(session.Notifier).Publish(ctx, sess.ID) }},
	}
	for _, c := range calls {
		err := c.call()
		if !errors.Is(err, session.ErrUnavailable) {
			t.Errorf("%s: err = %v, want ErrUnavailable", c.name, err)
			continue
		}
		if !hasCause(err) {
			t.Errorf("%s: err = %v, want the cause wrapped too", c.name, err)
		}
	}
}

// hasCause reports whether err's tree holds a leaf other than
// session.ErrUnavailable, i.e. whether the backend's own error is kept.
func hasCause(err error) bool {
	switch e := err.(type) {
	case interface{ Unwrap() error }:
		return hasCause(e.Unwrap())
	case interface{ Unwrap() []error }:
		for _, inner := range e.Unwrap() {
			if hasCause(inner) {
				return true
			}
		}
		return false
	default:
		return err != nil && err != session.ErrUnavailable
	}
}

func TestRedisDown(t *testing.T) {
	// Nothing listens on port 1; no retries so the test is quick.
	client := goredis.NewClient(&goredis.Options{
		Addr:          "127.0.0.1:1",
		DialTimeout:   200 * time.Millisecond,
		DialerRetries: 1,
		MaxRetries:    -1,
	})
	t.Cleanup(func() { client.Close() })
	requireUnavailable(t, redis.New(client, redis.Options{}))
	// A store that never subscribed cannot start now. (One that did keeps
	// its subscription, which reconnects by itself.)
	if _, err := redis.New(client, redis.Options{}).Subscribe(context.Background(), "id"); !errors.Is(err, session.ErrUnavailable) {
		t.Errorf("Subscribe: err = %v, want ErrUnavailable", err)
	}

	var opErr *net.OpError
	err := redis.New(client, redis.Options{}).Ping(context.Background())
	if !errors.As(err, &opErr) {
		t.Errorf("Ping: err = %v, want the *net.OpError kept in the chain", err)
	}
}

// TestRecoversWhenRedisReturns cuts the way to the real Redis and restores
// it: while cut every call is ErrUnavailable, afterwards the same Store works
// again without being rebuilt.
func TestRecoversWhenRedisReturns(t *testing.T) {
	client := testClient(t) // skips (or fails in CI) without Redis
	p := newProxy(t, client.Options().Addr)
	viaProxy := goredis.NewClient(&goredis.Options{
		Addr:          p.addr,
		DialTimeout:   200 * time.Millisecond,
		DialerRetries: 1,
		MaxRetries:    -1,
	})
	t.Cleanup(func() { viaProxy.Close() })
	s := redis.New(viaProxy, redis.Options{Prefix: testPrefix(t, client)})
	ctx := context.Background()

	sess := session.Session{ID: "up-id", State: "up-id.state", Status: session.StatusPending,
		ExpiresAt: time.Now().Add(time.Minute), DeleteAt: time.Now().Add(time.Minute)}
	if err := s.Create(ctx, sess); err != nil {
		t.Fatalf("Create while up: %v", err)
	}
	subCtx, cancelSub := context.WithCancel(ctx)
	defer cancelSub()
	woken, err := s.Subscribe(subCtx, sess.ID)
	if err != nil {
		t.Fatalf("Subscribe while up: %v", err)
	}

	p.down()
	requireUnavailable(t, s)

	p.up()
	deadline := time.Now().Add(10 * time.Second)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for err := s.Ping(ctx); err != nil; err = s.Ping(ctx) {
		if time.Now().After(deadline) {
			t.Fatalf("store did not recover: %v", err)
		}
		<-tick.C
	}
	got, err := s.Update(ctx, sess.ID, func(x session.Session) (session.Session, error) {
		x.Status = session.StatusVerified
		return x, nil
	})
	if err != nil || got.Status != session.StatusVerified {
		t.Fatalf("Update after recovery: %v (%q)", err, got.Status)
	}

	// The subscription made before the outage resubscribes by itself:
	// another instance's publishes reach it again (those sent while it was
	// reconnecting are lost, so publish until one arrives).
	other := redis.New(client, redis.Options{Prefix: s.Prefix()})
	defer s.Close()
	for {
		if err := other.Publish(ctx, sess.ID); err != nil {
			t.Fatalf("Publish: %v", err)
		}
		select {
		case <-woken:
			return
		case <-tick.C:
		}
		if time.Now().After(deadline) {
			t.Fatal("the subscription did not come back after the outage")
		}
	}
}

// proxy forwards TCP to Redis and can be cut and restored on the same port,
// which is what a Redis restart looks like to the client.
type proxy struct {
	t      *testing.T
	target string
	addr   string

	mu    sync.Mutex
	ln    net.Listener
	conns []net.Conn
}

func newProxy(t *testing.T, target string) *proxy {
	p := &proxy{t: t, target: target}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.down)
	return p
}

func (p *proxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			r, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, r)
			p.mu.Unlock()
			go func() { io.Copy(r, c); r.Close() }()
			go func() { io.Copy(c, r); c.Close() }()
		}
	}()
}

// down stops accepting and drops every open connection.
func (p *proxy) down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// up listens again on the same address.
func (p *proxy) up() {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatalf("proxy cannot listen again on %s: %v", p.addr, err)
	}
	p.serve(ln)
}
