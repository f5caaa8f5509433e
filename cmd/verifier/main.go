// Command verifier is the Login-with-IOTA OID4VP verifier service.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stderr)
	stop()
	os.Exit(code)
}

// run is main without the process: tests call it.
func run(ctx context.Context, args []string, getenv func(string) string, stderr *os.File) int {
	if len(args) > 0 && args[0] == "verify" { // verify.go
		return runVerify(ctx, args[1:], os.Stdin, os.Stdout, stderr)
	}
	opts, err := parseFlags(args, getenv)
	if err != nil {
		fmt.Fprintf(stderr, "verifier: %v\n", err)
		return 2
	}
	p, err := Open(ctx, opts, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "verifier: %s\n", oneLine(err))
		return 1
	}
	p.Log.Info("listening", "addr", p.Addr(), "public_url", p.PublicURL, "store", p.StoreName)
	<-ctx.Done()
	p.Log.Info("shutting down")
	if err := p.Close(); err != nil {
		fmt.Fprintf(stderr, "verifier: shutdown: %v\n", err)
		return 1
	}
	return 0
}

// oneLine folds a multi-line error (YAML decoding gives those) into the one
// clear line the contract asks for.
func oneLine(err error) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", "; ")), " ")
}
