package jsonld_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/internal/poison"
	"github.com/loginwithiota/verifier/internal/testshared"
	"github.com/loginwithiota/verifier/ldproof/jsonld"
)

// FuzzCanonicalize: whatever a wallet sends, Canonicalize returns output or
// one of the package's errors, never panics, never fetches anything, and
// stays within its budgets (each call also has a short deadline, which a
// runaway would hit: the target then fails).
func FuzzCanonicalize(f *testing.F) {
	for _, p := range []string{
		"ed25519-2020/trustbloc-vc-go/example_presentation_2_ed25519.json",
		"di-eddsa/trustbloc-vc-go/example_presentation_1_ed25519.jsonld",
		"ed25519-2018/dif-pex-sample-implementation/vp-ld.json",
		"di-eddsa/proof-set-chain/signedProofChain2.json",
	} {
		if raw, err := os.ReadFile(testshared.Path(f, vectors, p)); err == nil {
			f.Add(raw)
		}
	}
	f.Add([]byte(`{"@context":{"@vocab":"http://e/"},"@id":"_:a","p":{"@list":[1,2.5,true,{"@value":"x","@language":"en"}]}}`))
	f.Add([]byte(`{"@context":[null,{"a":{"@id":"http://e/a","@container":"@graph","@context":null}}],"a":{"@id":"x"}}`))
	// Small versions of issue 9's hostile inputs (testdata/fuzz holds the
	// json-gold crasher).
	for _, raw := range [][]byte{poison.IDLessNodes(20), poison.ManyValues(50), poison.DeepNesting(20),
		poison.PanicContext(), []byte(poison.Crasher)} {
		f.Add(raw)
	}
	p := jsonld.Default() // the default budgets, as the verifier runs
	f.Fuzz(func(t *testing.T, raw []byte) {
		var doc map[string]any
		if json.Unmarshal(raw, &doc) != nil || doc == nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		// What ctx cannot stop (json-gold's expansion) must not hang
		// either: crash, so that the fuzzer keeps the input.
		hang := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("Canonicalize hangs on %q", raw)) })
		defer hang.Stop()
		for _, alg := range []jsonld.Algorithm{jsonld.URDNA2015, jsonld.RDFC10} {
			_, err := p.Canonicalize(ctx, doc, alg)
			if errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("budgets did not bound the work: %v", err)
			}
			if err != nil && !errors.Is(err, jsonld.ErrUnsafe) && !errors.Is(err, jsonld.ErrInvalid) &&
				!errors.Is(err, jsonld.ErrTooComplex) &&
				!errors.Is(err, jsonld.ErrContextNotAllowed) && !errors.Is(err, jsonld.ErrContextFetch) {
				t.Fatalf("unclassified error: %v", err)
			}
		}
	})
}

// The processed-context cache is shared by concurrent verifications.
func TestCanonicalizeConcurrently(t *testing.T) {
	p := benchProcessor(t)
	docs := []map[string]any{
		testshared.ReadJSON(t, "bench", "vp3-ed25519-2020.json"),
		testshared.ReadJSON(t, vectors, "di-eddsa", "trustbloc-vc-go", "example_presentation_1_ed25519.jsonld"),
	}
	want := make([][]byte, len(docs))
	for i, d := range docs {
		out, err := p.Canonicalize(context.Background(), d, jsonld.URDNA2015)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = out
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 5 {
				d := docs[(g+i)%len(docs)]
				out, err := p.Canonicalize(context.Background(), d, jsonld.URDNA2015)
				if err != nil || string(out) != string(want[(g+i)%len(docs)]) {
					t.Errorf("goroutine %d: %v", g, err)
				}
			}
		}()
	}
	wg.Wait()
}
