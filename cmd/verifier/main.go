// Command verifier is the Login-with-IOTA OID4VP verifier service.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
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

// stdout is where help and versions go (tests replace it).
var stdout io.Writer = os.Stdout

// run is main without the process: tests call it.
func run(ctx context.Context, args []string, getenv func(string) string, stderr *os.File) int {
	if len(args) > 0 {
		switch args[0] {
		case "verify": // verify.go
			return runVerifyEnv(ctx, args[1:], getenv, os.Stdin, stdout, stderr)
		case "healthcheck": // healthcheck.go
			return runHealthcheck(ctx, args[1:], getenv, stdout, stderr)
		case "webhooks": // webhooks_cli.go
			return runWebhooks(args[1:], stdout, stderr)
		case "version":
			fmt.Fprintln(stdout, readBuildInfo())
			return 0
		case "help":
			fmt.Fprint(stdout, usage())
			return 0
		}
	}
	opts, err := parseFlags(args, getenv)
	switch {
	case errors.Is(err, errHelp):
		fmt.Fprint(stdout, usage())
		return 0
	case errors.Is(err, errVersion):
		fmt.Fprintln(stdout, readBuildInfo())
		return 0
	case err != nil:
		fmt.Fprintf(stderr, "verifier: %v\n", err)
		return 2
	}
	p, err := Open(ctx, opts, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "verifier: %s\n", oneLine(err))
		return 1
	}
	p.Log.Info("listening", "addr", p.Addr(), "public_url", p.PublicURL, "store", p.StoreName, "version", p.Version)
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
