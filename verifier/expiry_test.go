package verifier_test

import (
	"context"
	"errors"
	"log/slog"
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

// clock is an injected, settable time.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

const profileDefinition = `{"id":"verifiable-id","input_descriptors":[{"id":"verifiable-id-credential","format":{"ldp_vc":{"proof_type":["JcsEd25519Signature2020"]}},"constraints":{"fields":[{"path":["$.type"],"filter":{"type":"string","pattern":"VerifiableId"}}]}}]}`

// newVerifier is a verifier on a memory store, both on clk, resolving
// did:key, with the profile definition; edit, if any, changes its config.
func newVerifier(t testing.TB, clk *clock, edit ...func(*verifier.Config)) (*verifier.Verifier, session.Store) {
	t.Helper()
	pd, err := pex.ParseDefinition([]byte(profileDefinition))
	if err != nil {
		t.Fatal(err)
	}
	store := memory.New(memory.Options{Now: clk.Now})
	dids := did.NewRegistry()
	dids.Register("key", didkey.New())
	cfg := verifier.Config{
		PublicURL:   "https://verifier.example",
		Lifetime:    5 * time.Minute,
		Retention:   10 * time.Minute,
		Definitions: []verifier.Definition{{PEX: pd}},
		Now:         clk.Now,
		Logger:      slog.New(slog.DiscardHandler),
	}
	for _, e := range edit {
		e(&cfg)
	}
	v, err := verifier.New(cfg, store, dids)
	if err != nil {
		t.Fatal(err)
	}
	return v, store
}

// TestExpiry: a session reads expired at expires_at without anyone polling,
// refuses answers after that, and its record is gone after the retention.
func TestExpiry(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	v, _ := newVerifier(t, clk)
	started, err := v.StartSession(ctx, "verifiable-id", session.FlowCrossDevice)
	if err != nil {
		t.Fatal(err)
	}
	if got := started.Session.ExpiresAt; !got.Equal(clk.Now().Add(5 * time.Minute)) {
		t.Fatalf("expires_at %v", got)
	}
	clk.Add(5*time.Minute - time.Second)
	s, err := v.Status(ctx, started.Session.ID, started.StatusToken)
	if err != nil || s.Effective(clk.Now()) != session.StatusPending {
		t.Fatalf("before expiry: %v %v", s.Status, err)
	}
	clk.Add(time.Second)
	s, err = v.Status(ctx, started.Session.ID, started.StatusToken)
	if err != nil || s.Effective(clk.Now()) != session.StatusExpired {
		t.Fatalf("at expiry: %v %v", s.Effective(clk.Now()), err)
	}
	_, err = v.HandleResponse(ctx, verifier.Response{State: started.Session.State, VPToken: "{}", PresentationSubmission: "{}"})
	var ve *oauth.Error
	if !errors.As(err, &ve) || ve.Reason() != verifier.ReasonExpired {
		t.Fatalf("answer after expiry: %v", err)
	}
	if s, _ := v.Status(ctx, started.Session.ID, started.StatusToken); s.Status != session.StatusPending || s.Effective(clk.Now()) != session.StatusExpired {
		t.Fatalf("an expired session changed: %+v", s)
	}
	clk.Add(10 * time.Minute)
	if _, err := v.Status(ctx, started.Session.ID, started.StatusToken); err == nil {
		t.Fatal("record kept past its retention")
	}
}

// TestSecrets: state, nonce, id and token are distinct, long, and the state
// is not the id websites see.
func TestSecrets(t *testing.T) {
	clk := &clock{t: time.Now()}
	v, _ := newVerifier(t, clk)
	seen := map[string]bool{}
	for range 50 {
		st, err := v.StartSession(context.Background(), "verifiable-id", "")
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{st.Session.ID, st.Session.State, st.Session.Nonce, st.StatusToken} {
			if seen[s] {
				t.Fatalf("secret repeated: %s", s)
			}
			seen[s] = true
		}
		if len(st.Session.State) < 22 || len(st.Session.Nonce) < 22 { // 22 base64url chars = 128 bits
			t.Fatalf("state/nonce too short: %q %q", st.Session.State, st.Session.Nonce)
		}
	}
}

// pendingSession is a pending session with a known nonce, for benchmarks and
// fuzzing that sign one presentation for many sessions.
func pendingSession(id, nonce string, now time.Time) session.Session {
	return session.Session{
		ID: id, State: "state-" + id, Nonce: nonce,
		DefinitionID: "verifiable-id", Flow: session.FlowCrossDevice, ResponseMode: verifier.ModePost,
		CreatedAt: now, ExpiresAt: now.Add(time.Minute), DeleteAt: now.Add(time.Hour), Status: session.StatusPending,
	}
}
