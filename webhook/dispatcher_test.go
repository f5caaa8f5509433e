package webhook_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/loginwithiota/verifier/internal/safehttp"
	"github.com/loginwithiota/verifier/session"
	sessionmemory "github.com/loginwithiota/verifier/session/memory"
	"github.com/loginwithiota/verifier/webhook"
	"github.com/loginwithiota/verifier/webhook/memory"
)

// receiver is a website's endpoint: it answers each request with the
// next status of its script (the last one from then on) and keeps what
// it got.
type receiver struct {
	srv *httptest.Server

	mu       sync.Mutex
	statuses []int
	got      []received
	block    chan struct{} // when set, requests wait for it (or their end)
}

type received struct {
	header http.Header
	body   []byte
}

func newReceiver(t *testing.T, statuses ...int) *receiver {
	r := &receiver{statuses: statuses}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, received{header: req.Header.Clone(), body: body})
		status := r.statuses[min(len(r.got), len(r.statuses))-1]
		block := r.block
		r.mu.Unlock()
		if block != nil {
			select {
			case <-block:
			case <-req.Context().Done():
			}
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) requests() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// rig is a dispatcher on a memory outbox and log, posting through a
// guarded client that allows the test's loopback receivers.
type rig struct {
	store   *sessionmemory.Store
	log     *memory.Log
	targets *webhook.Targets
	opts    webhook.Options
}

func newRig(t *testing.T, targets *webhook.Targets) *rig {
	store := sessionmemory.New(sessionmemory.Options{})
	log := memory.New(0, nil)
	client := safehttp.New(safehttp.Options{Timeout: 5 * time.Second, AllowHTTP: true, AllowPrivateAddresses: targets.AllowPrivateAddresses})
	return &rig{store: store, log: log, targets: targets, opts: webhook.Options{
		Queue: store, Log: log, Targets: targets, Client: client, Poll: 5 * time.Millisecond, Lease: time.Minute,
		Backoff:  webhook.Backoff{Initial: 2 * time.Millisecond, Max: 8 * time.Millisecond, Rand: func() float64 { return 0.5 }},
		Instance: "test", Logger: slog.New(slog.DiscardHandler),
	}}
}

// start runs the dispatcher until the test ends (or stop is called).
func (r *rig) start(t *testing.T) (d *webhook.Dispatcher, stop func()) {
	d, err := webhook.New(r.opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	stop = func() { cancel(); <-done }
	t.Cleanup(stop)
	return d, stop
}

// emit completes a new session of definition verifiable-id with one
// event per destination, as the verifier does.
func (r *rig) emit(t *testing.T, status session.Status) session.Session {
	ctx := context.Background()
	now := time.Now().UTC()
	id := strings.ReplaceAll(time.Now().Format("150405.000000000"), ".", "")
	s := session.Session{ID: id, State: id + ".s", DefinitionID: "verifiable-id", Status: session.StatusPending,
		ExpiresAt: now.Add(time.Minute), DeleteAt: now.Add(time.Hour)}
	if err := r.store.Create(ctx, s); err != nil {
		t.Fatal(err)
	}
	done, err := r.store.UpdateEmit(ctx, id, func(s session.Session) (session.Session, []session.Event, error) {
		s.Status, s.CompletedAt = status, now
		if status == session.StatusVerified {
			s.Result = &session.Result{Holder: "did:example:holder", Credentials: []session.Credential{{Type: []string{"VerifiableCredential"}, Issuer: "did:example:issuer", CredentialSubject: map[string]any{"firstName": "Alice"}}}}
		} else {
			s.Error = &session.Error{Code: "access_denied", Description: "the wallet answered access_denied", Reason: "wallet_error"}
		}
		base, _ := session.CompletionEvent(s)
		var evs []session.Event
		for _, dest := range r.targets.For(s) {
			ev := base.Clone()
			ev.Target = dest.URL
			if !dest.IncludeResult {
				ev.Result = nil
			}
			evs = append(evs, ev)
		}
		return s, evs, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return done
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-tick.C:
		case <-deadline.C:
			t.Fatalf("after 10s: %s", what)
		}
	}
}

// state is the state of the log's one record ("" while it has none).
func state(l webhook.Log) webhook.State {
	ds, err := l.List(context.Background(), 10)
	if err != nil || len(ds) != 1 {
		return ""
	}
	return ds[0].State
}

// only returns the one record of the log.
func only(t *testing.T, l webhook.Log) webhook.Delivery {
	t.Helper()
	ds, err := l.List(context.Background(), 10)
	if err != nil || len(ds) != 1 {
		t.Fatalf("log: %d records, %v", len(ds), err)
	}
	return ds[0]
}

var (
	current  = webhook.NewSecret()
	previous = webhook.NewSecret()
)

func secrets(t *testing.T, texts ...string) []webhook.Secret {
	var out []webhook.Secret
	for _, s := range texts {
		sec, err := webhook.ParseSecret(s)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, sec)
	}
	return out
}

