package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// clockTick is Linux's USER_HZ, the unit of utime and stime in
// /proc/PID/stat: 100 on every architecture Go supports there.
const clockTick = 10 * time.Millisecond

// procCPU measures one process's CPU time (user + system) over the run;
// pid 0 is this process.
type procCPU struct {
	pid        int
	name       string
	begin, cpu time.Duration
}

func (p *procCPU) path() string {
	if p.pid == 0 {
		return "/proc/self/stat"
	}
	return fmt.Sprintf("/proc/%d/stat", p.pid)
}

func (p *procCPU) start() error {
	t, err := cpuTime(p.path())
	p.begin = t
	return err
}

func (p *procCPU) stop() error {
	t, err := cpuTime(p.path())
	p.cpu = t - p.begin
	return err
}

// cpuTime reads utime+stime of a /proc/PID/stat file.
func cpuTime(path string) (time.Duration, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	// The command name (field 2) is in parentheses and may hold spaces:
	// the fields after the last ')' are state (3), ppid (4), … utime (14), stime (15).
	s := string(raw)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, fmt.Errorf("%s: unexpected format", path)
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("%s: unexpected format", path)
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("%s: unexpected format", path)
	}
	return time.Duration(utime+stime) * clockTick, nil
}

func procName(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// measureEd25519 times one Ed25519 verification of a message the size of
// a canonicalized presentation (1 KiB): the fastest of many short rounds,
// since on a shared machine the slower ones measure the neighbours.
func measureEd25519() time.Duration {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	msg := make([]byte, 1024)
	_, _ = rand.Read(msg)
	sig := ed25519.Sign(priv, msg)
	const n = 100
	rounds := make([]time.Duration, 25)
	for r := range rounds {
		t0 := time.Now()
		for range n {
			if !ed25519.Verify(pub, msg, sig) {
				panic("ed25519: own signature does not verify")
			}
		}
		rounds[r] = time.Since(t0) / n
	}
	slices.Sort(rounds)
	return rounds[0]
}
