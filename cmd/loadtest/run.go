package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/loginwithiota/verifier/testwallet"
)

// Config is one run.
type Config struct {
	URL         string
	Definition  string
	Concurrency int
	Duration    time.Duration
	MaxLogins   int // 0: unbounded but for Duration
	Warmup      time.Duration
	PIDs        []int    // processes whose CPU per login is reported
	PIDNames    []string // their names in the report
	Ed25519     time.Duration
	CPUProfile  string // the load generator's own profile, for its cost
}

// Run warms up, then measures Concurrency logins at a time for Duration.
func Run(ctx context.Context, c Config) (*Report, error) {
	transport := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConns:        2 * c.Concurrency,
		MaxIdleConnsPerHost: 2 * c.Concurrency,
		IdleConnTimeout:     time.Minute,
	}
	defer transport.CloseIdleConnections()
	s := &site{base: strings.TrimRight(c.URL, "/"), definition: c.Definition,
		client: &http.Client{Transport: transport, Timeout: 30 * time.Second}}

	issuer := testwallet.NewParty()
	wallets := make([]*wallet, c.Concurrency)
	for i := range wallets {
		w, err := newWallet(issuer)
		if err != nil {
			return nil, err
		}
		wallets[i] = w
	}
	// One login first: a wrong URL or definition fails at once, clearly.
	if err := s.login(ctx, wallets[0]); err != nil {
		return nil, fmt.Errorf("first login: %w", err)
	}
	if c.Warmup > 0 {
		if _, err := phase(ctx, s, wallets, c.Warmup, 0); err != nil {
			return nil, err
		}
	}

	ed := c.Ed25519
	if ed == 0 {
		ed = measureEd25519()
	}
	procs := make([]procCPU, len(c.PIDs))
	for i, pid := range c.PIDs {
		procs[i] = procCPU{pid: pid, name: fmt.Sprint(pid)}
		if i < len(c.PIDNames) {
			procs[i].name = c.PIDNames[i]
		} else if n := procName(pid); n != "" {
			procs[i].name = n
		}
	}
	self := procCPU{pid: 0, name: "loadtest"}
	for i := range procs {
		if err := procs[i].start(); err != nil {
			return nil, err
		}
	}
	_ = self.start()
	res, err := phase(ctx, s, wallets, c.Duration, c.MaxLogins)
	if err != nil {
		return nil, err
	}
	for i := range procs {
		if err := procs[i].stop(); err != nil {
			return nil, err
		}
	}
	_ = self.stop()
	rep := &Report{Concurrency: c.Concurrency, Elapsed: res.elapsed, Logins: len(res.latencies), Failed: res.failed,
		Errors: res.errors, Ed25519: ed, Procs: append(procs, self)}
	slices.Sort(res.latencies)
	rep.P50, rep.P99 = percentile(res.latencies, 0.50), percentile(res.latencies, 0.99)
	return rep, nil
}

type phaseResult struct {
	elapsed   time.Duration
	latencies []time.Duration
	failed    int
	errors    map[string]int
}

// phase runs the wallets' logins until d passes (or max logins started).
func phase(ctx context.Context, s *site, wallets []*wallet, d time.Duration, max int) (phaseResult, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	deadline := time.Now().Add(d)
	var started atomic.Int64
	var mu sync.Mutex
	res := phaseResult{errors: map[string]int{}}
	var wg sync.WaitGroup
	begin := time.Now()
	for _, w := range wallets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			defer func() {
				mu.Lock()
				res.latencies = append(res.latencies, lat...)
				mu.Unlock()
			}()
			for ctx.Err() == nil && time.Now().Before(deadline) {
				if max > 0 && started.Add(1) > int64(max) {
					return
				}
				t0 := time.Now()
				err := s.login(ctx, w)
				if err != nil {
					if ctx.Err() != nil {
						return
					}
					mu.Lock()
					res.failed++
					res.errors[errorKind(err)]++
					mu.Unlock()
					continue
				}
				lat = append(lat, time.Since(t0))
			}
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(begin)
	if err := ctx.Err(); err != nil && errors.Is(context.Cause(ctx), context.Canceled) && len(res.latencies) == 0 {
		return res, err
	}
	return res, nil
}

// errorKind folds an error into a short key for the report.
func errorKind(err error) string {
	s := err.Error()
	if len(s) > 120 {
		s = s[:120]
	}
	return s
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p)
	return sorted[i]
}
