package did_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/did/key"
)

// documentsResolver is a Resolver over a fixed set of real documents,
// standing in for a networked method; it answers whatever the map says,
// which lets the registry's own checks be exercised.
type documentsResolver map[string]*did.Document

func (m documentsResolver) Resolve(_ context.Context, id string) (*did.Document, error) {
	return m[id], nil
}

func TestRegistry(t *testing.T) {
	ctx := context.Background()
	iota := readDoc(t, jcsVectors, "iota-signed-presentation", "issuer_iota_doc.json")
	foo := readDoc(t, jcsVectors, "iota-signed-presentation", "subject_foo_doc.json")
	const didKey = "did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH"

	reg := did.NewRegistry()
	reg.Register("key", key.New())
	reg.Register("foo", documentsResolver{
		"did:foo:liar": foo, // answers with another DID's document
	})
	reg.Pin(iota)
	reg.Pin(nil)

	tests := []struct {
		in     string
		wantID string
		want   error
	}{
		{iota.ID, iota.ID, nil},
		{iota.ID + "#issuerKey", iota.ID, nil},
		{didKey, didKey, nil},
		{didKey + "#z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH", didKey, nil},
		{"did:iota:0xbb", "", did.ErrUnsupportedMethod},
		{"did:web:example.com", "", did.ErrUnsupportedMethod},
		{"not-a-did", "", did.ErrInvalidDID},
		{"did:key:zBAD", "", did.ErrInvalidDID},
		{"did:foo:nobody", "", did.ErrNotFound},
		{"did:foo:liar", "", did.ErrInvalidDocument},
	}
	for _, tt := range tests {
		doc, err := reg.Resolve(ctx, tt.in)
		if !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
			t.Errorf("Resolve(%q) error = %v, want %v", tt.in, err, tt.want)
			continue
		}
		if err == nil && doc.ID != tt.wantID {
			t.Errorf("Resolve(%q) = document %q, want %q", tt.in, doc.ID, tt.wantID)
		}
	}

	// A pinned document wins over the method.
	pinned := readDoc(t, jcsVectors, "iota-signed-presentation", "issuer_bar_doc.json")
	pinned.ID = didKey // same DID, different keys
	reg.Pin(pinned)
	if doc, err := reg.Resolve(ctx, didKey); err != nil || doc != pinned {
		t.Errorf("pinned did:key: got %v, %v; want the pinned document", doc, err)
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := reg.Resolve(cancelled, iota.ID); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: error = %v", err)
	}
}

func TestRegistryConcurrent(t *testing.T) {
	reg := did.NewRegistry()
	reg.Register("key", key.New())
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 50 {
				if i%2 == 0 {
					reg.Register("key", key.New())
				}
				if _, err := reg.Resolve(context.Background(), "did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH"); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
}
