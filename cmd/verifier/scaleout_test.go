package main

import (
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/internal/redistest"
)

// TestThreeInstances: three instances on one Redis; a login is created on
// A, the wallet answers on B, and the browser follows it on C's event
// stream, which says verified.
func TestThreeInstances(t *testing.T) {
	requireRedis(t)
	prefix := "test:" + randomHex(6) + ":"
	var ps [3]*Program
	for i := range ps {
		// One public URL for all (a load balancer's): it is the client_id the wallet signs for.
		ps[i] = node{redisURL: "redis://" + redisAddr() + "/0", prefix: prefix, publicURL: sharedURL}.open(t)
		t.Cleanup(func() { ps[i].Close() })
	}
	a, b, c := ps[0], ps[1], ps[2]
	client := &http.Client{Timeout: 10 * time.Second}
	l := startLogins(t, client, a.direct(), 1)[0]

	events, resp := openEvents(t, client, c.direct()+l.c.StatusURL+"/events", map[string]string{"Authorization": "Bearer " + l.c.StatusToken})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("events on C: %d", resp.StatusCode)
	}
	if ev, _ := nextEvent(t, events, 5*time.Second); ev.name != "pending" {
		t.Fatalf("first event on C: %s", ev.name)
	}
	if err := l.answerVia(client, b.direct(), newLoginWallet(t)); err != nil || l.code != http.StatusOK {
		t.Fatalf("answer on B: %v %d", err, l.code)
	}
	if ev, st := nextEvent(t, events, 5*time.Second); ev.name != "verified" || st.Status != "verified" || st.Result == nil {
		t.Fatalf("C's stream: %s %+v", ev.name, st)
	}
	for _, p := range ps {
		if st := l.statusVia(t, client, p.direct()); st != "verified" {
			t.Errorf("status on %s: %s", p.Addr(), st)
		}
	}
}

// TestRollingRestart: three instances behind a load balancer are restarted
// one after another while wallets answer logins. Every answer that got a
// 200 reads verified afterwards, and the logins left pending (or refused
// while an instance stopped) complete after the restart.
func TestRollingRestart(t *testing.T) {
	requireRedis(t)
	const logins = 120
	prefix := "test:" + randomHex(6) + ":"
	lb := &balancer{}
	front := newFront(t, lb)
	var mu sync.Mutex
	var ps [3]*Program
	var nodes [3]node
	for i := range ps {
		nodes[i] = node{redisURL: "redis://" + redisAddr() + "/0", prefix: prefix, publicURL: front}
		ps[i] = nodes[i].open(t)
		nodes[i].listen = ps[i].Addr() // a restarted instance comes back on its address
	}
	t.Cleanup(func() {
		for _, p := range ps {
			p.Close()
		}
	})
	urls := func() []string {
		var u []string
		for _, p := range ps {
			if p != nil {
				u = append(u, "http://"+p.Addr())
			}
		}
		return u
	}
	lb.set(urls()...)
	client := &http.Client{Timeout: 20 * time.Second}
	all := startLogins(t, client, front, logins)
	w := newLoginWallet(t)

	// Wallets answer the first two thirds while the instances restart.
	answering := all[:2*logins/3]
	done := make(chan struct{})
	progress := make(chan struct{}, logins) // one per answer sent
	go func() {
		defer close(done)
		var wg sync.WaitGroup
		work := make(chan *startedLogin)
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for l := range work {
					_ = l.answerVia(client, front, w) // a failure is fine if nothing was promised
					progress <- struct{}{}
				}
			}()
		}
		for _, l := range answering {
			work <- l
		}
		close(work)
		wg.Wait()
	}()
	// Each restart waits for a few more answers, so answers are in flight
	// across every stop and start.
	awaitAnswers := func(n int) {
		for range n {
			select {
			case <-progress:
			case <-done:
				return
			}
		}
	}
	for i := range ps {
		awaitAnswers(10)
		mu.Lock()
		old := ps[i]
		ps[i] = nil
		lb.set(urls()...)
		mu.Unlock()
		if err := old.Close(); err != nil { // graceful: answers in flight finish
			t.Errorf("close instance %d: %v", i, err)
		}
		p := nodes[i].open(t)
		mu.Lock()
		ps[i] = p
		lb.set(urls()...)
		mu.Unlock()
	}
	<-done

	promised, retried := 0, 0
	for _, l := range all {
		if l.code == http.StatusOK {
			promised++
			if st := l.statusVia(t, client, front); st != "verified" {
				t.Errorf("a login answered 200 reads %s", st)
			}
			continue
		}
		// Not answered yet, or refused while an instance stopped: the
		// session must still be pending, and complete now.
		if st := l.statusVia(t, client, front); st != "pending" {
			t.Errorf("a login never acknowledged reads %s (wallet got %d)", st, l.code)
			continue
		}
		retried++
		if err := l.answerVia(client, front, w); err != nil || l.code != http.StatusOK {
			t.Errorf("answer after the restart: %v %d", err, l.code)
		} else if st := l.statusVia(t, client, front); st != "verified" {
			t.Errorf("after the restart: %s", st)
		}
	}
	t.Logf("%d logins answered 200 during the rolling restart, %d completed after it", promised, retried)
}

