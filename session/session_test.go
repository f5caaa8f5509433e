package session

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestEffective(t *testing.T) {
	expires := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		status Status
		now    time.Time
		want   Status
	}{
		{"pending before expiry", StatusPending, expires.Add(-time.Nanosecond), StatusPending},
		{"pending at expiry", StatusPending, expires, StatusExpired},
		{"pending after expiry", StatusPending, expires.Add(time.Hour), StatusExpired},
		{"verified after expiry stays verified", StatusVerified, expires.Add(time.Hour), StatusVerified},
		{"failed after expiry stays failed", StatusFailed, expires.Add(time.Hour), StatusFailed},
		{"verified before expiry", StatusVerified, expires.Add(-time.Minute), StatusVerified},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Session{Status: tt.status, ExpiresAt: expires}
			if got := s.Effective(tt.now); got != tt.want {
				t.Errorf("Effective(%v) = %q, want %q", tt.now, got, tt.want)
			}
		})
	}
}

// TestSessionJSONOmitsEmptyCompletion guards the wire form the Redis backend
// stores: a pending record carries no error, result or completion time.
func TestSessionJSONOmitsEmptyCompletion(t *testing.T) {
	b, err := json.Marshal(Session{ID: "id", Status: StatusPending})
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"error"`, `"result"`, `"completed_at"`} {
		if strings.Contains(string(b), key) {
			t.Errorf("pending session JSON contains %s: %s", key, b)
		}
	}
	if !strings.Contains(string(b), `"version":0`) {
		t.Errorf("version must always be present (the Redis CAS script reads it): %s", b)
	}
}
