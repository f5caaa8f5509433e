package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/loginwithiota/verifier/oidcbridge"
)

func testKeyRing(t *testing.T, h harness) {
	ctx := context.Background()
	if _, err := h.store.KeyRing(ctx); !errors.Is(err, oidcbridge.ErrNotFound) {
		t.Fatalf("no key ring yet: err = %v, want ErrNotFound", err)
	}
	stored, err := h.store.UpdateKeyRing(ctx, func(cur oidcbridge.KeyRing) (oidcbridge.KeyRing, error) {
		if cur.Version != 0 || len(cur.Keys) != 0 {
			t.Errorf("first update sees %+v, want a zero key ring", cur)
		}
		cur.TokenKey = []byte("0123456789abcdef0123456789abcdef")
		cur.Keys = append(cur.Keys, oidcbridge.StoredKey{JWK: json.RawMessage(`{"kid":"k1"}`), NotBefore: h.clock.Now()})
		return cur, nil
	})
	if err != nil {
		t.Fatalf("UpdateKeyRing: %v", err)
	}
	if stored.Version != 1 {
		t.Fatalf("version %d, want 1", stored.Version)
	}
	got, err := h.peer.KeyRing(ctx)
	if err != nil {
		t.Fatalf("KeyRing on the peer: %v", err)
	}
	requireSame(t, got, stored)
	refused := errors.New("refused")
	if _, err := h.store.UpdateKeyRing(ctx, func(cur oidcbridge.KeyRing) (oidcbridge.KeyRing, error) {
		cur.Keys = nil
		return cur, refused
	}); err != refused {
		t.Fatalf("err = %v, want fn's error as is", err)
	}
	got, _ = h.store.KeyRing(ctx)
	requireSame(t, got, stored)
}

// testKeyRingLosesNothing: instances rotating at once each land their key,
// and the first of two creators does not lose to the second.
func testKeyRingLosesNothing(t *testing.T, h harness) {
	ctx := context.Background()
	const writers = 12
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := h.store
			if i%2 == 1 {
				s = h.peer
			}
			if _, err := s.UpdateKeyRing(ctx, func(cur oidcbridge.KeyRing) (oidcbridge.KeyRing, error) {
				cur.Keys = append(cur.Keys, oidcbridge.StoredKey{JWK: json.RawMessage(fmt.Sprintf(`{"kid":"k%d"}`, i))})
				return cur, nil
			}); err != nil {
				t.Errorf("writer %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	got, err := h.store.KeyRing(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Keys) != writers || got.Version != writers {
		t.Fatalf("%d keys at version %d, want %d", len(got.Keys), got.Version, writers)
	}
}

// testAcrossInstances: what one instance writes, the other reads and updates.
func testAcrossInstances(t *testing.T, h harness) {
	ctx := context.Background()
	r := newAuthRequest(h.clock.Now())
	if err := h.store.CreateAuthRequest(ctx, r); err != nil {
		t.Fatal(err)
	}
	if _, err := h.peer.UpdateAuthRequest(ctx, r.ID, func(cur oidcbridge.AuthRequest) (oidcbridge.AuthRequest, error) {
		cur.Done = true
		return cur, nil
	}); err != nil {
		t.Fatalf("update on the peer: %v", err)
	}
	got, err := h.store.AuthRequest(ctx, r.ID)
	if err != nil || !got.Done {
		t.Fatalf("read back: %+v, %v", got, err)
	}
}

func testPing(t *testing.T, h harness) {
	if err := h.store.Ping(context.Background()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}
