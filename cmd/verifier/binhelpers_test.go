package main

import (
	"bufio"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/internal/testshared"
)

// builtBinary is the program built once per test run.
var builtBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "verifier-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "verifier")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", &buildError{out: string(out), err: err}
	}
	return bin, nil
})

type buildError struct {
	out string
	err error
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.out }

// binary is the built program running as a separate process.
type binary struct {
	cmd  *exec.Cmd
	base string
	log  *syncBuffer
}

// syncBuffer collects the program's stderr.
type syncBuffer struct {
	mu    sync.Mutex
	lines []string
}

func (b *syncBuffer) add(l string) { b.mu.Lock(); b.lines = append(b.lines, l); b.mu.Unlock() }

// String is everything logged so far.
func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Join(b.lines, "\n")
}

// startBinary runs the built program on cfg (the config file's text) on
// the named store, on a free port, and stops it when the test ends.
func startBinary(t *testing.T, store, cfg string) *binary {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin, err := builtBinary()
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	cfg = relaxLimits(cfg)
	args := []string{"--config", testshared.WriteTemp(t, "config.yaml", cfg), "--listen", "127.0.0.1:0"}
	if store == "redis" {
		requireRedis(t)
		cfg = "redis:\n  key_prefix: \"test:bin:" + randomHex(6) + ":\"\n" + strings.Replace(cfg, "# redis:", "# (redis set above)", 1)
		args = []string{"--config", testshared.WriteTemp(t, "config.yaml", cfg), "--listen", "127.0.0.1:0", "--redis", "redis://" + redisAddr() + "/0"}
	}
	cmd := exec.Command(bin, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	b := &binary{cmd: cmd, log: &syncBuffer{}}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
		}
	})
	addr := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`msg=listening addr=(\S+)`)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			b.log.add(sc.Text())
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
	}()
	select {
	case a := <-addr:
		b.base = "http://" + a
	case <-time.After(20 * time.Second):
		t.Fatalf("the verifier did not report its address; log:\n%s", b.log)
	}
	return b
}

// site is a website and its user's browser on the binary.
func (b *binary) site(t *testing.T) *site {
	jar, _ := cookiejar.New(nil)
	return &site{t: t, base: b.base, http: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

// pid is the process id, for CPU and memory readings.
func (b *binary) pid() int { return b.cmd.Process.Pid }
