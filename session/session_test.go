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

// TestVisible: an unredeemed same-device direct_post result is withheld —
// readers see pending, then expired — and everything else reads as Effective.
func TestVisible(t *testing.T) {
	expires := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	before, after := expires.Add(-time.Second), expires.Add(time.Second)
	code := []byte("hash")
	tests := []struct {
		name string
		s    Session
		now  time.Time
		want Status
		rel  bool
	}{
		{"pending", Session{Status: StatusPending}, before, StatusPending, true},
		{"pending past expiry", Session{Status: StatusPending}, after, StatusExpired, true},
		{"verified without code", Session{Status: StatusVerified}, after, StatusVerified, true},
		{"verified awaiting redemption", Session{Status: StatusVerified, ResponseCodeHash: code}, before, StatusPending, false},
		{"verified never redeemed", Session{Status: StatusVerified, ResponseCodeHash: code}, after, StatusExpired, false},
		{"verified and redeemed", Session{Status: StatusVerified, ResponseCodeHash: code, RedeemedAt: before}, after, StatusVerified, true},
		{"failed", Session{Status: StatusFailed}, after, StatusFailed, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.s.ExpiresAt = expires
			if got := tt.s.Visible(tt.now); got != tt.want {
				t.Errorf("Visible = %q, want %q", got, tt.want)
			}
			if got := tt.s.Released(); got != tt.rel {
				t.Errorf("Released = %v, want %v", got, tt.rel)
			}
		})
	}
}
