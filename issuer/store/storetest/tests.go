package storetest

import (
	"bytes"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/loginwithiota/verifier/issuer"
)

func mustCreate(t *testing.T, h harness, kind issuer.Kind, key string, v []byte) {
	t.Helper()
	if err := h.store.Create(ctx, kind, key, v, h.later()); err != nil {
		t.Fatalf("create: %v", err)
	}
}

func mustGet(t *testing.T, s issuer.Store, kind issuer.Kind, key string, want string) {
	t.Helper()
	got, err := s.Get(ctx, kind, key)
	if err != nil || string(got) != want {
		t.Fatalf("get = %q, %v; want %q", got, err, want)
	}
}

func testCreateGet(t *testing.T, h harness) {
	for _, kind := range issuer.Kinds() {
		k := newKey()
		mustCreate(t, h, kind, k, []byte(`{"a":1}`))
		mustGet(t, h.store, kind, k, `{"a":1}`)
	}
}

func testNotFound(t *testing.T, h harness) {
	k := newKey()
	if _, err := h.store.Get(ctx, issuer.KindGrant, k); !errors.Is(err, issuer.ErrNotFound) {
		t.Fatalf("get: %v", err)
	}
	if err := h.store.Update(ctx, issuer.KindGrant, k, func(b []byte) ([]byte, error) { return b, nil }); !errors.Is(err, issuer.ErrNotFound) {
		t.Fatalf("update: %v", err)
	}
	if _, err := h.store.Take(ctx, issuer.KindGrant, k); !errors.Is(err, issuer.ErrNotFound) {
		t.Fatalf("take: %v", err)
	}
	if err := h.store.Delete(ctx, issuer.KindGrant, k); err != nil {
		t.Fatalf("delete of a missing record: %v", err)
	}
}

func testCreateExists(t *testing.T, h harness) {
	k := newKey()
	mustCreate(t, h, issuer.KindNonce, k, []byte("1"))
	if err := h.store.Create(ctx, issuer.KindNonce, k, []byte("2"), h.later()); !errors.Is(err, issuer.ErrExists) {
		t.Fatalf("second create: %v", err)
	}
	mustGet(t, h.store, issuer.KindNonce, k, "1")
}

func testCopies(t *testing.T, h harness) {
	k := newKey()
	v := []byte("abc")
	mustCreate(t, h, issuer.KindOffer, k, v)
	v[0] = 'X'
	got, _ := h.store.Get(ctx, issuer.KindOffer, k)
	got[1] = 'Y'
	mustGet(t, h.store, issuer.KindOffer, k, "abc")
	_ = h.store.Update(ctx, issuer.KindOffer, k, func(b []byte) ([]byte, error) { b[0] = 'Z'; return []byte("abc"), nil })
	mustGet(t, h.store, issuer.KindOffer, k, "abc")
}

func testKindsApart(t *testing.T, h harness) {
	k := newKey()
	for i, kind := range issuer.Kinds() {
		mustCreate(t, h, kind, k, []byte(strconv.Itoa(i)))
	}
	for i, kind := range issuer.Kinds() {
		mustGet(t, h.store, kind, k, strconv.Itoa(i))
	}
	if _, err := h.store.Take(ctx, issuer.KindNonce, k); err != nil {
		t.Fatal(err)
	}
	mustGet(t, h.store, issuer.KindToken, k, strconv.Itoa(2))
}

