package did_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
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
