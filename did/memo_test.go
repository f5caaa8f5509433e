package did_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/did/key"
)

// A Memo resolves each DID once in its lifetime: successes and failures
// alike, whatever the fragment, and concurrent lookups wait for the first.
func TestMemo(t *testing.T) {
	const good, bad = "did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH", "did:key:zBAD"
	inner := &counting{inner: key.New()}
	m := did.NewMemo(inner)
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			id := good
			if i%2 == 1 {
				id = bad
			}
			doc, err := m.Resolve(ctx, id+"#k")
			switch {
			case id == good && (err != nil || doc.ID != good):
				t.Errorf("%s: %v, %v", id, doc, err)
			case id == bad && !errors.Is(err, did.ErrInvalidDID):
				t.Errorf("%s: %v, want ErrInvalidDID", id, err)
			}
		})
	}
	wg.Wait()
	if n := inner.n.Load(); n != 2 {
		t.Errorf("%d inner resolutions, want 2 (one per DID, the failure memoized)", n)
	}
	// A fresh memo (the next answer) asks again.
	if _, err := did.NewMemo(inner).Resolve(ctx, bad); err == nil || inner.n.Load() != 3 {
		t.Errorf("fresh memo: %v after %d resolutions", err, inner.n.Load())
	}
}

// Metadata passes through from a MetadataResolver; a plain one has none.
func TestMemoMetadata(t *testing.T) {
	pinned := readDoc(t, jcsVectors, "iota-signed-presentation", "issuer_iota_doc.json")
	reg := did.NewRegistry()
	reg.Register("key", key.New())
	reg.PinWith(pinned, did.PinOptions{AnyRelationship: true})
	m := did.NewMemo(reg)
	for range 2 {
		if _, md, err := m.ResolveWithMetadata(context.Background(), pinned.ID); err != nil || !md.Pinned || !md.AnyRelationship {
			t.Errorf("pinned through the memo: %+v, %v", md, err)
		}
	}
	if _, md, err := did.NewMemo(key.New()).ResolveWithMetadata(context.Background(), specKeys[0]); err != nil || md != (did.Metadata{}) {
		t.Errorf("plain resolver: %+v, %v", md, err)
	}
}

// A resolution cut short by its caller's ctx says nothing about the DID:
// it is not memoized, and a caller waiting on it resolves afresh; a
// waiter whose own ctx ends stops waiting.
func TestMemoCancelled(t *testing.T) {
	const id = "did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH"
	g := newGated()
	m := did.NewMemo(g)
	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() { _, err := m.Resolve(ctx, id); first <- err }()
	<-g.started
	waiterCtx, cancelWaiter := context.WithCancel(context.Background())
	cancelWaiter()
	if _, err := m.Resolve(waiterCtx, id); !errors.Is(err, context.Canceled) {
		t.Errorf("waiter with an ended ctx: %v", err)
	}
	other := make(chan error, 1)
	go func() { _, err := m.Resolve(context.Background(), id); other <- err }()
	cancel()
	if err := <-first; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled caller: %v", err)
	}
	<-g.started // the other caller's own resolution
	close(g.gate)
	if err := <-other; err != nil {
		t.Errorf("the waiter's retry: %v", err)
	}
	if _, err := m.Resolve(context.Background(), id); err != nil || g.calls.Load() != 2 {
		t.Errorf("memoized success: %v after %d resolutions, want 2", err, g.calls.Load())
	}
}
