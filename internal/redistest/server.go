package redistest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// Server is one redis-server (or sentinel) process.
type Server struct {
	Addr string
	Port int

	args []string
	dir  string
	opt  goredis.Options // how waitPing reaches it (TLS, a password)
	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
}

// binary is redis-server's path; it skips (or, in CI, fails) without one.
func binary(tb testing.TB) string {
	tb.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("redis-server is required in CI: %v", err)
		}
		tb.Skip("redis-server is not installed")
	}
	return bin
}

// freePort returns a loopback port nobody listens on now.
func freePort(tb testing.TB) int {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// start runs redis-server with a config file of lines (plus the port, bind
// and no persistence) and waits until it answers PING.
func start(tb testing.TB, lines []string, extra ...string) *Server {
	return startWith(tb, goredis.Options{}, "port", lines, extra...)
}

// startWith is start with the client options that reach the server (for
// PING) and the config directive that takes its port (tls-port).
func startWith(tb testing.TB, opt goredis.Options, portKey string, lines []string, extra ...string) *Server {
	tb.Helper()
	bin := binary(tb)
	s := &Server{Port: freePort(tb), dir: tb.TempDir(), opt: opt}
	s.Addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port))
	s.opt.Addr = s.Addr
	portLines := []string{portKey + " " + strconv.Itoa(s.Port)}
	if portKey != "port" {
		portLines = append(portLines, "port 0")
	}
	conf := append(portLines, []string{
		"bind 127.0.0.1",
		`save ""`,
		"appendonly no",
		"dir " + s.dir,
	}...)
	conf = append(conf, lines...)
	path := filepath.Join(s.dir, "redis.conf")
	if err := os.WriteFile(path, []byte(strings.Join(conf, "\n")+"\n"), 0o600); err != nil {
		tb.Fatal(err)
	}
	s.args = append([]string{bin, path}, extra...)
	if err := s.run(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.Kill)
	if err := s.waitPing(10 * time.Second); err != nil {
		tb.Fatal(err)
	}
	return s
}

func (s *Server) run() error {
	cmd := exec.Command(s.args[0], s.args[1:]...)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	s.mu.Lock()
	s.cmd, s.done = cmd, done
	s.mu.Unlock()
	return nil
}

// waitPing polls until the server answers (it is another process: there
// is nothing to be notified by).
func (s *Server) waitPing(d time.Duration) error {
	opt := s.opt
	opt.MaxRetries, opt.DialTimeout = -1, time.Second
	c := goredis.NewClient(&opt)
	defer c.Close()
	deadline := time.Now().Add(d)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("redis on %s did not start: %v", s.Addr, err)
		}
		<-tick.C
	}
}

// CPU is the server process's user+system CPU time so far (from
// /proc/PID/stat, in clock ticks of 10ms), for benchmarks that report the
// server's cost per operation.
func (s *Server) CPU() time.Duration {
	s.mu.Lock()
	pid := s.cmd.Process.Pid
	s.mu.Unlock()
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	str := string(raw)
	f := strings.Fields(str[strings.LastIndexByte(str, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+st) * 10 * time.Millisecond
}

// Kill stops the server at once (SIGKILL: a crash, nothing saved).
func (s *Server) Kill() {
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Kill()
	<-done
}

// Restart starts the server again on the same port and config (empty,
// as after a crash without persistence).
func (s *Server) Restart(tb testing.TB) {
	tb.Helper()
	s.Kill()
	if err := s.run(); err != nil {
		tb.Fatal(err)
	}
	if err := s.waitPing(10 * time.Second); err != nil {
		tb.Fatal(err)
	}
}

// Client is a plain client of this one server, closed with tb.
func (s *Server) Client(tb testing.TB) *goredis.Client {
	opt := s.opt
	c := goredis.NewClient(&opt)
	tb.Cleanup(func() { c.Close() })
	return c
}

// StartServer starts a standalone redis-server; lines are more config
// directives (an ACL user, say).
func StartServer(tb testing.TB, lines ...string) *Server { return start(tb, lines) }

// StartServerAuth starts a server whose only user is user with password
// (the default user is off), as a production server with ACLs is.
func StartServerAuth(tb testing.TB, user, password string) *Server {
	return startWith(tb, goredis.Options{Username: user, Password: password}, "port",
		[]string{"user default off", "user " + user + " on >" + password + " ~* &* +@all"})
}

// info returns the fields of INFO section of a server.
func info(ctx context.Context, c *goredis.Client, section string) (map[string]string, error) {
	raw, err := c.Info(ctx, section).Result()
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(raw))
	for sc.Scan() {
		if k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), ":"); ok {
			out[k] = v
		}
	}
	return out, nil
}

// eventually polls cond until it holds, failing tb after d.
func eventually(tb testing.TB, d time.Duration, what string, cond func() (bool, error)) {
	tb.Helper()
	deadline := time.Now().Add(d)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		ok, err := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("after %v: %s (%v)", d, what, err)
		}
		<-tick.C
	}
}