// TestDeliverySigned: a verified login reaches its endpoint once, as the
// Standard Webhooks envelope, verified by the scheme's own library with
// either secret of a rotation; the log says delivered.
func TestDeliverySigned(t *testing.T) {
	rcv := newReceiver(t, http.StatusNoContent)
	targets := &webhook.Targets{AllowHTTP: true, AllowPrivateAddresses: true, Endpoints: []webhook.Endpoint{
		{URL: rcv.srv.URL + "/hooks", Secrets: secrets(t, current, previous), IncludeResult: true}}}
	r := newRig(t, targets)
	s := r.emit(t, session.StatusVerified)
	r.start(t)
	eventually(t, "the delivery is logged", func() bool {
		d, err := r.log.List(context.Background(), 1)
		return err == nil && len(d) == 1 && d[0].State == webhook.StateDelivered
	})
	got := rcv.requests()
	if len(got) != 1 {
		t.Fatalf("%d requests, want 1", len(got))
	}
	for _, secret := range []string{current, previous} {
		wh, err := standardwebhooks.NewWebhook(secret)
		if err != nil {
			t.Fatal(err)
		}
		if err := wh.Verify(got[0].body, got[0].header); err != nil {
			t.Errorf("standardwebhooks.Verify with one of the rotating secrets: %v", err)
		}
	}
	if wh, _ := standardwebhooks.NewWebhook(webhook.NewSecret()); wh.Verify(got[0].body, got[0].header) == nil {
		t.Error("a stranger's secret verifies")
	}
	var p webhook.Payload
	if err := json.Unmarshal(got[0].body, &p); err != nil {
		t.Fatal(err)
	}
	if p.Type != session.EventVerified || p.Data.SessionID != s.ID || p.Data.Status != session.StatusVerified ||
		p.Data.Result == nil || p.Data.Result.Holder != "did:example:holder" || !p.Timestamp.Equal(s.CompletedAt) {
		t.Errorf("payload %s", got[0].body)
	}
	d := only(t, r.log)
	if d.EventID != got[0].header.Get("webhook-id") || d.SessionID != s.ID || len(d.Attempts) != 1 || d.Attempts[0].Status != 204 {
		t.Errorf("log %+v", d)
	}
	if evs, _ := r.store.Claim(context.Background(), 10, time.Minute); len(evs) != 0 {
		t.Errorf("a delivered event is still in the outbox: %+v", evs)
	}
}

