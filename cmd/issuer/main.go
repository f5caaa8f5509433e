// Command issuer is the Login-with-IOTA test credential issuer: an
// OpenID for Verifiable Credential Issuance 1.0 issuer for the
// pre-authorized code flow (package issuer), configured from issuer.yaml.
//
//	issuer [--config FILE] [--listen HOST:PORT] [--public-url URL] [--redis URL]
//
// The settings also come from ISSUER_LISTEN, ISSUER_PUBLIC_URL,
// ISSUER_REDIS_URL (flags win over the environment, the environment over
// the file); the operator API key only from ISSUER_API_KEY or the file,
// never from a flag (process lists show flags).
package main

import (
	"context"
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

// run is main without the process: tests call it.
func run(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) int {
	opts, err := parseFlags(args, getenv)
	if err != nil {
		fmt.Fprintf(stderr, "issuer: %v\n", err)
		return 2
	}
	p, err := Open(ctx, opts, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "issuer: %s\n", oneLine(err))
		return 1
	}
	attrs := []any{"addr", p.Addr(), "credential_issuer", p.PublicURL, "did", p.DID, "store", p.StoreName,
		"operator_api", p.APIEnabled}
	if p.DemoURL != "" {
		attrs = append(attrs, "test_credentials", p.DemoURL)
	}
	p.Log.Info("listening", attrs...)
	<-ctx.Done()
	p.Log.Info("shutting down")
	if err := p.Close(); err != nil {
		fmt.Fprintf(stderr, "issuer: shutdown: %v\n", err)
		return 1
	}
	return 0
}

// oneLine folds a multi-line error into one clear line.
func oneLine(err error) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", "; ")), " ")
}
