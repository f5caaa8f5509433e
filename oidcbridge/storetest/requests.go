package storetest

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"

	"github.com/loginwithiota/verifier/oidcbridge"
)

func testAuthRequestRoundTrip(t *testing.T, h harness) {
	ctx := context.Background()
	r := newAuthRequest(h.clock.Now())
	r.Claims = map[string]any{"given_name": "Jane", "list": []any{"a", "b"}}
	if err := h.store.CreateAuthRequest(ctx, r); err != nil {
		t.Fatalf("CreateAuthRequest: %v", err)
	}
	got, err := h.store.AuthRequest(ctx, r.ID)
	if err != nil {
		t.Fatalf("AuthRequest: %v", err)
	}
	requireSame(t, got, r)
	// Records are values: changing what was read changes nothing stored.
	got.Claims["given_name"] = "Mallory"
	got.Scopes[0] = "changed"
	again, err := h.store.AuthRequest(ctx, r.ID)
	if err != nil {
		t.Fatalf("AuthRequest: %v", err)
	}
	requireSame(t, again, r)
}

func testAuthRequestNotFound(t *testing.T, h harness) {
	ctx := context.Background()
	if _, err := h.store.AuthRequest(ctx, "missing"); !errors.Is(err, oidcbridge.ErrNotFound) {
		t.Errorf("AuthRequest: err = %v, want ErrNotFound", err)
	}
	_, err := h.store.UpdateAuthRequest(ctx, "missing", func(r oidcbridge.AuthRequest) (oidcbridge.AuthRequest, error) {
		t.Error("fn called for a missing request")
		return r, nil
	})
	if !errors.Is(err, oidcbridge.ErrNotFound) {
		t.Errorf("UpdateAuthRequest: err = %v, want ErrNotFound", err)
	}
}

func testAuthRequestDuplicate(t *testing.T, h harness) {
	ctx := context.Background()
	r := newAuthRequest(h.clock.Now())
	if err := h.store.CreateAuthRequest(ctx, r); err != nil {
		t.Fatal(err)
	}
	other := newAuthRequest(h.clock.Now())
	other.ID = r.ID
	if err := h.store.CreateAuthRequest(ctx, other); !errors.Is(err, oidcbridge.ErrExists) {
		t.Fatalf("second create: err = %v, want ErrExists", err)
	}
	got, _ := h.store.AuthRequest(ctx, r.ID)
	requireSame(t, got, r)
}

func testAuthRequestUpdate(t *testing.T, h harness) {
	ctx := context.Background()
	r := newAuthRequest(h.clock.Now())
	if err := h.store.CreateAuthRequest(ctx, r); err != nil {
		t.Fatal(err)
	}
	stored, err := h.store.UpdateAuthRequest(ctx, r.ID, func(cur oidcbridge.AuthRequest) (oidcbridge.AuthRequest, error) {
		cur.Done, cur.Subject = true, "did:example:holder"
		cur.Claims = map[string]any{"given_name": "Jane"}
		return cur, nil
	})
	if err != nil {
		t.Fatalf("UpdateAuthRequest: %v", err)
	}
	if stored.Version != r.Version+1 || !stored.Done || stored.Subject != "did:example:holder" {
		t.Fatalf("stored %+v", stored)
	}
	got, err := h.store.AuthRequest(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	requireSame(t, got, stored)
}

func testAuthRequestUpdateFnError(t *testing.T, h harness) {
	ctx := context.Background()
	r := newAuthRequest(h.clock.Now())
	if err := h.store.CreateAuthRequest(ctx, r); err != nil {
		t.Fatal(err)
	}
	refused := errors.New("refused")
	_, err := h.store.UpdateAuthRequest(ctx, r.ID, func(cur oidcbridge.AuthRequest) (oidcbridge.AuthRequest, error) {
		cur.Done = true
		return cur, refused
	})
	if err != refused {
		t.Fatalf("err = %v, want fn's error as is", err)
	}
	got, _ := h.store.AuthRequest(ctx, r.ID)
	requireSame(t, got, r)
}

// testAuthRequestUpdateLosesNothing: concurrent updates that each add one
// token id all land, on both instances.
func testAuthRequestUpdateLosesNothing(t *testing.T, h harness) {
	ctx := context.Background()
	r := newAuthRequest(h.clock.Now())
	if err := h.store.CreateAuthRequest(ctx, r); err != nil {
		t.Fatal(err)
	}
	const writers = 16
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := h.store
			if i%2 == 1 {
				s = h.peer
			}
			id := string(rune('a' + i))
			if _, err := s.UpdateAuthRequest(ctx, r.ID, func(cur oidcbridge.AuthRequest) (oidcbridge.AuthRequest, error) {
				cur.TokenIDs = append(cur.TokenIDs, id)
				return cur, nil
			}); err != nil {
				t.Errorf("update %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	got, err := h.store.AuthRequest(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.TokenIDs) != writers || got.Version != writers {
		t.Fatalf("%d token ids at version %d, want %d", len(got.TokenIDs), got.Version, writers)
	}
}

// testAuthRequestRedeemOnce: of many concurrent redeemers exactly one sees
// the code unredeemed, the guard a code exchange relies on.
func testAuthRequestRedeemOnce(t *testing.T, h harness) {
	ctx := context.Background()
	r := newAuthRequest(h.clock.Now())
	if err := h.store.CreateAuthRequest(ctx, r); err != nil {
		t.Fatal(err)
	}
	errRedeemed := errors.New("redeemed already")
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
			_, err := s.UpdateAuthRequest(ctx, r.ID, func(cur oidcbridge.AuthRequest) (oidcbridge.AuthRequest, error) {
				if cur.Redeemed {
					return cur, errRedeemed
				}
				cur.Redeemed = true
				return cur, nil
			})
			switch {
			case err == nil:
				mu.Lock()
				won++
				mu.Unlock()
			case !errors.Is(err, errRedeemed):
				t.Errorf("racer %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	if won != 1 {
		t.Fatalf("%d racers redeemed the code, want 1", won)
	}
}

func testAuthRequestExpiry(t *testing.T, h harness) {
	ctx := context.Background()
	now := h.clock.Now()
	r := newAuthRequest(now)
	if err := h.store.CreateAuthRequest(ctx, r); err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(r.DeleteAt.Sub(now) - 1)
	if _, err := h.store.AuthRequest(ctx, r.ID); err != nil {
		t.Fatalf("just before DeleteAt: %v", err)
	}
	h.clock.Advance(1)
	if _, err := h.store.AuthRequest(ctx, r.ID); !errors.Is(err, oidcbridge.ErrNotFound) {
		t.Fatalf("at DeleteAt: err = %v, want ErrNotFound", err)
	}
	if _, err := h.store.UpdateAuthRequest(ctx, r.ID, func(cur oidcbridge.AuthRequest) (oidcbridge.AuthRequest, error) {
		return cur, nil
	}); !errors.Is(err, oidcbridge.ErrNotFound) {
		t.Fatalf("update at DeleteAt: err = %v, want ErrNotFound", err)
	}
}

func requireSame[T any](t *testing.T, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(normalize(t, got), normalize(t, want)) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
}