func testUpdate(t *testing.T, h harness) {
	k := newKey()
	mustCreate(t, h, issuer.KindGrant, k, []byte("1"))
	err := h.store.Update(ctx, issuer.KindGrant, k, func(b []byte) ([]byte, error) {
		if string(b) != "1" {
			t.Errorf("fn saw %q", b)
		}
		return []byte("2"), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	mustGet(t, h.store, issuer.KindGrant, k, "2")
}

func testUpdateAbort(t *testing.T, h harness) {
	k := newKey()
	mustCreate(t, h, issuer.KindGrant, k, []byte("1"))
	boom := errors.New("boom")
	if err := h.store.Update(ctx, issuer.KindGrant, k, func([]byte) ([]byte, error) { return []byte("2"), boom }); err != boom {
		t.Fatalf("update returned %v, want fn's error as it is", err)
	}
	mustGet(t, h.store, issuer.KindGrant, k, "1")
}

func testUpdateDelete(t *testing.T, h harness) {
	k := newKey()
	mustCreate(t, h, issuer.KindToken, k, []byte("1"))
	if err := h.store.Update(ctx, issuer.KindToken, k, func([]byte) ([]byte, error) { return nil, nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.Get(ctx, issuer.KindToken, k); !errors.Is(err, issuer.ErrNotFound) {
		t.Fatalf("after a nil update: %v", err)
	}
}

func testUpdateKeepsExpiry(t *testing.T, h harness) {
	k := newKey()
	exp, wait := h.expireSoon(t, issuer.KindGrant, k)
	if err := h.store.Create(ctx, issuer.KindGrant, k, []byte("1"), exp); err != nil {
		t.Fatal(err)
	}
	if err := h.store.Update(ctx, issuer.KindGrant, k, func([]byte) ([]byte, error) { return []byte("2"), nil }); err != nil {
		t.Fatal(err)
	}
	wait() // fails the test if the update made the record immortal
}

// testUpdateContention: n writers increment one counter; compare-and-set
// loses no increment.
func testUpdateContention(t *testing.T, h harness) {
	k := newKey()
	mustCreate(t, h, issuer.KindGrant, k, []byte("0"))
	const n = 20
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			err := h.store.Update(ctx, issuer.KindGrant, k, func(b []byte) ([]byte, error) {
				v, err := strconv.Atoi(string(b))
				if err != nil {
					return nil, err
				}
				return []byte(strconv.Itoa(v + 1)), nil
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	mustGet(t, h.store, issuer.KindGrant, k, strconv.Itoa(n))
}

func testTakeOnce(t *testing.T, h harness) {
	k := newKey()
	mustCreate(t, h, issuer.KindNonce, k, []byte("n"))
	v, err := h.store.Take(ctx, issuer.KindNonce, k)
	if err != nil || string(v) != "n" {
		t.Fatalf("take = %q, %v", v, err)
	}
	if _, err := h.store.Take(ctx, issuer.KindNonce, k); !errors.Is(err, issuer.ErrNotFound) {
		t.Fatalf("second take: %v", err)
	}
}

// testTakeContention: of n concurrent Takes exactly one wins.
func testTakeContention(t *testing.T, h harness) {
	k := newKey()
	mustCreate(t, h, issuer.KindNonce, k, []byte("n"))
	var wins atomic.Int32
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			v, err := h.store.Take(ctx, issuer.KindNonce, k)
			switch {
			case err == nil && bytes.Equal(v, []byte("n")):
				wins.Add(1)
			case !errors.Is(err, issuer.ErrNotFound):
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Fatalf("%d takes won, want 1", wins.Load())
	}
}

func testDelete(t *testing.T, h harness) {
	k := newKey()
	mustCreate(t, h, issuer.KindOffer, k, []byte("o"))
	if err := h.store.Delete(ctx, issuer.KindOffer, k); err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.Get(ctx, issuer.KindOffer, k); !errors.Is(err, issuer.ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
}

func testExpiry(t *testing.T, h harness) {
	k := newKey()
	exp, wait := h.expireSoon(t, issuer.KindToken, k)
	if err := h.store.Create(ctx, issuer.KindToken, k, []byte("t"), exp); err != nil {
		t.Fatal(err)
	}
	mustGet(t, h.store, issuer.KindToken, k, "t")
	wait()
	for name, err := range map[string]error{
		"get":    func() error { _, err := h.store.Get(ctx, issuer.KindToken, k); return err }(),
		"take":   func() error { _, err := h.store.Take(ctx, issuer.KindToken, k); return err }(),
		"update": h.store.Update(ctx, issuer.KindToken, k, func(b []byte) ([]byte, error) { return b, nil }),
	} {
		if !errors.Is(err, issuer.ErrNotFound) {
			t.Errorf("%s after expiry: %v", name, err)
		}
	}
	// The key is free again.
	if err := h.store.Create(ctx, issuer.KindToken, k, []byte("u"), h.later()); err != nil {
		t.Fatalf("create after expiry: %v", err)
	}
	if h.store.Create(ctx, issuer.KindToken, newKey(), []byte("x"), h.now().Add(-1)) != nil {
		t.Fatal("creating an already expired record should succeed and hold nothing")
	}
}

// testExpiredNotWritten: an Update whose record expires while fn runs
// must not bring it back without an expiry.
func testExpiredNotWritten(t *testing.T, h harness) {
	k := newKey()
	exp, wait := h.expireSoon(t, issuer.KindGrant, k)
	if err := h.store.Create(ctx, issuer.KindGrant, k, []byte("1"), exp); err != nil {
		t.Fatal(err)
	}
	waited := false
	err := h.store.Update(ctx, issuer.KindGrant, k, func(b []byte) ([]byte, error) {
		if !waited && h.cfg.clock == nil {
			waited = true
			wait() // expires (Redis: the server drops it) while fn runs
		}
		return []byte("2"), nil
	})
	if h.cfg.clock != nil {
		wait() // a clocked backend holds its lock: expire after instead
	}
	if err != nil && !errors.Is(err, issuer.ErrNotFound) {
		t.Fatal(err)
	}
	if _, err := h.store.Get(ctx, issuer.KindGrant, k); !errors.Is(err, issuer.ErrNotFound) {
		t.Fatalf("the expired record came back: %v", err)
	}
}

func testPing(t *testing.T, h harness) {
	if err := h.store.Ping(ctx); err != nil {
		t.Fatal(err)
	}
}

// testShared: what one instance writes, another reads, updates and takes.
func testShared(t *testing.T, h harness) {
	other := h.store
	if h.cfg.peer != nil {
		other = h.cfg.peer(t, h.store)
	}
	k := newKey()
	mustCreate(t, h, issuer.KindGrant, k, []byte("1"))
	mustGet(t, other, issuer.KindGrant, k, "1")
	if err := other.Update(ctx, issuer.KindGrant, k, func([]byte) ([]byte, error) { return []byte("2"), nil }); err != nil {
		t.Fatal(err)
	}
	mustGet(t, h.store, issuer.KindGrant, k, "2")
	if err := other.Create(ctx, issuer.KindGrant, k, []byte("3"), h.later()); !errors.Is(err, issuer.ErrExists) {
		t.Fatalf("create on the peer: %v", err)
	}
	n := newKey()
	if err := other.Create(ctx, issuer.KindNonce, n, []byte("n"), h.later()); err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.Take(ctx, issuer.KindNonce, n); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Take(ctx, issuer.KindNonce, n); !errors.Is(err, issuer.ErrNotFound) {
		t.Fatalf("take on the peer after the first: %v", err)
	}
}
