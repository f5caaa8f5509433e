package ldproof

import (
	"context"
	"reflect"
	"testing"

	"github.com/loginwithiota/verifier/internal/poison"
	"github.com/loginwithiota/verifier/ldproof/jsonld"
)

// The proofs of a set share one unsecured document, canonicalized once
// per algorithm; a chained proof gets its own.
func TestDocumentsCanonicalizeOnce(t *testing.T) {
	doc := poison.Decode(poison.ManyProofs(3, 5))
	proofs := doc["proof"].([]any)
	set := make([]map[string]any, len(proofs))
	for i, p := range proofs {
		set[i] = p.(map[string]any)
	}
	set[0]["id"] = "urn:p0"
	set[2]["previousProof"] = "urn:p0"
	d := newDocuments(doc, set, jsonld.Default())
	u0, k0, err0 := d.unsecured(set[0])
	u1, k1, err1 := d.unsecured(set[1])
	u2, k2, err2 := d.unsecured(set[2])
	if err0 != nil || err1 != nil || err2 != nil {
		t.Fatal(err0, err1, err2)
	}
	if k0 != k1 || reflect.ValueOf(u0).Pointer() != reflect.ValueOf(u1).Pointer() {
		t.Error("the proofs of a set do not share their unsecured document")
	}
	if k2 == k0 || len(u2["proof"].([]any)) != 1 {
		t.Errorf("the chained proof signs %v", u2["proof"])
	}
	ctx := context.Background()
	a, errA := d.canonicalizer(k0)(ctx, jsonld.URDNA2015)
	b, errB := d.canonicalizer(k1)(ctx, jsonld.URDNA2015)
	if errA != nil || errB != nil || len(a) == 0 || &a[0] != &b[0] {
		t.Errorf("canonicalized twice (%v, %v)", errA, errB)
	}
	if c, _ := d.canonicalizer(k0)(ctx, jsonld.RDFC10); len(c) == 0 || &c[0] == &a[0] {
		t.Error("RDFC-1.0 shares URDNA2015's form")
	}
	want, _ := jsonld.Default().Canonicalize(ctx, u0, jsonld.URDNA2015)
	if string(a) != string(want) {
		t.Error("the shared form differs from the document's")
	}
}
