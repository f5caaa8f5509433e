package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/internal/testshared"
)

// instance describes a program for the web tests: the shipped config with
// some lines replaced, on a store, optionally sharing a Redis key prefix and
// a public URL with other instances.
type instance struct {
	store     string            // "memory" or "redis"
	prefix    string            // Redis key prefix; "" means a fresh one
	publicURL string            // "" means http:// + the listen address
	replace   map[string]string // old line → new line in the shipped config
	noCleanup bool              // the test closes the program itself
}

func (o instance) start(t *testing.T) *Program {
	t.Helper()
	cfg := shippedConfig(t)
	for old, repl := range o.replace {
		if !strings.Contains(cfg, old) {
			t.Fatalf("the shipped config has no %q", old)
		}
		cfg = strings.Replace(cfg, old, repl, 1)
	}
	opts := Options{Listen: "127.0.0.1:0", PublicURL: o.publicURL}
	if o.store == "redis" {
		requireRedis(t)
		if o.prefix == "" {
			o.prefix = "test:" + randomHex(6) + ":"
		}
		cfg = "redis:\n  key_prefix: \"" + o.prefix + "\"\n" + strings.Replace(cfg, "# redis:", "# (redis set above)", 1)
		opts.RedisURL = "redis://" + redisAddr() + "/0"
	}
	opts.ConfigPath = testshared.WriteTemp(t, "config.yaml", relaxLimits(cfg))
	p, err := Open(context.Background(), opts, io.Discard)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	if !o.noCleanup {
		t.Cleanup(func() {
			if err := p.Close(); err != nil {
				t.Errorf("close: %v", err)
			}
		})
	}
	return p
}

// sseEvent is one Server-Sent Event; comment lines (heartbeats) come as
// events named ":".
type sseEvent struct {
	name string
	data string
	at   time.Time
}

// openEvents opens a session's event stream as the given client and
// returns the events as they arrive; the channel closes with the stream.
func openEvents(t *testing.T, client *http.Client, url string, header map[string]string) (<-chan sseEvent, *http.Response) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	streaming := *client
	streaming.Timeout = 0 // the stream outlives any request timeout
	resp, err := streaming.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	events := make(chan sseEvent, 64)
	if resp.StatusCode != http.StatusOK {
		close(events)
		return events, resp
	}
	go func() {
		defer close(events)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.name != "" {
					ev.at = time.Now()
					events <- ev
				}
				ev = sseEvent{}
			case strings.HasPrefix(line, ":"):
				events <- sseEvent{name: ":", data: line, at: time.Now()}
			case strings.HasPrefix(line, "event: "):
				ev.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				ev.data = strings.TrimPrefix(line, "data: ")
			}
		}
	}()
	return events, resp
}

// nextEvent returns the next named event (skipping heartbeats), failing
// after timeout or when the stream ends first.
func nextEvent(t *testing.T, events <-chan sseEvent, timeout time.Duration) (sseEvent, status) {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				t.Fatal("the event stream ended")
			}
			if ev.name == ":" {
				continue
			}
			var st status
			if err := json.Unmarshal([]byte(ev.data), &st); err != nil {
				t.Fatalf("event %s: %v: %q", ev.name, err, ev.data)
			}
			return ev, st
		case <-deadline.C:
			t.Fatalf("no event within %v", timeout)
		}
	}
}

// streamEnds waits for the server to end the stream.
func streamEnds(t *testing.T, events <-chan sseEvent, timeout time.Duration) {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		select {
		case _, ok := <-events:
			if !ok {
				return
			}
		case <-deadline.C:
			t.Fatalf("the stream did not end within %v", timeout)
		}
	}
}