// sharedURL is the one public URL of instances that the tests reach
// directly (direct), as a load balancer in front of them would be named.
const sharedURL = "https://verifier.example"

// direct is the instance's own address, bypassing the shared public URL.
func (p *Program) direct() string { return "http://" + p.Addr() }

// newFront serves lb on a free port and returns its URL.
func newFront(t *testing.T, lb *balancer) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: lb, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

// TestRedisRestartThreeInstances: Redis is killed under three instances
// and comes back empty; all three say so on /readyz, then serve again
// without a restart, and a new login created on B, answered on C, is
// followed to the end on A's event stream (A's subscription came back).
func TestRedisRestartThreeInstances(t *testing.T) {
	r := redistest.StartServer(t)
	url := "redis://" + r.Addr + "/0"
	var ps [3]*Program
	for i := range ps {
		ps[i] = node{redisURL: url, prefix: "t:", publicURL: sharedURL}.open(t)
		t.Cleanup(func() { ps[i].Close() })
	}
	client := &http.Client{Timeout: 10 * time.Second}
	// A's subscription exists before the outage.
	before := startLogins(t, client, ps[0].direct(), 1)[0]
	ev0, resp := openEvents(t, client, ps[0].direct()+before.c.StatusURL+"/events", map[string]string{"Authorization": "Bearer " + before.c.StatusToken})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("events: %d", resp.StatusCode)
	}
	if ev, _ := nextEvent(t, ev0, 5*time.Second); ev.name != "pending" {
		t.Fatalf("first event %s", ev.name)
	}

	r.Kill()
	for _, p := range ps {
		eventually(t, 10*time.Second, "readyz 503 on "+p.Addr(), func() bool {
			resp, err := client.Get(p.direct() + "/readyz")
			if err != nil {
				return false
			}
			resp.Body.Close()
			return resp.StatusCode == http.StatusServiceUnavailable
		})
	}
	r.Restart(t)
	for _, p := range ps {
		eventually(t, 10*time.Second, "readyz 200 on "+p.Addr(), func() bool {
			resp, err := client.Get(p.direct() + "/readyz")
			if err != nil {
				return false
			}
			resp.Body.Close()
			return resp.StatusCode == http.StatusOK
		})
	}
	// The old login is gone with Redis's data: its wallet answer changes
	// nothing and says so.
	if err := before.answerVia(client, ps[1].direct(), newLoginWallet(t)); err != nil || before.code != http.StatusBadRequest {
		t.Errorf("answer for a session Redis lost: %v %d", err, before.code)
	}

	l := startLogins(t, client, ps[1].direct(), 1)[0]
	events, resp := openEvents(t, client, ps[0].direct()+l.c.StatusURL+"/events", map[string]string{"Authorization": "Bearer " + l.c.StatusToken})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("events on A after the restart: %d", resp.StatusCode)
	}
	if ev, _ := nextEvent(t, events, 5*time.Second); ev.name != "pending" {
		t.Fatalf("first event %s", ev.name)
	}
	if err := l.answerVia(client, ps[2].direct(), newLoginWallet(t)); err != nil || l.code != http.StatusOK {
		t.Fatalf("answer on C: %v %d", err, l.code)
	}
	if ev, st := nextEvent(t, events, 10*time.Second); ev.name != "verified" || st.Status != "verified" {
		t.Fatalf("A's stream after the restart: %s %+v", ev.name, st)
	}
	if strings.Contains(r.Addr, "6379") {
		t.Log("note: the private Redis happened to get port 6379")
	}
}

