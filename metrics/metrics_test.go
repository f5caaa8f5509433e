package metrics_test

import (
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/metrics"
	"github.com/loginwithiota/verifier/session"
	"github.com/loginwithiota/verifier/session/memory"
	"github.com/loginwithiota/verifier/verifier"
)

func exposition(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	return string(body)
}

// TestWalletCodesStayFew: a wallet's own error code becomes a label only
// when it is a known one.
func TestWalletCodesStayFew(t *testing.T) {
	m := metrics.New(metrics.BuildInfo{Version: "test"})
	ctx := context.Background()
	for _, code := range []string{"access_denied", "x_" + strings.Repeat("a", 60), "made_up"} {
		m.SessionCompleted(ctx, verifier.Completion{Definition: "d", Outcome: verifier.OutcomeDeclined, Reason: code})
	}
	out := exposition(t, m)
	for _, want := range []string{`verifier_session_failures_total{definition="d",reason="wallet:access_denied"} 1`,
		`verifier_session_failures_total{definition="d",reason="wallet:other"} 2`} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s", want)
		}
	}
	if strings.Contains(out, "made_up") {
		t.Error("a wallet's code became a label")
	}
}

// failing refuses every call.
type failing struct{ *memory.Store }

func (failing) Get(context.Context, string) (session.Session, error) {
	return session.Session{}, errors.New("redis: connection refused")
}

// TestStoreWrapper: calls are timed, faults counted, answers (not found)
// not; the notifier is kept.
func TestStoreWrapper(t *testing.T) {
	m := metrics.New(metrics.BuildInfo{})
	ctx := context.Background()
	s := m.Store(memory.New(memory.Options{}))
	if _, ok := s.(session.Notifier); !ok {
		t.Fatal("the wrapper dropped the notifier")
	}
	if _, err := s.Get(ctx, "nope"); !errors.Is(err, session.ErrNotFound) {
		t.Fatal(err)
	}
	now := time.Now()
	if err := s.Create(ctx, session.Session{ID: "a", State: "b", ExpiresAt: now.Add(time.Minute), DeleteAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	f := m.Store(failing{memory.New(memory.Options{})})
	_, _ = f.Get(ctx, "a")
	out := exposition(t, m)
	for _, want := range []string{`verifier_store_seconds_count{op="get"} 2`, `verifier_store_seconds_count{op="create"} 1`,
		`verifier_store_errors_total{op="get"} 1`} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s in\n%s", want, out)
		}
	}
	if metrics.Unwrap(f).(failing).Store == nil {
		t.Fatal("Unwrap")
	}
}
