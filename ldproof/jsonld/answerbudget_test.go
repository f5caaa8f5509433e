package jsonld

import (
	"context"
	"errors"
	"testing"
)

// The documents of one request share a budget of twice the per-document
// limits: each may spend up to its own, and once their sum passes the
// budget the next is refused before any work.
func TestBudgetSharedByARequest(t *testing.T) {
	p, err := New(Config{MaxNodes: 10})
	if err != nil {
		t.Fatal(err)
	}
	doc := map[string]any{"@context": map[string]any{"@vocab": "urn:x:"}, "@id": "urn:a",
		"a": map[string]any{"x": "1"}, "b": map[string]any{"x": "2"}, "c": map[string]any{"x": "3"},
		"d": map[string]any{"x": "4"}, "e": map[string]any{"x": "5"}, "f": map[string]any{"x": "6"}, "g": map[string]any{"x": "7"}}
	ctx := WithBudget(context.Background(), p.NewBudget())
	for i := range 4 {
		_, err := p.Canonicalize(ctx, doc, URDNA2015)
		switch {
		case i < 3 && err != nil:
			t.Fatalf("document %d: %v", i, err)
		case i == 3 && !errors.Is(err, ErrTooComplex):
			t.Fatalf("document %d: %v, want ErrTooComplex", i, err)
		}
	}
	// Without a budget in the context, only the per-document limits apply.
	for range 4 {
		if _, err := p.Canonicalize(context.Background(), doc, URDNA2015); err != nil {
			t.Fatal(err)
		}
	}
}
