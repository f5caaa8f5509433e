package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// floodLimits are the shipped defaults, written out so the test helpers
// leave them on.
const floodLimits = "\nlimits:\n  sessions_per_second: 5\n  sessions_burst: 50\n  event_streams: 1000\n  event_streams_per_session: 4\n"

// clientFrom is an HTTP client whose connections come from the loopback
// address ip: one client address as the limiter sees it.
func clientFrom(ip string, conns int) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DialContext: d.DialContext,
		MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}}
}

// rssKB is a process's resident set in KiB.
func rssKB(t *testing.T, pid int) int {
	t.Helper()
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.Fields(rest)[0])
			return kb
		}
	}
	t.Fatal("no VmRSS")
	return 0
}

// TestFloodOfSessionCreations: 8 clients flood session creation through
// the built program with its default limits: beyond each client's bucket
// every answer is 429 with Retry-After, memory stays bounded and /healthz
// keeps answering. The acceptance's 200,000 creations run with
// VERIFIER_FLOOD=200000; by default 40,000 (the figures are logged).
func TestFloodOfSessionCreations(t *testing.T) {
	total := 40_000
	if n, err := strconv.Atoi(os.Getenv("VERIFIER_FLOOD")); err == nil && n > 0 {
		total = n
	}
	b := startBinary(t, "memory", shippedConfig(t)+floodLimits)
	base := b.base
	// Warm up, then take the baseline.
	if code, _, _ := b.site(t).do("GET", "/healthz", "", "", nil); code != 200 {
		t.Fatal("not healthy")
	}
	before := rssKB(t, b.pid())

	const clients, perClient = 8, 4
	var sent, created, limited, other atomic.Int64
	var badRetry atomic.Int64
	start := time.Now()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	// /healthz from its own address, throughout.
	var probeMu sync.Mutex
	var probes int
	var worst time.Duration
	var probeFail atomic.Int64
	probeDone := make(chan struct{})
	go func() {
		defer close(probeDone)
		hc := clientFrom("127.0.0.200", 1)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			t0 := time.Now()
			resp, err := hc.Get(base + "/healthz")
			d := time.Since(t0)
			if err != nil || resp.StatusCode != 200 {
				probeFail.Add(1)
			}
			if err == nil {
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			probeMu.Lock()
			probes++
			worst = max(worst, d)
			probeMu.Unlock()
		}
	}()

	var wg sync.WaitGroup
	for c := range clients {
		hc := clientFrom(fmt.Sprintf("127.0.0.%d", 10+c), perClient)
		for range perClient {
			wg.Go(func() {
				for sent.Add(1) <= int64(total) {
					resp, err := hc.Post(base+"/api/v1/sessions", "application/json", strings.NewReader(`{"definition":"verifiable-id"}`))
					if err != nil {
						other.Add(1)
						continue
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					switch resp.StatusCode {
					case http.StatusCreated:
						created.Add(1)
					case http.StatusTooManyRequests:
						limited.Add(1)
						if ra, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || ra < 1 {
							badRetry.Add(1)
						}
					default:
						other.Add(1)
					}
				}
			})
		}
	}
	wg.Wait()
	elapsed := time.Since(start)
	cancel()
	<-probeDone
	after := rssKB(t, b.pid())

	t.Logf("flood: %d creations from %d clients in %v (%.0f/s): %d created, %d refused 429, %d other",
		total, clients, elapsed.Round(time.Millisecond), float64(total)/elapsed.Seconds(), created.Load(), limited.Load(), other.Load())
	t.Logf("flood: RSS %d MiB before, %d MiB after (growth %d MiB); /healthz: %d probes, slowest %v, %d failed",
		before>>10, after>>10, (after-before)>>10, probes, worst.Round(time.Microsecond), probeFail.Load())

	if other.Load() != 0 || badRetry.Load() != 0 || probeFail.Load() != 0 {
		t.Fatalf("%d answers were neither 201 nor 429, %d 429s lacked Retry-After, %d health probes failed",
			other.Load(), badRetry.Load(), probeFail.Load())
	}
	// Each client: its burst, plus its rate over the flood (and a second's slack).
	if allowed := int64(clients * (50 + 5*(int(elapsed.Seconds())+2))); created.Load() > allowed {
		t.Fatalf("%d created, the limits allow %d", created.Load(), allowed)
	}
	if growth := (after - before) >> 10; growth > 100 {
		t.Fatalf("RSS grew %d MiB", growth)
	}
}

// TestStreamFloodOnOneSession: 10,000 event-stream attempts on one session:
// all beyond the per-session cap are refused, and the server keeps serving.
func TestStreamFloodOnOneSession(t *testing.T) {
	b := startBinary(t, "memory", shippedConfig(t)+floodLimits)
	s := b.site(t)
	c := s.start("verifiable-id", "cross-device")
	const attempts, workers = 10_000, 8
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	var next, open, refused, other atomic.Int64
	var mu sync.Mutex
	var keep []*http.Response // the accepted streams stay open until the end
	start := time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for next.Add(1) <= attempts {
				req, _ := http.NewRequestWithContext(ctx, "GET", b.base+c.StatusURL+"/events", nil)
				req.Header.Set("Authorization", "Bearer "+c.StatusToken)
				resp, err := hc.Do(req)
				if err != nil {
					other.Add(1)
					continue
				}
				switch resp.StatusCode {
				case http.StatusOK:
					open.Add(1)
					mu.Lock()
					keep = append(keep, resp)
					mu.Unlock()
					continue
				case http.StatusTooManyRequests:
					refused.Add(1)
				default:
					other.Add(1)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	t.Logf("streams: %d attempts on one session in %v: %d open, %d refused 429, %d other",
		attempts, time.Since(start).Round(time.Millisecond), open.Load(), refused.Load(), other.Load())
	if open.Load() != 4 || refused.Load() != attempts-4 || other.Load() != 0 {
		t.Fatalf("want 4 open and the rest refused")
	}
	// The server keeps serving: health, a new login, its status.
	if code, _, _ := s.do("GET", "/healthz", "", "", nil); code != 200 {
		t.Fatalf("healthz %d", code)
	}
	c2 := s.start("verifiable-id", "cross-device")
	if st := s.status(c2); st.Status != "pending" {
		t.Fatalf("status %+v", st)
	}
	for _, r := range keep {
		r.Body.Close()
	}
}
