package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

const healthcheckUsage = `usage: verifier healthcheck [--url URL] [--timeout D]

Asks a running instance's /healthz and exits 0 when it answers 200, 1
otherwise: the HEALTHCHECK of the distroless image, which has no shell or
curl. Without --url it asks http://HOST:PORT/healthz of VERIFIER_LISTEN
(an address on all interfaces is asked on loopback), else 127.0.0.1:8080.
`

// runHealthcheck is `verifier healthcheck`.
func runHealthcheck(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	url := fs.String("url", "", "the URL to ask")
	timeout := fs.Duration("timeout", 3*time.Second, "how long to wait")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, healthcheckUsage)
			return 0
		}
		fmt.Fprintf(stderr, "verifier healthcheck: %v\n%s", err, healthcheckUsage)
		return 2
	}
	if *url == "" {
		*url = "http://" + localAddr(getenv("VERIFIER_LISTEN")) + "/healthz"
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *url, nil)
	if err != nil {
		fmt.Fprintf(stderr, "verifier healthcheck: %v\n", err)
		return 2
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintf(stderr, "verifier healthcheck: %s: unhealthy: %v\n", *url, err)
		return 1
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(stderr, "verifier healthcheck: %s: unhealthy: %s\n", *url, resp.Status)
		return 1
	}
	fmt.Fprintf(stdout, "healthy\n")
	return 0
}

// localAddr is where to reach a server listening on listen from the same
// host: an unspecified host (0.0.0.0, [::], none) becomes loopback.
func localAddr(listen string) string {
	if listen == "" {
		return "127.0.0.1:8080"
	}
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return listen
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
