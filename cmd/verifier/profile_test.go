package main

import (
	"context"
	"net/http"
	_ "net/http/pprof" // the profile harness below serves it
	"os"
	"testing"
	"time"
)

// TestServeForProfile is a profiling harness, not a test: with
// VERIFIER_PROFILE_SERVE=30s it runs the whole service on the shipped
// config for that long (on VERIFIER_PROFILE_LISTEN, default
// 127.0.0.1:18080; Redis when VERIFIER_PROFILE_REDIS holds a URL) and
// serves net/http/pprof on VERIFIER_PROFILE_PPROF (default 127.0.0.1:16060),
// so cmd/loadtest can drive it while
//
//	go test -run TestServeForProfile -cpuprofile cpu.out ./cmd/verifier
//
// records the server's profile (docs/performance.md).
func TestServeForProfile(t *testing.T) {
	d, err := time.ParseDuration(os.Getenv("VERIFIER_PROFILE_SERVE"))
	if err != nil {
		t.Skip("a profiling harness: set VERIFIER_PROFILE_SERVE=30s to run it")
	}
	listen := envOr("VERIFIER_PROFILE_LISTEN", "127.0.0.1:18080")
	logs, err := os.Create(t.TempDir() + "/server.log")
	if err != nil {
		t.Fatal(err)
	}
	defer logs.Close()
	p, err := Open(context.Background(), Options{ConfigPath: "../../config.yaml", Listen: listen,
		RedisURL: os.Getenv("VERIFIER_PROFILE_REDIS")}, logs)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	pprofSrv := &http.Server{Addr: envOr("VERIFIER_PROFILE_PPROF", "127.0.0.1:16060"), ReadHeaderTimeout: 5 * time.Second}
	go pprofSrv.ListenAndServe()
	defer pprofSrv.Close()
	t.Logf("serving %s on %s for %v", p.StoreName, p.Addr(), d)
	<-time.After(d) // the harness's lifetime, not a wait for our code
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
