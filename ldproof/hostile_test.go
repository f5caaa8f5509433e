package ldproof_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/internal/poison"
	"github.com/loginwithiota/verifier/internal/testshared"
	"github.com/loginwithiota/verifier/ldproof"
)

// countingKeys resolves the bench holder's key and counts resolutions.
type countingKeys struct {
	registryKeys
	calls atomic.Int32
}

func (c *countingKeys) ResolveKey(ctx context.Context, vm string, p ldproof.Purpose) (*ldproof.Key, error) {
	c.calls.Add(1)
	return c.registryKeys.ResolveKey(ctx, vm, p)
}

func holderKeys(t testing.TB) *countingKeys {
	reg := did.NewRegistry()
	reg.Pin(benchDoc(t, "did:example:holder"))
	return &countingKeys{registryKeys: registryKeys{reg: reg}}
}

func vpOptions() ldproof.Options {
	return ldproof.Options{Purpose: ldproof.PurposeAuthentication, Now: now}
}

// Issue 9's hostile presentations are refused with their own codes, and
// none panics.
func TestHostilePresentations(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name string
		raw  []byte
		code string
	}{
		{"ID-less nodes", poison.IDLessNodes(4500), ldproof.CodeDocumentTooComplex},
		{"many values", poison.ManyValues(16000), ldproof.CodeDocumentTooComplex},
		{"deep nesting", poison.DeepNesting(4500), ldproof.CodeDocumentTooComplex},
		{"alike nodes within the size budgets", poison.IDLessNodes(1000), ldproof.CodeDocumentTooComplex},
		{"many proofs", poison.ManyProofs(300, 1000), ldproof.CodeTooManyProofs},
		{"json-gold panic", poison.PanicContext(), ldproof.CodeInvalidDocument},
	} {
		keys := holderKeys(t)
		_, err := ldproof.Verify(ctx, poison.Decode(c.raw), keys, vpOptions())
		if got := ldproof.Code(err); got != c.code {
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
		}
		if c.code == ldproof.CodeTooManyProofs && keys.calls.Load() != 0 {
			t.Errorf("%s: %d keys resolved", c.name, keys.calls.Load())
		}
	}
}

// MaxProofs admits up to its value; the default is 4.
func TestMaxProofs(t *testing.T) {
	doc := poison.Decode(poison.ManyProofs(5, 2))
	if _, err := ldproof.Verify(context.Background(), doc, holderKeys(t), vpOptions()); ldproof.Code(err) != ldproof.CodeTooManyProofs {
		t.Errorf("5 proofs: %v", err)
	}
	opts := vpOptions()
	opts.MaxProofs = 5
	if _, err := ldproof.Verify(context.Background(), doc, holderKeys(t), opts); ldproof.Code(err) != ldproof.CodeInvalidSignature {
		t.Errorf("5 proofs, MaxProofs 5: %v, want the bogus signatures refused", err)
	}
}

// With Precheck, a proof failing policy stops verification before any key
// is resolved; without, the signature is checked first, as before.
func TestPrecheck(t *testing.T) {
	doc := poison.Decode(poison.ManyProofs(2, 2))
	opts := vpOptions()
	opts.Challenge = "c-1" // proof 0 has c-0
	opts.Precheck = true
	keys := holderKeys(t)
	res, err := ldproof.Inspect(context.Background(), doc, keys, opts)
	if ldproof.Code(err) != ldproof.CodeChallengeMismatch || keys.calls.Load() != 0 {
		t.Fatalf("precheck: %v, %d keys resolved", err, keys.calls.Load())
	}
	if len(res) != 2 || res[1].Err != nil {
		t.Fatalf("precheck results: %+v", res)
	}
	for _, c := range res[1].Checks {
		if c.Name == ldproof.CheckSignature && !c.Skipped {
			t.Errorf("signature checked after a precheck failure: %+v", c)
		}
	}
	opts.Precheck = false
	_, err = ldproof.Inspect(context.Background(), doc, keys, opts)
	if ldproof.Code(err) != ldproof.CodeInvalidSignature || keys.calls.Load() != 2 {
		t.Errorf("no precheck: %v, %d keys resolved", err, keys.calls.Load())
	}
	// Passing prechecks lead to the signature.
	opts.Precheck, opts.Challenge = true, ""
	if _, err := ldproof.Inspect(context.Background(), doc, keys, opts); ldproof.Code(err) != ldproof.CodeInvalidSignature {
		t.Errorf("precheck passed: %v", err)
	}
}

// Legitimate presentations verify the same with Precheck.
func TestPrecheckVerifiesBench(t *testing.T) {
	k := testshared.ReadBenchKeys(t)
	reg := did.NewRegistry()
	for _, id := range []string{"did:example:issuer", "did:example:holder"} {
		reg.Pin(benchDoc(t, id))
	}
	vp := testshared.ReadJSON(t, "bench", "vp3-ed25519-2020.json")
	opts := ldproof.Options{Purpose: ldproof.PurposeAuthentication, Challenge: k.Challenge, Domain: k.Domain,
		JSONLD: benchJSONLD(t), Precheck: true}
	if _, err := ldproof.Verify(context.Background(), vp, registryKeys{reg: reg}, opts); err != nil {
		t.Fatal(err)
	}
}

// A done context ends Inspect with its error.
func TestInspectStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := ldproof.Inspect(ctx, poison.Decode(poison.ManyProofs(2, 2)), holderKeys(t), vpOptions())
	if !errors.Is(err, context.Canceled) {
		t.Errorf("%v", err)
	}
}