// failoverDuring runs logins through three instances on target while
// failover runs, once a third of them are done; every login whose wallet
// got a 200 must read verified afterwards.
func failoverDuring(t *testing.T, redisURL, extra string, logins int, failover func()) {
	var ps [3]*Program
	for i := range ps {
		ps[i] = node{redisURL: redisURL, prefix: "fo:", extra: extra, publicURL: sharedURL}.open(t)
		t.Cleanup(func() { ps[i].Close() })
	}
	client := &http.Client{Timeout: 20 * time.Second}
	w := newLoginWallet(t)
	var (
		mu     sync.Mutex
		acked  []*startedLogin
		failed int
		wg     sync.WaitGroup
		once   sync.Once
		fired  = make(chan struct{})
	)
	work := make(chan int)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				base := ps[(i+g)%3].direct()
				s := &site{t: t, base: base, http: client}
				code, _, body := s.do("POST", "/api/v1/sessions", "application/json", `{"definition":"verifiable-id"}`, nil)
				if code != http.StatusCreated {
					mu.Lock()
					failed++
					mu.Unlock()
					continue
				}
				l := &startedLogin{}
				if err := jsonUnmarshal(body, &l.c); err != nil {
					t.Error(err)
					continue
				}
				r, err := parseRequest(client, l.c.AuthorizationRequest)
				if err != nil {
					t.Error(err)
					continue
				}
				l.req = r
				err = l.answerVia(client, ps[(i+g+1)%3].direct(), w)
				mu.Lock()
				if err == nil && l.code == http.StatusOK {
					acked = append(acked, l)
				} else {
					failed++
				}
				if len(acked)+failed == logins/3 {
					once.Do(func() { close(fired) })
				}
				mu.Unlock()
			}
		}()
	}
	go func() {
		for i := range logins {
			work <- i
		}
		close(work)
	}()
	<-fired
	failover() // on the test's goroutine: it may fail the test
	wg.Wait()
	for _, l := range acked {
		if st := l.settledStatus(t, client, ps[0].direct()); st != "verified" {
			t.Errorf("a login answered 200 reads %s after the failover", st)
		}
	}
	t.Logf("%d logins answered 200 and read verified; %d refused during the failover", len(acked), failed)
	// A third run before the failover starts; fewer than that acked would
	// mean the service never worked, and the check above proved nothing.
	if len(acked) < logins/4 {
		t.Errorf("only %d of %d logins went through", len(acked), logins)
	}
}

// TestClusterFailoverDuringLogins: a 3-master Cluster (one replica each);
// the master of a slot is failed over (CLUSTER FAILOVER) during 1,000
// logins.
func TestClusterFailoverDuringLogins(t *testing.T) {
	c := redistest.StartCluster(t, 3, 1)
	failoverDuring(t, c.URL(), "", 1000, func() {
		old, now := c.Failover(t, "fo:session:{x}")
		t.Logf("failed over %s to %s", old.Addr, now.Addr)
	})
}

// TestClusterMasterCrashDuringLogins: the master of a slot is killed
// during 1,000 logins, and the cluster promotes its replica by itself. A
// crash is not coordinated, so the writes wait for the replica
// (redis.wait_replicas: 1): whatever the wallet was told is on it. The
// crashed node then comes back (as a supervisor would restart it) and
// joins as the new master's replica; until then that shard refuses writes,
// having no replica to wait for.
func TestClusterMasterCrashDuringLogins(t *testing.T) {
	c := redistest.StartCluster(t, 3, 1)
	failoverDuring(t, c.URL(), "  wait_replicas: 1\n", 1000, func() {
		m := c.MasterOf(t, "fo:session:{x}")
		m.Kill()
		now := c.WaitPromoted(t, m, "fo:session:{x}")
		m.Restart(t)
		c.WaitHealthy(t)
		t.Logf("killed master %s; its replica %s took over, and it came back as a replica", m.Addr, now.Addr)
	})
}

// TestSentinelFailoverDuringLogins: a master, a replica and three
// sentinels; SENTINEL FAILOVER during 1,000 logins, with every write
// waiting for the replica (redis.wait_replicas: 1), so nothing the wallet
// was told about lives on the old master only.
func TestSentinelFailoverDuringLogins(t *testing.T) {
	st := redistest.StartSentinel(t, 1, 3)
	failoverDuring(t, st.URL(), "  wait_replicas: 1\n", 1000, func() {
		t.Logf("failed over to %s", st.Failover(t))
	})
}

func parseRequest(client *http.Client, uri string) (*testwalletRequest, error) {
	return testwalletParse(context.Background(), client, uri)
}
