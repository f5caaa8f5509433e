package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"time"
)

// Report is one measured run.
type Report struct {
	Concurrency int
	Elapsed     time.Duration
	Logins      int // completed and verified
	Failed      int
	Errors      map[string]int
	P50, P99    time.Duration
	Ed25519     time.Duration // one verification on this machine
	Procs       []procCPU
}

// PerSecond is the rate of verified logins.
func (r *Report) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Logins) / r.Elapsed.Seconds()
}

// PerLogin is a process's CPU per verified login.
func (r *Report) PerLogin(p procCPU) time.Duration {
	if r.Logins == 0 {
		return 0
	}
	return p.cpu / time.Duration(r.Logins)
}

func (r *Report) Print(w io.Writer) {
	fmt.Fprintf(w, "logins        %d verified, %d failed, in %.1fs at concurrency %d\n", r.Logins, r.Failed, r.Elapsed.Seconds(), r.Concurrency)
	fmt.Fprintf(w, "rate          %.0f logins/s\n", r.PerSecond())
	fmt.Fprintf(w, "latency       p50 %s  p99 %s (a whole login: create, request, definition, answer, status)\n", ms(r.P50), ms(r.P99))
	fmt.Fprintf(w, "ed25519       %s per verification here (two per login: presentation and credential)\n", us(r.Ed25519))
	for _, p := range r.Procs {
		per := r.PerLogin(p)
		fmt.Fprintf(w, "cpu %-9s %s per login = %.1f× two Ed25519 verifications (%.2fs in all)\n",
			p.name, us(per), float64(per)/float64(2*r.Ed25519), p.cpu.Seconds())
	}
	for _, k := range slices.Sorted(maps.Keys(r.Errors)) {
		fmt.Fprintf(w, "error         %d× %s\n", r.Errors[k], k)
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond)) }
func us(d time.Duration) string { return fmt.Sprintf("%.0fµs", float64(d)/float64(time.Microsecond)) }
