package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/internal/poison"
	"github.com/loginwithiota/verifier/testwallet"
)

// procStat reads a process's CPU time (user + system) and resident set.
func procStat(t *testing.T, pid int) (cpu time.Duration, rss int64) {
	t.Helper()
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	// Fields after the command name (which may hold spaces) in ")".
	f := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+2:]))
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	pages, _ := strconv.ParseInt(f[21], 10, 64)
	const ticks = 100 // USER_HZ on Linux
	return time.Duration(utime+stime) * time.Second / ticks, pages * int64(os.Getpagesize())
}

// poisoned makes a poison presentation answer h's request: its holder and
// proofs the test holder's (so the proof's key resolves and the document
// must be canonicalized), the request's challenge and domain (so the cheap
// checks pass), and a valid VerifiableId the query matches.
func poisoned(t *testing.T, raw []byte, pp people, h *hostile) testwallet.Answer {
	t.Helper()
	vp := poison.Decode(raw)
	vp["holder"] = pp.holder.DID
	vp["verifiableCredential"] = []any{pp.idCard}
	proofs, isList := vp["proof"].([]any)
	if !isList {
		proofs = []any{vp["proof"]}
	}
	for _, p := range proofs {
		m := p.(map[string]any)
		m["verificationMethod"], m["challenge"], m["domain"] = pp.holder.VMID, h.req.Nonce, h.req.ClientID
	}
	return testwallet.Answer{VPToken: vp, State: h.req.State, Submission: ldSubmission("verifiable-id", "verifiable-id-credential", "$.verifiableCredential[0]")}
}

// The poison answers of issue 9 — a graph of ID-less nodes, one property
// with 16,000 values, deep nesting, 300 proofs — are each refused (4xx,
// session failed) within the work bounds. The figures (server CPU, wall,
// RSS growth) are logged for the closing note; the bounds themselves are
// benchmarks' business (ldproof's BenchmarkCanonicalizePoison).
func TestWorkBoundsPoison(t *testing.T) {
	b := startBinary(t, "memory", shippedConfig(t))
	pp := newPeople(t)
	cases := []struct {
		name string
		raw  []byte
	}{
		{"ID-less nodes", poison.IDLessNodes(4500)},
		{"16,000 values", poison.ManyValues(16000)},
		{"deep nesting", poison.DeepNesting(4500)},
		{"300 proofs", poison.ManyProofs(300, 1000)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := startHostile(t, b, "verifiable-id")
			a := poisoned(t, tc.raw, pp, h)
			form, _ := a.Form()
			cpu0, rss0 := procStat(t, b.pid())
			start := time.Now()
			code, reason, st := h.post(a)
			wall := time.Since(start)
			cpu1, rss1 := procStat(t, b.pid())
			if code < 400 || code >= 500 || st.Status != "failed" {
				t.Fatalf("%d %s, session %s", code, reason, st.Status)
			}
			t.Logf("%s (%d KiB): %d %s in %v wall, %v server CPU, RSS %+d MiB", tc.name, len(form.Encode())>>10, code, reason,
				wall.Round(time.Millisecond), cpu1-cpu0, (rss1-rss0)>>20)
		})
	}
}

// Eight identical expensive answers for one state at once cost about what
// one costs: one is verified, the others are refused while it is in flight
// (or once the session is complete), unverified.
func TestWorkBoundsParallelExpensive(t *testing.T) {
	// The work budget raised 60-fold, so that one answer costs about a
	// second before the budget refuses it.
	cfg := strings.Replace(shippedConfig(t), "  cache_ttl: 24h\n", "  cache_ttl: 24h\n  max_work: 3000000\n", 1)
	b := startBinary(t, "memory", cfg)
	pp := newPeople(t)
	cost := func(n int) time.Duration {
		h := startHostile(t, b, "verifiable-id")
		a := poisoned(t, poison.IDLessNodes(1200), pp, h)
		form, _ := a.Form()
		body := form.Encode()
		cpu0, _ := procStat(t, b.pid())
		var wg sync.WaitGroup
		codes := make([]int, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				resp, err := http.Post(h.req.ResponseURI, "application/x-www-form-urlencoded", strings.NewReader(body))
				if err == nil {
					codes[i] = resp.StatusCode
					resp.Body.Close()
				}
			}()
		}
		wg.Wait()
		t.Logf("%d answers: codes %v, session %s", n, codes, h.s.status(h.c).Status)
		cpu1, _ := procStat(t, b.pid())
		return cpu1 - cpu0
	}
	one, eight := cost(1), cost(8)
	t.Logf("one expensive answer: %v server CPU; eight copies at once: %v (%.2f×)", one, eight, float64(eight)/float64(max(one, time.Millisecond)))
}

// A wallet that hangs up stops the work: with budgets raised so that one
// answer would cost seconds, the server's CPU use falls back to idle soon
// after the client closes its connection.
func TestWorkStopsWhenClientLeaves(t *testing.T) {
	cfg := strings.Replace(shippedConfig(t), "  cache_ttl: 24h\n", "  cache_ttl: 24h\n  max_nodes: 100000\n  max_values: 100000\n  max_blank_nodes: 100000\n  max_work: 1000000000\n", 1)
	b := startBinary(t, "memory", strings.Replace(cfg, "http:\n  max_body_bytes: 262144", "http:\n  max_body_bytes: 1048576", 1))
	pp := newPeople(t)
	h := startHostile(t, b, "verifiable-id")
	a := poisoned(t, poison.IDLessNodes(6000), pp, h)
	form, _ := a.Form()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, h.req.ResponseURI, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	done := make(chan struct{})
	go func() {
		defer close(done)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	// Wait until the server is busy with it, then hang up.
	cpu0, _ := procStat(t, b.pid())
	deadline := time.Now().Add(10 * time.Second)
	for {
		cpu, _ := procStat(t, b.pid())
		if cpu-cpu0 >= 300*time.Millisecond {
			break
		}
		if time.Now().After(deadline) {
			t.Skip("the answer finished before it could be abandoned")
		}
		select {
		case <-done:
			t.Skip("the answer finished before it could be abandoned")
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	<-done
	left := time.Now()
	// After the hang-up, sample what the server still burns: this measures
	// the process, it waits on nothing of the code under test.
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	var stopped time.Duration = -1
	prev, _ := procStat(t, b.pid())
	for i := 0; i < 100 && stopped < 0; i++ {
		<-tick.C
		cpu, _ := procStat(t, b.pid())
		if cpu == prev {
			stopped = time.Since(left)
		}
		prev = cpu
	}
	after, _ := procStat(t, b.pid())
	<-time.After(500 * time.Millisecond)
	idle, _ := procStat(t, b.pid())
	t.Logf("work stopped about %v after the hang-up; CPU in the next 500 ms: %v", stopped, idle-after)
	if idle-after > 200*time.Millisecond {
		t.Fatalf("the server kept working after the client left: %v CPU in 500 ms", idle-after)
	}
	if st := h.s.status(h.c); st.Status != "pending" {
		t.Fatalf("an abandoned answer changed the session: %+v", st)
	}
}
