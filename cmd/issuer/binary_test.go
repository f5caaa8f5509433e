package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/issuer/issuertest"
)

// issuerBin is the built command, made once by TestMain.
var issuerBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "issuer-bin-")
	if err != nil {
		panic(err)
	}
	issuerBin = filepath.Join(dir, "issuer")
	if out, err := exec.Command("go", "build", "-o", issuerBin, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const testAPIKey = "issuer-test-api-key-0123456789"

// proc is a running issuer.
type proc struct {
	URL  string
	cmd  *exec.Cmd
	mu   sync.Mutex
	logs strings.Builder
	done chan struct{}
}

// Logs is everything the process wrote.
func (p *proc) Logs() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.logs.String()
}

// start runs the built issuer with config (YAML) in dir, on a free port,
// and waits for its "listening" line.
func start(t *testing.T, dir, config string, extraArgs ...string) *proc {
	t.Helper()
	cfgPath := filepath.Join(dir, "issuer.yaml")
	if err := os.WriteFile(cfgPath, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"--config", cfgPath, "--listen", "127.0.0.1:0"}, extraArgs...)
	cmd := exec.Command(issuerBin, args...)
	cmd.Env = append(os.Environ(), "ISSUER_API_KEY="+testAPIKey)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, done: make(chan struct{})}
	ready := make(chan string, 1)
	go func() {
		defer close(p.done)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			p.mu.Lock()
			p.logs.WriteString(line + "\n")
			p.mu.Unlock()
			var rec map[string]any
			if json.Unmarshal([]byte(line), &rec) == nil && rec["msg"] == "listening" {
				ready <- rec["credential_issuer"].(string)
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
		<-p.done
	})
	select {
	case p.URL = <-ready:
	case <-p.done:
		t.Fatalf("the issuer exited:\n%s", p.Logs())
	case <-time.After(30 * time.Second):
		t.Fatalf("the issuer did not start:\n%s", p.Logs())
	}
	return p
}

// baseConfig is a test issuer's config: JSON logs (parsed above), the
// repository's configurations (the defaults), lifetimes from the caller.
func baseConfig(extra string) string {
	return "log: {format: json, level: debug}\ndemo: {enabled: true}\n" + extra
}

func client(t *testing.T, p *proc) *issuertest.Client {
	return &issuertest.Client{T: t, Base: p.URL, APIKey: testAPIKey}
}

// eventually polls cond on a ticker until it holds or the deadline passes.
func eventually(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatal(what)
		case <-tick.C:
		}
	}
}
