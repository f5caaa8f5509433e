package storetest

import (
	"crypto/rand"
	"sync"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/oidcbridge"
)

// Clock is the settable clock the stores under test read.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock standing at start.
func NewClock(start time.Time) *Clock { return &Clock{t: start} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Backend is what a backend hands the suite.
type Backend struct {
	// New returns an empty store reading clock; it may register cleanups.
	New func(t *testing.T, clock *Clock) oidcbridge.Store
	// Peer returns a second instance on first's data (another client on
	// the same server and prefix); nil: first itself.
	Peer func(t *testing.T, first oidcbridge.Store, clock *Clock) oidcbridge.Store
}

// harness is what one subtest works with.
type harness struct {
	store oidcbridge.Store
	peer  oidcbridge.Store
	clock *Clock
}

// Run runs the conformance suite against b.
func Run(t *testing.T, b Backend) {
	t.Helper()
	tests := []struct {
		name string
		run  func(t *testing.T, h harness)
	}{
		{"AuthRequestRoundTrip", testAuthRequestRoundTrip},
		{"AuthRequestNotFound", testAuthRequestNotFound},
		{"AuthRequestDuplicate", testAuthRequestDuplicate},
		{"AuthRequestUpdate", testAuthRequestUpdate},
		{"AuthRequestUpdateFnError", testAuthRequestUpdateFnError},
		{"AuthRequestUpdateLosesNothing", testAuthRequestUpdateLosesNothing},
		{"AuthRequestRedeemOnce", testAuthRequestRedeemOnce},
		{"AuthRequestExpiry", testAuthRequestExpiry},
		{"Codes", testCodes},
		{"CodeExpiry", testCodeExpiry},
		{"ClaimSessionOnce", testClaimSessionOnce},
		{"Tokens", testTokens},
		{"TokenExpiry", testTokenExpiry},
		{"DeleteSubjectTokens", testDeleteSubjectTokens},
		{"KeyRing", testKeyRing},
		{"KeyRingUpdateLosesNothing", testKeyRingLosesNothing},
		{"AcrossInstances", testAcrossInstances},
		{"Ping", testPing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := NewClock(time.Now().UTC().Truncate(time.Millisecond))
			store := b.New(t, clock)
			peer := store
			if b.Peer != nil {
				peer = b.Peer(t, store, clock)
			}
			tt.run(t, harness{store: store, peer: peer, clock: clock})
		})
	}
}

// ttl is how long the suite's records live unless a test says otherwise.
const ttl = 10 * time.Minute

func newAuthRequest(now time.Time) oidcbridge.AuthRequest {
	return oidcbridge.AuthRequest{
		ID:                  rand.Text(),
		ClientID:            "shop",
		RedirectURI:         "https://shop.example/callback",
		State:               "state-" + rand.Text(),
		Nonce:               "nonce-" + rand.Text(),
		Scopes:              []string{"openid", "verifiable-id"},
		CodeChallenge:       "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
		CodeChallengeMethod: "S256",
		Scope:               "verifiable-id",
		Definition:          "verifiable-id",
		CreatedAt:           now,
		ExpiresAt:           now.Add(ttl / 2),
		DeleteAt:            now.Add(ttl),
	}
}

func newToken(now time.Time, clientID, subject string) oidcbridge.Token {
	return oidcbridge.Token{
		ID:            rand.Text(),
		AuthRequestID: rand.Text(),
		ClientID:      clientID,
		Subject:       subject,
		Scopes:        []string{"openid", "verifiable-id"},
		Claims:        map[string]any{"given_name": "Jane", "nested": map[string]any{"a": []any{"b", 1.0}}},
		ExpiresAt:     now.Add(ttl),
	}
}