// TestRetriesThenDelivers: a receiver that fails three times then
// answers 200 gets the event four times, the same webhook-id each time,
// is acknowledged once, and the log shows every attempt.
func TestRetriesThenDelivers(t *testing.T) {
	rcv := newReceiver(t, 500, 503, 429, 200)
	targets := &webhook.Targets{AllowHTTP: true, AllowPrivateAddresses: true, Endpoints: []webhook.Endpoint{
		{URL: rcv.srv.URL, Secrets: secrets(t, current)}}}
	r := newRig(t, targets)
	r.emit(t, session.StatusFailed)
	_, stop := r.start(t)
	eventually(t, "delivered after three failures", func() bool { return state(r.log) == webhook.StateDelivered })
	stop()
	d := only(t, r.log)
	var statuses []int
	for _, a := range d.Attempts {
		statuses = append(statuses, a.Status)
		if a.Instance != "test" {
			t.Errorf("attempt without its instance: %+v", a)
		}
	}
	if want := []int{500, 503, 429, 200}; !equal(statuses, want) || d.Attempts[0].Error != "unexpected HTTP status 500" {
		t.Errorf("attempts %+v, want statuses %v", d.Attempts, want)
	}
	got := rcv.requests()
	if len(got) != 4 {
		t.Fatalf("%d requests, want 4", len(got))
	}
	for _, g := range got {
		if g.header.Get("webhook-id") != d.EventID {
			t.Errorf("webhook-id %q, want the event id %s every time", g.header.Get("webhook-id"), d.EventID)
		}
	}
	var p webhook.Payload
	if err := json.Unmarshal(got[3].body, &p); err != nil || p.Data.Error == nil || p.Data.Error.Code != "access_denied" || p.Data.Result != nil {
		t.Errorf("failed login's payload %s", got[3].body)
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestGivesUpAtHorizon: a receiver that never answers 2xx is given up
// once the next attempt would fall past the horizon; the event leaves
// the outbox, the log says failed.
func TestGivesUpAtHorizon(t *testing.T) {
	rcv := newReceiver(t, 500)
	targets := &webhook.Targets{AllowHTTP: true, AllowPrivateAddresses: true, Endpoints: []webhook.Endpoint{{URL: rcv.srv.URL, Secrets: secrets(t, current)}}}
	r := newRig(t, targets)
	r.opts.Backoff.Horizon = 40 * time.Millisecond
	r.emit(t, session.StatusFailed)
	r.start(t)
	eventually(t, "given up", func() bool { return state(r.log) == webhook.StateFailed })
	if evs, _ := r.store.Claim(context.Background(), 10, time.Minute); len(evs) != 0 {
		t.Errorf("a given-up event is still in the outbox")
	}
	if n := len(rcv.requests()); n < 2 || n != len(only(t, r.log).Attempts) {
		t.Errorf("%d requests, %d attempts logged", n, len(only(t, r.log).Attempts))
	}
}

// TestIncludeResultFalse: an endpoint without results gets the verified
// event without holder or credentials, while another endpoint of the
// same login gets them: one event each, each its own id.
func TestIncludeResultFalse(t *testing.T) {
	with, without := newReceiver(t, 200), newReceiver(t, 200)
	targets := &webhook.Targets{AllowHTTP: true, AllowPrivateAddresses: true, Endpoints: []webhook.Endpoint{
		{URL: with.srv.URL, Secrets: secrets(t, current), IncludeResult: true},
		{URL: without.srv.URL, Secrets: secrets(t, previous), Definitions: []string{"verifiable-id"}},
		{URL: without.srv.URL + "/other", Secrets: secrets(t, previous), Definitions: []string{"another-definition"}},
	}}
	r := newRig(t, targets)
	r.emit(t, session.StatusVerified)
	r.start(t)
	eventually(t, "both delivered", func() bool { return len(with.requests()) == 1 && len(without.requests()) == 1 })
	var a, b webhook.Payload
	_ = json.Unmarshal(with.requests()[0].body, &a)
	_ = json.Unmarshal(without.requests()[0].body, &b)
	if a.Data.Result == nil || b.Data.Result != nil || b.Data.Status != session.StatusVerified {
		t.Errorf("with: %s\nwithout: %s", with.requests()[0].body, without.requests()[0].body)
	}
	if with.requests()[0].header.Get("webhook-id") == without.requests()[0].header.Get("webhook-id") {
		t.Error("two destinations share an event id")
	}
}

// TestPrivateAddressRefusedAtDial: without allow_private_addresses the
// client refuses the loopback receiver when it dials: nothing reaches
// it, the log names the refusal's kind only.
func TestPrivateAddressRefusedAtDial(t *testing.T) {
	rcv := newReceiver(t, 200)
	targets := &webhook.Targets{AllowHTTP: true, Endpoints: []webhook.Endpoint{{URL: rcv.srv.URL, Secrets: secrets(t, current)}}}
	r := newRig(t, targets)
	r.opts.Backoff.Horizon = 20 * time.Millisecond
	r.emit(t, session.StatusFailed)
	r.start(t)
	eventually(t, "given up", func() bool { return state(r.log) == webhook.StateFailed })
	if n := len(rcv.requests()); n != 0 {
		t.Fatalf("the private address got %d requests", n)
	}
	if d := only(t, r.log); d.GaveUp != "the retry horizon has passed" {
		t.Errorf("given up for %q", d.GaveUp)
	}
	a := only(t, r.log).Attempts[0]
	if a.Error != safehttp.ErrAddressNotAllowed.Error() || strings.Contains(a.Error, "127.0.0.1") {
		t.Errorf("attempt error %q", a.Error)
	}
}

// TestDoneBeforeIsAcknowledged: an event whose delivery the log already
// has as done (the instance stopped between logging and acknowledging)
// is acknowledged without another request; one whose target left the
// config is given up without one.
func TestDoneBeforeIsAcknowledged(t *testing.T) {
	rcv := newReceiver(t, 200)
	targets := &webhook.Targets{AllowHTTP: true, AllowPrivateAddresses: true, Endpoints: []webhook.Endpoint{{URL: rcv.srv.URL, Secrets: secrets(t, current)}}}
	r := newRig(t, targets)
	r.emit(t, session.StatusFailed)
	evs, err := r.store.Claim(context.Background(), 10, time.Nanosecond) // a lease that lapses at once
	if err != nil || len(evs) != 1 {
		t.Fatal(len(evs), err)
	}
	d := webhook.Delivery{EventID: evs[0].ID, SessionID: evs[0].SessionID, State: webhook.StateDelivered, CreatedAt: evs[0].At, UpdatedAt: time.Now()}
	if err := r.log.Record(context.Background(), d, &webhook.Attempt{At: time.Now(), Status: 200}); err != nil {
		t.Fatal(err)
	}
	targets.Endpoints = append(targets.Endpoints, webhook.Endpoint{URL: rcv.srv.URL + "/gone", Secrets: secrets(t, current)})
	r.emit(t, session.StatusFailed)
	targets.Endpoints = targets.Endpoints[:1] // the operator removed it
	r.start(t)
	done := func(ds []webhook.Delivery) bool {
		for _, d := range ds {
			if d.State != webhook.StateDelivered && d.State != webhook.StateFailed {
				return false
			}
		}
		return len(ds) == 3
	}
	eventually(t, "the three events are done", func() bool {
		ds, _ := r.log.List(context.Background(), 10)
		return done(ds)
	})
	if evs, _ := r.store.Claim(context.Background(), 10, time.Minute); len(evs) != 0 {
		t.Errorf("events left in the outbox: %+v", evs)
	}
	if n := len(rcv.requests()); n != 1 {
		t.Errorf("%d requests, want 1 (the second login's, to the remaining endpoint)", n)
	}
	ds, _ := r.log.List(context.Background(), 10)
	for _, d := range ds {
		if strings.HasSuffix(d.Target, "/gone") && (d.State != webhook.StateFailed || len(d.Attempts) != 0 || d.GaveUp != "the target is no longer configured") {
			t.Errorf("removed target's record %+v", d)
		}
	}
}

// TestShutdownReleases: a delivery interrupted by the instance's stop is
// not counted as an attempt, and its event is due again at once.
func TestShutdownReleases(t *testing.T) {
	rcv := newReceiver(t, 200)
	rcv.block = make(chan struct{})
	defer close(rcv.block)
	targets := &webhook.Targets{AllowHTTP: true, AllowPrivateAddresses: true, Endpoints: []webhook.Endpoint{{URL: rcv.srv.URL, Secrets: secrets(t, current)}}}
	r := newRig(t, targets)
	r.emit(t, session.StatusFailed)
	_, stop := r.start(t)
	eventually(t, "the receiver holds the request", func() bool { return len(rcv.requests()) == 1 })
	stop()
	evs, err := r.store.Claim(context.Background(), 10, time.Minute)
	if err != nil || len(evs) != 1 {
		t.Fatalf("after the stop the outbox hands out %d events (%v), want the interrupted one", len(evs), err)
	}
	if _, err := r.log.Get(context.Background(), evs[0].ID); !errors.Is(err, webhook.ErrNotFound) {
		t.Errorf("an interrupted delivery was logged as an attempt: %v", err)
	}
}
