package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// bins are the built programs, made once by TestMain.
var bins = map[string]string{}

// repo is the repository root (config.yaml, issuer.yaml).
var repo string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "wallet-e2e-")
	if err != nil {
		panic(err)
	}
	wd, _ := os.Getwd()
	repo = filepath.Clean(filepath.Join(wd, "..", ".."))
	for name, pkg := range map[string]string{"verifier": "../verifier", "issuer": "../issuer", "wallet": "."} {
		bins[name] = filepath.Join(dir, name)
		if out, err := exec.Command("go", "build", "-o", bins[name], pkg).CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "go build %s: %v\n%s", pkg, err, out)
			os.Exit(1)
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// service is a running verifier or issuer.
type service struct {
	URL  string
	mu   sync.Mutex
	logs bytes.Buffer
}

func (s *service) Logs() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logs.String()
}

// urlAttr finds the URL in a service's "listening" line: the verifier's
// public_url, the issuer's credential_issuer.
var urlAttr = regexp.MustCompile(`msg=listening .*(?:public_url|credential_issuer)=(\S+)`)

// startService runs bin in dir with args and env and waits until it
// listens; it is stopped (SIGTERM) when the test ends.
func startService(t *testing.T, bin, dir string, env []string, args ...string) *service {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &service{}
	ready, done := make(chan string, 1), make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			s.mu.Lock()
			s.logs.WriteString(sc.Text() + "\n")
			s.mu.Unlock()
			if m := urlAttr.FindStringSubmatch(sc.Text()); m != nil {
				ready <- m[1]
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
		<-done
	})
	select {
	case s.URL = <-ready:
	case <-done:
		t.Fatalf("%s exited:\n%s", filepath.Base(bin), s.Logs())
	case <-time.After(60 * time.Second):
		t.Fatalf("%s did not start:\n%s", filepath.Base(bin), s.Logs())
	}
	return s
}

// walletRun runs the built wallet; stdin may be "".
func walletRun(t *testing.T, home, stdin string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(bins["wallet"], append([]string{"--home", home}, args...)...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if err != nil {
		return out.String() + errb.String(), err
	}
	return out.String(), nil
}

// browser is a website's visitor: a cookie jar, no redirects followed.
type browser struct {
	t *testing.T
	c *http.Client
}

func newBrowser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, c: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

func (b *browser) json(method, u string, body any, out any) int {
	b.t.Helper()
	var r io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		r = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, u, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil {
		_ = json.Unmarshal(raw, out)
	}
	return resp.StatusCode
}

func (b *browser) page(u string) string {
	b.t.Helper()
	resp, err := b.c.Get(u)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return string(raw)
}

// redisURL is the test Redis; skip without one, except in CI.
func redisURL(t *testing.T) string {
	addr := os.Getenv("VERIFIER_TEST_REDIS")
	if addr == "" {
		addr = "127.0.0.1:6379"
	}
	c := goredis.NewClient(&goredis.Options{Addr: addr})
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("no Redis at %s: %v", addr, err)
		}
		t.Fatalf("no Redis at %s in CI: %v", addr, err)
	}
	return "redis://" + addr + "/0"
}

// copyFile copies a repository file into dir.
func copyFile(t *testing.T, name, dir string) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repo, name))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), raw, 0o644); err != nil {
		t.Fatal(err)
	}
}

func jsonDecode(r io.Reader, v any) error { return json.NewDecoder(r).Decode(v) }

// walletCommand is the built wallet with args and stdin, in the test's
// environment.
func walletCommand(args []string, stdin string) *exec.Cmd {
	cmd := exec.Command(bins["wallet"], args...)
	cmd.Stdin = strings.NewReader(stdin)
	return cmd
}
