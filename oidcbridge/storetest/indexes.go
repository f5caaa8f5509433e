package storetest

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"sync"
	"testing"

	"github.com/loginwithiota/verifier/oidcbridge"
)

func testCodes(t *testing.T, h harness) {
	ctx := context.Background()
	hash, id := rand.Text(), rand.Text()
	if _, err := h.store.CodeAuthRequest(ctx, hash); !errors.Is(err, oidcbridge.ErrNotFound) {
		t.Fatalf("unknown code: err = %v, want ErrNotFound", err)
	}
	if err := h.store.PutCode(ctx, hash, id, h.clock.Now().Add(ttl)); err != nil {
		t.Fatalf("PutCode: %v", err)
	}
	if err := h.store.PutCode(ctx, hash, "other", h.clock.Now().Add(ttl)); !errors.Is(err, oidcbridge.ErrExists) {
		t.Fatalf("second PutCode: err = %v, want ErrExists", err)
	}
	got, err := h.peer.CodeAuthRequest(ctx, hash)
	if err != nil || got != id {
		t.Fatalf("CodeAuthRequest = %q, %v; want %q", got, err, id)
	}
}

func testCodeExpiry(t *testing.T, h harness) {
	ctx := context.Background()
	hash := rand.Text()
	if err := h.store.PutCode(ctx, hash, "id", h.clock.Now().Add(ttl)); err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(ttl - 1)
	if _, err := h.store.CodeAuthRequest(ctx, hash); err != nil {
		t.Fatalf("just before its end: %v", err)
	}
	h.clock.Advance(1)
	if _, err := h.store.CodeAuthRequest(ctx, hash); !errors.Is(err, oidcbridge.ErrNotFound) {
		t.Fatalf("at its end: err = %v, want ErrNotFound", err)
	}
}

// testClaimSessionOnce: a verifier session logs in one auth request, however
// many try at once on however many instances.
func testClaimSessionOnce(t *testing.T, h harness) {
	ctx := context.Background()
	session := rand.Text()
	const racers = 16
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for i := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := h.store
			if i%2 == 1 {
				s = h.peer
			}
			err := s.ClaimSession(ctx, session, rand.Text(), h.clock.Now().Add(ttl))
			switch {
			case err == nil:
				mu.Lock()
				won++
				mu.Unlock()
			case !errors.Is(err, oidcbridge.ErrExists):
				t.Errorf("claim %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	if won != 1 {
		t.Fatalf("%d claims won, want 1", won)
	}
}

func testTokens(t *testing.T, h harness) {
	ctx := context.Background()
	tok := newToken(h.clock.Now(), "shop", "did:example:jane")
	if _, err := h.store.Token(ctx, tok.ID); !errors.Is(err, oidcbridge.ErrNotFound) {
		t.Fatalf("unknown token: err = %v, want ErrNotFound", err)
	}
	if err := h.store.CreateToken(ctx, tok); err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	if err := h.store.CreateToken(ctx, tok); !errors.Is(err, oidcbridge.ErrExists) {
		t.Fatalf("second CreateToken: err = %v, want ErrExists", err)
	}
	got, err := h.peer.Token(ctx, tok.ID)
	if err != nil {
		t.Fatalf("Token: %v", err)
	}
	requireSame(t, got, tok)
	other := newToken(h.clock.Now(), "shop", "did:example:jane")
	if err := h.store.CreateToken(ctx, other); err != nil {
		t.Fatal(err)
	}
	if err := h.store.DeleteTokens(ctx, tok.ID, "never-issued"); err != nil {
		t.Fatalf("DeleteTokens: %v", err)
	}
	if _, err := h.store.Token(ctx, tok.ID); !errors.Is(err, oidcbridge.ErrNotFound) {
		t.Fatalf("deleted token: err = %v, want ErrNotFound", err)
	}
	if _, err := h.store.Token(ctx, other.ID); err != nil {
		t.Fatalf("the other token: %v", err)
	}
	if err := h.store.DeleteTokens(ctx); err != nil {
		t.Fatalf("DeleteTokens with no ids: %v", err)
	}
}

func testTokenExpiry(t *testing.T, h harness) {
	ctx := context.Background()
	tok := newToken(h.clock.Now(), "shop", "did:example:jane")
	if err := h.store.CreateToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(ttl - 1)
	if _, err := h.store.Token(ctx, tok.ID); err != nil {
		t.Fatalf("just before ExpiresAt: %v", err)
	}
	h.clock.Advance(1)
	if _, err := h.store.Token(ctx, tok.ID); !errors.Is(err, oidcbridge.ErrNotFound) {
		t.Fatalf("at ExpiresAt: err = %v, want ErrNotFound", err)
	}
}

// testDeleteSubjectTokens: a logout ends the subject's tokens at that
// client and no others.
func testDeleteSubjectTokens(t *testing.T, h harness) {
	ctx := context.Background()
	now := h.clock.Now()
	jane1, jane2 := newToken(now, "shop", "did:example:jane"), newToken(now, "shop", "did:example:jane")
	janeElsewhere := newToken(now, "library", "did:example:jane")
	john := newToken(now, "shop", "did:example:john")
	for _, tok := range []oidcbridge.Token{jane1, jane2, janeElsewhere, john} {
		if err := h.store.CreateToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.peer.DeleteSubjectTokens(ctx, "shop", "did:example:jane"); err != nil {
		t.Fatalf("DeleteSubjectTokens: %v", err)
	}
	for _, tc := range []struct {
		tok  oidcbridge.Token
		gone bool
	}{{jane1, true}, {jane2, true}, {janeElsewhere, false}, {john, false}} {
		_, err := h.store.Token(ctx, tc.tok.ID)
		if gone := errors.Is(err, oidcbridge.ErrNotFound); gone != tc.gone || (err != nil && !gone) {
			t.Errorf("token of %s at %s: err = %v, want gone=%v", tc.tok.Subject, tc.tok.ClientID, err, tc.gone)
		}
	}
	if err := h.store.DeleteSubjectTokens(ctx, "shop", "did:example:nobody"); err != nil {
		t.Fatalf("DeleteSubjectTokens of a subject without tokens: %v", err)
	}
}

// normalize compares records as they travel: through JSON.
func normalize(t *testing.T, v any) any {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return out
}
