package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/internal/testshared"
	"github.com/loginwithiota/verifier/testwallet"
)

// runOut runs the command line and returns its exit code, stdout and stderr.
func runOut(t *testing.T, args []string, env map[string]string) (int, string, string) {
	t.Helper()
	var out bytes.Buffer
	old := stdout
	stdout = &out
	defer func() { stdout = old }()
	errFile, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer errFile.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if len(args) == 0 || args[0] != "healthcheck" {
		cancel() // a service that starts stops at once
	}
	code := run(ctx, args, func(k string) string { return env[k] }, errFile)
	errText, _ := os.ReadFile(errFile.Name())
	return code, out.String(), string(errText)
}

// TestHelp: --help lists every flag with its environment variable and
// default, and the subcommands; it is not an error.
func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		code, out, _ := runOut(t, args, nil)
		if code != 0 {
			t.Fatalf("%v: exit %d", args, code)
		}
		for _, f := range serviceFlags {
			for _, want := range []string{"--" + f.name + " " + f.arg, "env " + f.env, "default " + f.def} {
				if !strings.Contains(out, want) {
					t.Errorf("%v: the help lacks %q", args, want)
				}
			}
		}
		for _, want := range []string{"verify", "healthcheck", "version", "--version"} {
			if !strings.Contains(out, want) {
				t.Errorf("%v: the help lacks %q", args, want)
			}
		}
	}
	// An unknown flag points to the help.
	if code, _, errText := runOut(t, []string{"--nope"}, nil); code != 2 || !strings.Contains(errText, "--help") {
		t.Fatalf("unknown flag: %d %q", code, errText)
	}
}

// TestVersion: --version and `version` print the build information.
func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}} {
		code, out, _ := runOut(t, args, nil)
		if code != 0 || !strings.HasPrefix(out, "verifier ") || !strings.Contains(out, "go1.") {
			t.Fatalf("%v: %d %q", args, code, out)
		}
	}
	old := version
	version = "v1.2.3"
	defer func() { version = old }()
	if b := readBuildInfo(); b.Version != "v1.2.3" || b.short() != "v1.2.3" {
		t.Fatalf("-X main.version: %+v", b)
	}
}

// TestConfigFromEnvironment: VERIFIER_CONFIG selects the file; --config
// wins over it.
func TestConfigFromEnvironment(t *testing.T) {
	o, err := parseFlags(nil, func(k string) string { return map[string]string{"VERIFIER_CONFIG": "/etc/verifier.yaml"}[k] })
	if err != nil || o.ConfigPath != "/etc/verifier.yaml" {
		t.Fatalf("%+v %v", o, err)
	}
	o, err = parseFlags([]string{"--config", "mine.yaml"}, func(k string) string { return "/etc/verifier.yaml" })
	if err != nil || o.ConfigPath != "mine.yaml" {
		t.Fatalf("%+v %v", o, err)
	}
	o, _ = parseFlags(nil, func(string) string { return "" })
	if o.ConfigPath != "config.yaml" {
		t.Fatalf("default %q", o.ConfigPath)
	}
	missing := filepath.Join(t.TempDir(), "from-env.yaml")
	if code, _, errText := runOut(t, nil, map[string]string{"VERIFIER_CONFIG": missing}); code != 1 || !strings.Contains(errText, "from-env.yaml") {
		t.Fatalf("%d %q", code, errText)
	}
}

// TestHealthcheck: the subcommand exits 0 against a healthy instance and
// 1 when nothing answers.
func TestHealthcheck(t *testing.T) {
	p := startProgram(t, "memory", "")
	code, out, errText := runOut(t, []string{"healthcheck", "--url", "http://" + p.Addr() + "/healthz"}, nil)
	if code != 0 || strings.TrimSpace(out) != "healthy" {
		t.Fatalf("healthy: %d %q %q", code, out, errText)
	}
	// From VERIFIER_LISTEN, an address on all interfaces asked on loopback.
	_, port, _ := strings.Cut(p.Addr(), ":")
	if code, _, errText := runOut(t, []string{"healthcheck"}, map[string]string{"VERIFIER_LISTEN": "0.0.0.0:" + port}); code != 0 {
		t.Fatalf("from VERIFIER_LISTEN: %d %q", code, errText)
	}
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503) }))
	defer down.Close()
	if code, _, errText := runOut(t, []string{"healthcheck", "--url", down.URL}, nil); code != 1 || !strings.Contains(errText, "503") {
		t.Fatalf("unhealthy: %d %q", code, errText)
	}
}

// TestPublicURLWarning: listening on all interfaces without a public URL,
// or with a loopback one, is warned about at start.
func TestPublicURLWarning(t *testing.T) {
	cfg := testshared.WriteTemp(t, "config.yaml", relaxLimits(shippedConfig(t)))
	for _, tc := range []struct {
		name, listen, publicURL string
		warn                    bool
	}{
		{"unset on all interfaces", "0.0.0.0:0", "", true},
		{"loopback on all interfaces", "[::]:0", "http://localhost:8080", true},
		{"public on all interfaces", "0.0.0.0:0", "https://verifier.example", false},
		{"unset on loopback", "127.0.0.1:0", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var log bytes.Buffer
			p, err := Open(context.Background(), Options{ConfigPath: cfg, Listen: tc.listen, PublicURL: tc.publicURL}, &log)
			if err != nil {
				t.Fatal(err)
			}
			p.Close()
			if got := strings.Contains(log.String(), "level=WARN") && strings.Contains(log.String(), "public"); got != tc.warn {
				t.Fatalf("warned %v, want %v:\n%s", got, tc.warn, log.String())
			}
		})
	}
}

// TestVerifyNow: `verify --now` checks as of that time, with a config that
// has no presentation definitions.
func TestVerifyNow(t *testing.T) {
	issuer, holder := testwallet.NewParty(), testwallet.NewParty()
	vc, err := issuer.Issue(holder.DID, testwallet.Credential{Types: []string{"VerifiableId"},
		IssuanceDate: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), ExpirationDate: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(vc)
	file := testshared.WriteTemp(t, "vc.json", string(raw))
	cfg := testshared.WriteTemp(t, "config.yaml", "policy:\n  clock_skew: 1s\n")
	if code, r, stderr := verifyRun(t, file, "--config", cfg, "--now", "2024-06-01T00:00:00Z"); code != 0 || !r.Valid {
		t.Fatalf("in its validity period: %d %s", code, stderr)
	}
	if code, _, stderr := verifyRun(t, file, "--config", cfg); code != 1 || !strings.Contains(stderr, "expirationDate") {
		t.Fatalf("today: %d %s", code, stderr)
	}
	if code, _, stderr := verifyRun(t, file, "--config", cfg, "--now", "yesterday"); code != 2 || !strings.Contains(stderr, "RFC 3339") {
		t.Fatalf("bad --now: %d %s", code, stderr)
	}
}
