package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/internal/testshared"
)

// privateRedis runs a redis-server of the test's own, so it can be stopped.
type privateRedis struct {
	t    *testing.T
	port int
	cmd  *exec.Cmd
}

func startPrivateRedis(t *testing.T, port int) *privateRedis {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("redis-server is required in CI: %v", err)
		}
		t.Skip("redis-server not installed")
	}
	if port == 0 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port = ln.Addr().(*net.TCPAddr).Port
		ln.Close()
	}
	cmd := exec.Command(bin, "--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", t.TempDir())
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := &privateRedis{t: t, port: port, cmd: cmd}
	t.Cleanup(r.stop)
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			c.Close()
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("private redis did not start: %v", err)
		}
		time.Sleep(20 * time.Millisecond) // waiting for an external process, not for our code
	}
}

func (r *privateRedis) stop() {
	if r.cmd.Process != nil && r.cmd.ProcessState == nil {
		_ = r.cmd.Process.Kill()
		_, _ = r.cmd.Process.Wait()
	}
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestRedisOutage: with Redis down the service answers 503 (readyz and
// API) without panicking, and resumes by itself when Redis is back.
func TestRedisOutage(t *testing.T) {
	r := startPrivateRedis(t, 0)
	path := testshared.WriteTemp(t, "config.yaml", shippedConfig(t))
	p, err := Open(context.Background(), Options{ConfigPath: path, Listen: "127.0.0.1:0", RedisURL: fmt.Sprintf("redis://127.0.0.1:%d/0", r.port)}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	s := newSite(t, p)
	c := s.start("verifiable-id", "cross-device")
	state := stateOf(t, c)

	r.stop()
	eventually(t, 10*time.Second, "readyz 503", func() bool {
		code, _, _ := s.do("GET", "/readyz", "", "", nil)
		return code == http.StatusServiceUnavailable
	})
	for _, req := range []struct{ method, path, ctype, body string }{
		{"POST", "/api/v1/sessions", "application/json", `{"definition":"verifiable-id"}`},
		{"GET", c.StatusURL, "", ""},
		{"POST", "/oid4vp/response", "application/x-www-form-urlencoded", "state=" + url.QueryEscape(state) + "&vp_token=%7B%7D&presentation_submission=%7B%7D"},
	} {
		code, _, body := s.do(req.method, req.path, req.ctype, req.body, map[string]string{"Authorization": "Bearer " + c.StatusToken})
		if code != http.StatusServiceUnavailable || decodeError(t, body).Error != "temporarily_unavailable" || strings.Contains(string(body), "redis") {
			t.Errorf("%s %s with Redis down: %d %s", req.method, req.path, code, body)
		}
	}
	if code, _, _ := s.do("GET", "/healthz", "", "", nil); code != 200 {
		t.Errorf("healthz with Redis down: %d", code)
	}

	startPrivateRedis(t, r.port) // empty again: the old session is gone, new ones work
	eventually(t, 10*time.Second, "readyz 200", func() bool {
		code, _, _ := s.do("GET", "/readyz", "", "", nil)
		return code == http.StatusOK
	})
	c2 := s.start("verifiable-id", "cross-device")
	if st := s.status(c2); st.Status != "pending" {
		t.Fatalf("after recovery: %+v", st)
	}
}

// stateOf is the wallet-facing state of a started login.
func stateOf(t *testing.T, c created) string {
	t.Helper()
	_, q, _ := strings.Cut(c.AuthorizationRequest, "?")
	v, err := url.ParseQuery(q)
	if err != nil || v.Get("state") == "" {
		t.Fatalf("no state in %s", c.AuthorizationRequest)
	}
	return v.Get("state")
}
