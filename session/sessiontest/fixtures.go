package sessiontest

import (
	"crypto/rand"
	"crypto/sha256"
	"reflect"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/session"
)

// newPending returns a pending session with every field the store keeps
// filled in, with a random id and state, alive for ttl from now.
func newPending(now time.Time, ttl time.Duration) session.Session {
	hash := sha256.Sum256([]byte(rand.Text()))
	key := sha256.Sum256([]byte(rand.Text()))
	id := rand.Text()
	return session.Session{
		ID: id,
		// The service's form: the state names its session (see session.Session).
		State:           id + "." + rand.Text(),
		Nonce:           rand.Text(),
		StatusTokenHash: hash[:],
		DefinitionID:    "verifiable-id",
		Flow:            session.FlowCrossDevice,
		ResponseMode:    "direct_post",
		CreatedAt:       now,
		ExpiresAt:       now.Add(ttl / 2),
		DeleteAt:        now.Add(ttl),
		Status:          session.StatusPending,
		Protocol:        "1.0+draft-20",
		WebhookURL:      "https://hooks.example/login",
		ResponseKey:     key[:],
	}
}

// newVerified returns s completed with a result whose claims hold every
// kind of JSON value, as a decoded credential would, and a redeemed response
// code (as a same-device direct_post login has), so every field round-trips.
func newVerified(s session.Session, at time.Time) session.Session {
	s.Status = session.StatusVerified
	s.CompletedAt = at
	code := sha256.Sum256([]byte("response-code:" + s.ID))
	s.ResponseCodeHash = code[:]
	s.RedeemedAt = at
	s.Result = &session.Result{
		Holder: "did:key:z6MkholderHolderHolder",
		Credentials: []session.Credential{{
			Type:   []string{"VerifiableCredential", "VerifiableId"},
			Issuer: "did:key:z6MkissuerIssuerIssuer",
			CredentialSubject: map[string]any{
				"id":          "did:key:z6MkholderHolderHolder",
				"firstName":   "Alice",
				"age":         float64(42),
				"over18":      true,
				"middleName":  nil,
				"nationality": []any{"DE", "FR"},
				"address": map[string]any{
					"city":  "Berlin",
					"lines": []any{"Unter den Linden 1", map[string]any{"floor": float64(3)}},
				},
			},
		}},
	}
	return s
}

// newFailed returns s failed with an OAuth-style error.
func newFailed(s session.Session, at time.Time) session.Session {
	s.Status = session.StatusFailed
	s.CompletedAt = at
	s.Error = &session.Error{Code: "access_denied", Description: "holder declined", Reason: "wallet_declined"}
	return s
}

// requireSame fails unless got equals want field by field; times are
// compared with Equal because a backend may drop the monotonic reading or
// the location.
func requireSame(t *testing.T, got, want session.Session) {
	t.Helper()
	times := []struct {
		name      string
		got, want time.Time
	}{
		{"CreatedAt", got.CreatedAt, want.CreatedAt},
		{"ExpiresAt", got.ExpiresAt, want.ExpiresAt},
		{"DeleteAt", got.DeleteAt, want.DeleteAt},
		{"CompletedAt", got.CompletedAt, want.CompletedAt},
		{"RedeemedAt", got.RedeemedAt, want.RedeemedAt},
	}
	for _, tm := range times {
		if !tm.got.Equal(tm.want) {
			t.Errorf("%s = %v, want %v", tm.name, tm.got, tm.want)
		}
	}
	got.CreatedAt, got.ExpiresAt, got.DeleteAt, got.CompletedAt, got.RedeemedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}, time.Time{}
	want.CreatedAt, want.ExpiresAt, want.DeleteAt, want.CompletedAt, want.RedeemedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("session differs\n got: %+v\nwant: %+v", describe(got), describe(want))
	}
}

// describe dereferences the pointers so a failure message shows contents.
func describe(s session.Session) any {
	return struct {
		session.Session
		Error  any
		Result any
	}{s, deref(s.Error), deref(s.Result)}
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// eventually polls cond until it holds or timeout passes.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-tick.C:
		case <-deadline.C:
			t.Fatalf("after %v: %s", timeout, what)
		}
	}
}
