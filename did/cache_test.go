package did_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/did/key"
	"github.com/loginwithiota/verifier/internal/testshared"
)

// counting counts the resolutions that reach the method.
type counting struct {
	n     atomic.Int32
	inner did.Resolver
}

func (c *counting) Resolve(ctx context.Context, id string) (*did.Document, error) {
	c.n.Add(1)
	return c.inner.Resolve(ctx, id)
}

func TestCache(t *testing.T) {
	const id = "did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH"
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	inner := &counting{inner: key.New()}
	c := did.NewCache(inner, did.CacheOptions{TTL: time.Minute, MaxEntries: 2, Now: func() time.Time { return now }})
	ctx := context.Background()
	for range 3 {
		if _, err := c.Resolve(ctx, id+"#frag"); err != nil {
			t.Fatal(err)
		}
	}
	if n := inner.n.Load(); n != 1 {
		t.Errorf("%d resolutions, want 1", n)
	}
	now = now.Add(time.Minute)
	if _, err := c.Resolve(ctx, id); err != nil {
		t.Fatal(err)
	}
	if n := inner.n.Load(); n != 2 {
		t.Errorf("%d resolutions after the TTL, want 2", n)
	}
	// Failures are not cached; the size stays bounded.
	for range 2 {
		if _, err := c.Resolve(ctx, "did:key:zBAD"); err == nil {
			t.Fatal("bad did:key resolved")
		}
	}
	if n := inner.n.Load(); n != 4 {
		t.Errorf("%d resolutions, want 4 (failures not cached)", n)
	}
	for _, d := range specKeys {
		if _, err := c.Resolve(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
}

// gated is a resolver whose calls block until the gate opens (or their
// ctx ends), counting them and what their ctx said when they returned.
type gated struct {
	calls   atomic.Int32
	started chan struct{} // one send per call
	gate    chan struct{}
	ctxErrs chan error // ctx.Err() at the end of each call
	inner   did.Resolver
}

func newGated() *gated {
	return &gated{started: make(chan struct{}, 100), gate: make(chan struct{}), ctxErrs: make(chan error, 100), inner: key.New()}
}

func (g *gated) Resolve(ctx context.Context, id string) (*did.Document, error) {
	g.calls.Add(1)
	g.started <- struct{}{}
	defer func() { g.ctxErrs <- ctx.Err() }()
	select {
	case <-g.gate:
		return g.inner.Resolve(ctx, id)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Concurrent lookups of one DID make one inner resolution: the first
// blocks until every caller has started, and the others join it (or, if
// they arrive after, find its answer cached).
func TestCacheMergesConcurrentLookups(t *testing.T) {
	const id, n = "did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH", 16
	g := newGated()
	c := did.NewCache(g, did.CacheOptions{})
	var ready sync.WaitGroup
	ready.Add(n)
	errs := make(chan error, n)
	for i := range n {
		go func() {
			ready.Done()
			doc, err := c.Resolve(context.Background(), id+"#k"+strconv.Itoa(i))
			if err == nil && doc.ID != id {
				err = errors.New("wrong document " + doc.ID)
			}
			errs <- err
		}()
	}
	<-g.started
	ready.Wait()
	close(g.gate)
	for range n {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if got := g.calls.Load(); got != 1 {
		t.Errorf("%d inner resolutions, want 1", got)
	}
}

// A waiter whose ctx ends gets ctx.Err() at once; the shared resolution
// goes on for the others, its own ctx not cancelled.
func TestCacheCancelledWaiter(t *testing.T) {
	const id = "did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH"
	g := newGated()
	c := did.NewCache(g, did.CacheOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() { _, err := c.Resolve(ctx, id); first <- err }()
	<-g.started // the shared resolution runs, started by the first caller
	other := make(chan error, 1)
	go func() { _, err := c.Resolve(context.Background(), id); other <- err }()
	cancel()
	if err := <-first; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled waiter: %v, want context.Canceled", err)
	}
	close(g.gate)
	if err := <-other; err != nil {
		t.Errorf("other waiter: %v", err)
	}
	if err := <-g.ctxErrs; err != nil {
		t.Errorf("the shared resolution's ctx ended: %v", err)
	}
	if got := g.calls.Load(); got != 1 {
		t.Errorf("%d inner resolutions, want 1", got)
	}
	if _, err := c.Resolve(ctx, id); !errors.Is(err, context.Canceled) {
		t.Errorf("already cancelled: %v", err)
	}
}

// The shared resolution has its own timeout, since no caller's ctx ends it.
func TestCacheSharedTimeout(t *testing.T) {
	g := newGated() // never opened
	c := did.NewCache(g, did.CacheOptions{Timeout: 50 * time.Millisecond})
	if _, err := c.Resolve(context.Background(), specKeys[0]); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error = %v, want the shared resolution's deadline", err)
	}
}

var specKeys = []string{
	"did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
	"did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG",
	"did:key:z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf",
}

func TestPinWithMetadata(t *testing.T) {
	iota := readDoc(t, jcsVectors, "iota-signed-presentation", "issuer_iota_doc.json")
	reg := did.NewRegistry()
	reg.Register("key", key.New())
	reg.PinWith(iota, did.PinOptions{AnyRelationship: true})
	_, md, err := reg.ResolveWithMetadata(context.Background(), iota.ID+"#issuerKey")
	if err != nil || !md.Pinned || !md.AnyRelationship {
		t.Errorf("pinned: %+v, %v", md, err)
	}
	_, md, err = reg.ResolveWithMetadata(context.Background(), specKeys[0])
	if err != nil || md.Pinned {
		t.Errorf("did:key: %+v, %v", md, err)
	}
	if got := reg.Pinned(); len(got) != 1 || got[0] != iota.ID {
		t.Errorf("Pinned() = %v", got)
	}
}

func TestReadDocuments(t *testing.T) {
	dir := testshared.Path(t, jcsVectors, "iota-signed-presentation")
	one, err := did.ReadDocuments(filepath.Join(dir, "issuer_iota_doc.json"))
	if err != nil || len(one) != 1 {
		t.Fatalf("file: %v, %v", one, err)
	}
	tmp := t.TempDir()
	for _, name := range []string{"issuer_bar_doc.json", "subject_foo_doc.json"} {
		raw, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(tmp, name), raw, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	both := `[` + string(must(os.ReadFile(filepath.Join(dir, "issuer_bar_doc.json")))) + `,` +
		string(must(os.ReadFile(filepath.Join(dir, "subject_foo_doc.json")))) + `]`
	if err := os.WriteFile(filepath.Join(tmp, "list.json"), []byte(both), 0o600); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(tmp, "README.md"), []byte("not a document"), 0o600)
	docs, err := did.ReadDocuments(tmp)
	if err != nil || len(docs) != 4 {
		t.Fatalf("dir: %d docs, %v", len(docs), err)
	}
	os.WriteFile(filepath.Join(tmp, "bad.json"), []byte(`{"id": "not a did"}`), 0o600)
	if _, err := did.ReadDocuments(tmp); !errors.Is(err, did.ErrInvalidDocument) {
		t.Errorf("bad file: %v", err)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
