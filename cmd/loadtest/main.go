package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args)
	if err != nil {
		fmt.Fprintf(stderr, "loadtest: %v\n", err)
		return 2
	}
	if cfg.CPUProfile != "" {
		f, err := os.Create(cfg.CPUProfile)
		if err != nil {
			fmt.Fprintf(stderr, "loadtest: %v\n", err)
			return 1
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintf(stderr, "loadtest: %v\n", err)
			return 1
		}
		defer pprof.StopCPUProfile()
	}
	// The generator trades memory for CPU: it shares the machine with what
	// it measures, and its heap is small and short-lived.
	debug.SetGCPercent(400)
	rep, err := Run(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "loadtest: %v\n", err)
		return 1
	}
	rep.Print(stdout)
	if rep.Failed > 0 {
		return 1
	}
	return 0
}

func parseFlags(args []string) (Config, error) {
	var c Config
	var pids, names string
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.URL, "url", "http://127.0.0.1:8080", "the verifier's public URL")
	fs.StringVar(&c.Definition, "definition", "verifiable-id", "presentation definition to log in with")
	fs.IntVar(&c.Concurrency, "c", 16, "logins in flight at once")
	fs.DurationVar(&c.Duration, "d", 10*time.Second, "how long to run")
	fs.IntVar(&c.MaxLogins, "n", 0, "stop after this many logins (0: only the duration bounds the run)")
	fs.DurationVar(&c.Warmup, "warmup", time.Second, "logins run before measuring (connections, caches)")
	fs.StringVar(&pids, "pid", "", "comma-separated pids whose CPU per login to report (the verifier, redis-server)")
	fs.StringVar(&names, "pid-names", "", "comma-separated names for -pid (default: the process names)")
	fs.StringVar(&c.CPUProfile, "cpuprofile", "", "write the load generator's own CPU profile to this file")
	fs.DurationVar(&c.Ed25519, "ed25519", 0, "cost of one Ed25519 verification (0: measure it here)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return c, errors.New("usage: loadtest [-url URL] [-definition ID] [-c N] [-d DURATION] [-n N] [-pid PID,PID] [-ed25519 DURATION]")
		}
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if c.Concurrency < 1 {
		return c, errors.New("-c must be at least 1")
	}
	if c.Duration <= 0 || c.Duration > time.Hour {
		return c, errors.New("-d must be between 0 and 1h")
	}
	for _, p := range strings.Split(pids, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		n, err := strconv.Atoi(p)
		if err != nil || n <= 0 {
			return c, fmt.Errorf("-pid: %q is not a pid", p)
		}
		c.PIDs = append(c.PIDs, n)
	}
	for _, n := range strings.Split(names, ",") {
		if n = strings.TrimSpace(n); n != "" {
			c.PIDNames = append(c.PIDNames, n)
		}
	}
	return c, nil
}
