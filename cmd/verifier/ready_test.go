package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/loginwithiota/verifier/internal/testshared"
	"github.com/loginwithiota/verifier/session"
	"github.com/loginwithiota/verifier/session/memory"
)

// readOnly is a store that answers pings and reads but refuses writes.
type readOnly struct{ *memory.Store }

func (readOnly) Create(context.Context, session.Session) error { return session.ErrUnavailable }
func (readOnly) Update(context.Context, string, func(session.Session) (session.Session, error)) (session.Session, error) {
	return session.Session{}, session.ErrUnavailable
}

// writeChecked is a store with its own write check.
type writeChecked struct {
	*memory.Store
	err error
}

func (w writeChecked) CheckWrite(context.Context) error { return w.err }

// TestReadinessProbesWrites: ready means the store pings and takes a
// write; a store's own write check is used when it has one; answers are
// kept for a second.
func TestReadinessProbesWrites(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	clock := func() time.Time { return now }
	r := newReadiness(memory.New(memory.Options{}).Limit(1))
	r.now = clock
	if err := r.Ready(ctx); err != nil {
		t.Fatalf("memory store: %v", err)
	}
	now = now.Add(2 * time.Second)
	if err := r.Ready(ctx); err != nil { // the probe record exists now: an Update
		t.Fatalf("memory store, again: %v", err)
	}
	ro := newReadiness(readOnly{memory.New(memory.Options{})})
	ro.now = clock
	if err := ro.Ready(ctx); err == nil {
		t.Fatal("a store refusing writes is ready")
	}
	wc := newReadiness(writeChecked{memory.New(memory.Options{}), session.ErrUnavailable})
	wc.now = clock
	if err := wc.Ready(ctx); err == nil {
		t.Fatal("a failing write check is ready")
	}
}

// TestReadyzFullRedis: a Redis that refuses writes (maxmemory reached)
// makes /readyz answer 503, while it answers pings.
func TestReadyzFullRedis(t *testing.T) {
	r := startPrivateRedis(t, 0)
	path := testshared.WriteTemp(t, "config.yaml", relaxLimits(shippedConfig(t)))
	p, err := Open(context.Background(), Options{ConfigPath: path, Listen: "127.0.0.1:0", RedisURL: fmt.Sprintf("redis://127.0.0.1:%d/0", r.port)}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ready := func() int {
		resp, err := http.Get("http://" + p.Addr() + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := ready(); code != 200 {
		t.Fatalf("ready: %d", code)
	}
	c := goredis.NewClient(&goredis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", r.port)})
	defer c.Close()
	if err := c.ConfigSet(context.Background(), "maxmemory-policy", "noeviction").Err(); err != nil {
		t.Fatal(err)
	}
	if err := c.ConfigSet(context.Background(), "maxmemory", "1").Err(); err != nil {
		t.Fatal(err)
	}
	// The readiness answer is kept for a second: wait it out on the clock.
	eventually(t, 5*time.Second, "readyz 503 on a full Redis", func() bool { return ready() == 503 })
}
