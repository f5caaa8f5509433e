package verifier_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/did"
	didkey "github.com/loginwithiota/verifier/did/key"
	"github.com/loginwithiota/verifier/oauth"
	"github.com/loginwithiota/verifier/pex"
	"github.com/loginwithiota/verifier/session"
	"github.com/loginwithiota/verifier/session/memory"
	"github.com/loginwithiota/verifier/verifier"
)

// withEvents sends every completion to two targets, one with the result,
// and allows webhook_url on hooks.example.
func withEvents(c *verifier.Config) {
	c.DefinitionByValue = true
	c.Events = verifier.EventOptions{
		Targets: func(s session.Session) []verifier.EventTarget {
			out := []verifier.EventTarget{{URL: "https://backend.example/all", IncludeResult: true}, {URL: "https://stats.example/"}}
			if s.WebhookURL != "" {
				out = append(out, verifier.EventTarget{URL: s.WebhookURL})
			}
			return out
		},
		CheckWebhookURL: func(raw string) error {
			if !strings.HasPrefix(raw, "https://hooks.example/") {
				return errors.New("webhook_url: the host is not one the operator allows")
			}
			return nil
		},
	}
}

func claimAll(t *testing.T, store session.Store) []session.Event {
	t.Helper()
	evs, err := store.(session.Outbox).Claim(context.Background(), 100, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// TestCompletionEvents: a verified login and a declined one each write
// one event per target in their completion: the result only for the
// target that takes it, the session's own webhook_url among them.
func TestCompletionEvents(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Now().UTC().Truncate(time.Second)} // the test wallet signs with the real time
	v, store := newVerifier(t, clk, withEvents)
	started, err := v.StartLogin(ctx, verifier.Start{Definition: "verifiable-id", WebhookURL: "https://hooks.example/login?site=7"})
	if err != nil {
		t.Fatal(err)
	}
	if started.Session.WebhookURL != "https://hooks.example/login?site=7" {
		t.Fatalf("session's webhook_url %q", started.Session.WebhookURL)
	}
	answer(t, v, started)
	evs := claimAll(t, store)
	if len(evs) != 3 {
		t.Fatalf("%d events, want 3 (two endpoints and the session's URL)", len(evs))
	}
	byTarget := map[string]session.Event{}
	for _, ev := range evs {
		byTarget[ev.Target] = ev
		if ev.Type != session.EventVerified || ev.SessionID != started.Session.ID || ev.DefinitionID != "verifiable-id" || !ev.At.Equal(clk.Now()) {
			t.Errorf("event %+v", ev)
		}
	}
	if byTarget["https://backend.example/all"].Result == nil || byTarget["https://stats.example/"].Result != nil ||
		byTarget["https://hooks.example/login?site=7"].Result != nil {
		t.Errorf("results went to the wrong targets: %+v", byTarget)
	}

	declined, err := v.StartLogin(ctx, verifier.Start{Definition: "verifiable-id"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.HandleResponse(ctx, verifier.Response{State: declined.Session.State, Error: "access_denied"}); err != nil {
		t.Fatal(err)
	}
	evs = claimAll(t, store)
	if len(evs) != 2 {
		t.Fatalf("%d events for the declined login, want 2", len(evs))
	}
	for _, ev := range evs {
		if ev.Type != session.EventFailed || ev.Error == nil || ev.Error.Code != "access_denied" || ev.Result != nil {
			t.Errorf("declined login's event %+v", ev)
		}
	}
}

// TestWebhookURLRefused: a webhook_url the policy refuses is a 400 with
// the policy's words; without a policy every webhook_url is refused.
func TestWebhookURLRefused(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Now()}
	v, _ := newVerifier(t, clk, withEvents)
	_, err := v.StartLogin(ctx, verifier.Start{Definition: "verifiable-id", WebhookURL: "https://evil.example/"})
	wantCodeError(t, err, oauth.InvalidRequest, "")
	if !strings.Contains(oauth.As(err).Description(), "not one the operator allows") {
		t.Errorf("description %q", oauth.As(err).Description())
	}
	plain, _ := newVerifier(t, clk)
	_, err = plain.StartLogin(ctx, verifier.Start{Definition: "verifiable-id", WebhookURL: "https://hooks.example/"})
	wantCodeError(t, err, oauth.InvalidRequest, "")
}

// TestExpireDue: a login nobody answered is stored expired with its
// events once its time is up, once; an answered one is left alone; a
// store without outbox makes it a no-op.
func TestExpireDue(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Now().UTC().Truncate(time.Second)} // the test wallet signs with the real time
	v, store := newVerifier(t, clk, withEvents)
	idle, err := v.StartLogin(ctx, verifier.Start{Definition: "verifiable-id"})
	if err != nil {
		t.Fatal(err)
	}
	answered, err := v.StartLogin(ctx, verifier.Start{Definition: "verifiable-id"})
	if err != nil {
		t.Fatal(err)
	}
	answer(t, v, answered)
	claimAll(t, store)
	if n, err := v.ExpireDue(ctx); err != nil || n != 0 {
		t.Fatalf("ExpireDue before expires_at: %d %v", n, err)
	}
	clk.Add(5 * time.Minute)
	if n, err := v.ExpireDue(ctx); err != nil || n != 1 {
		t.Fatalf("ExpireDue at expires_at: %d %v, want 1", n, err)
	}
	if n, err := v.ExpireDue(ctx); err != nil || n != 0 {
		t.Fatalf("ExpireDue again: %d %v, want 0", n, err)
	}
	s, err := store.Get(ctx, idle.Session.ID)
	if err != nil || s.Status != session.StatusExpired || !s.CompletedAt.Equal(s.ExpiresAt) {
		t.Fatalf("idle login stored %s at %v (%v)", s.Status, s.CompletedAt, err)
	}
	evs := claimAll(t, store)
	if len(evs) != 2 || evs[0].Type != session.EventExpired || evs[0].SessionID != idle.Session.ID {
		t.Fatalf("expiry events %+v", evs)
	}
	if a, _ := store.Get(ctx, answered.Session.ID); a.Status != session.StatusVerified {
		t.Errorf("the answered login became %s", a.Status)
	}
	// A wallet's answer after the sweep finds the session expired, as before.
	if _, err := v.HandleResponse(ctx, verifier.Response{State: idle.Session.State, Error: "access_denied"}); err == nil {
		t.Error("an answer completed an expired session")
	}
}

// onlyStore hides the outbox of a store.
type onlyStore struct{ session.Store }

// TestWithoutOutbox: on a store without outbox logins complete as ever,
// with no events, and ExpireDue does nothing.
func TestWithoutOutbox(t *testing.T) {
	ctx := context.Background()
	store := onlyStore{memory.New(memory.Options{})}
	dids := did.NewRegistry()
	dids.Register("key", didkey.New())
	pd, err := pex.ParseDefinition([]byte(profileDefinition))
	if err != nil {
		t.Fatal(err)
	}
	cfg := verifier.Config{PublicURL: "https://verifier.example", Definitions: []verifier.Definition{{PEX: pd}}, Logger: slog.New(slog.DiscardHandler)}
	withEvents(&cfg)
	v, err := verifier.New(cfg, store, dids)
	if err != nil {
		t.Fatal(err)
	}
	st, err := v.StartLogin(ctx, verifier.Start{Definition: "verifiable-id"})
	if err != nil {
		t.Fatal(err)
	}
	answer(t, v, st)
	if s, err := store.Get(ctx, st.Session.ID); err != nil || s.Status != session.StatusVerified {
		t.Fatalf("login %s %v", s.Status, err)
	}
	if n, err := v.ExpireDue(ctx); n != 0 || err != nil {
		t.Errorf("ExpireDue without outbox: %d %v", n, err)
	}
}

// TestExpiryRacesAnswer: an answer and the sweep at the edge of
// expires_at: exactly one of them ends the session, with exactly its
// events.
func TestExpiryRacesAnswer(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Now().UTC().Truncate(time.Second)} // the test wallet signs with the real time
	v, store := newVerifier(t, clk, withEvents)
	var ids []string
	for range 20 {
		st, err := v.StartLogin(ctx, verifier.Start{Definition: "verifiable-id"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, st.Session.State)
	}
	clk.Add(5*time.Minute - time.Nanosecond)
	var wg sync.WaitGroup
	for _, state := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = v.HandleResponse(ctx, verifier.Response{State: state, Error: "access_denied"})
		}()
	}
	clk.Add(time.Nanosecond)
	wg.Add(1)
	go func() {
		defer wg.Done()
		if _, err := v.ExpireDue(ctx); err != nil {
			t.Error(err)
		}
	}()
	wg.Wait()
	if _, err := v.ExpireDue(ctx); err != nil {
		t.Fatal(err)
	}
	evs := claimAll(t, store)
	perSession := map[string][]session.EventType{}
	for _, ev := range evs {
		perSession[ev.SessionID] = append(perSession[ev.SessionID], ev.Type)
	}
	if len(perSession) != 20 {
		t.Fatalf("%d sessions have events, want 20", len(perSession))
	}
	for id, types := range perSession {
		s, _ := store.Get(ctx, id)
		want := session.EventFailed
		if s.Status == session.StatusExpired {
			want = session.EventExpired
		}
		if len(types) != 2 || types[0] != want || types[1] != want {
			t.Errorf("session %s (%s) has events %v, want two %s", id, s.Status, types, want)
		}
	}
}
