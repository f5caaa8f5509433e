package jsonld

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loginwithiota/verifier/internal/poison"
	"github.com/loginwithiota/verifier/internal/testshared"
)

// legitimate returns every JSON-LD document of the repository's vectors and
// bench inputs (as signed, and without their proofs), and a presentation
// of ten credentials made from the bench's: what the budgets must admit.
func legitimate(t testing.TB) map[string]map[string]any {
	docs := make(map[string]map[string]any)
	for _, dir := range []string{"vectors", "bench"} {
		root := testshared.Path(t, dir)
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".json") || strings.HasSuffix(path, ".jsonld")) {
				return err
			}
			raw, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			var doc map[string]any
			if json.Unmarshal(raw, &doc) != nil || doc["@context"] == nil || strings.Contains(path, "contexts") {
				return nil
			}
			rel, _ := filepath.Rel(root, path)
			docs[dir+"/"+rel] = doc
			if _, ok := doc["proof"]; ok {
				bare := make(map[string]any, len(doc))
				for k, v := range doc {
					if k != "proof" {
						bare[k] = v
					}
				}
				docs[dir+"/"+rel+" (no proof)"] = bare
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	docs["ten credentials"] = tenCredentials(t)
	return docs
}

// tenCredentials is a presentation of ten of the bench's credentials (a
// few dozen claims each, nested objects and arrays of objects), each with
// a proof.
func tenCredentials(t testing.TB) map[string]any {
	var vcs []any
	for i := range 10 {
		vc := testshared.ReadJSON(t, "bench", fmt.Sprintf("vc%d-unsigned.json", i%3))
		vc["id"] = fmt.Sprintf("urn:uuid:credential-%d", i)
		vc["proof"] = poison.Proof(i)
		vcs = append(vcs, vc)
	}
	return map[string]any{
		"@context":             poison.Context[:2],
		"type":                 "VerifiablePresentation",
		"holder":               "did:example:holder",
		"verifiableCredential": vcs,
	}
}

func benchProcessor(t testing.TB, cfg Config) *Processor {
	cfg.Contexts = testshared.BenchContexts(t)
	p, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Every legitimate document spends at most a quarter of each default
// budget (it reports what the largest spend).
func TestDefaultBudgetsLeaveMargin(t *testing.T) {
	p := benchProcessor(t, Config{})
	var most stats
	var which [4]string
	ok := 0
	for name, doc := range legitimate(t) {
		var st stats
		if _, err := p.canonicalize(context.Background(), doc, URDNA2015, &st); err != nil {
			if errors.Is(err, ErrTooComplex) {
				t.Errorf("%s: %v", name, err)
			}
			continue // not JSON-LD we canonicalize (unsafe, unknown context): other tests say which
		}
		ok++
		for i, v := range []struct{ got, most *int }{{&st.nodes, &most.nodes}, {&st.values, &most.values},
			{&st.blankNodes, &most.blankNodes}, {&st.work, &most.work}} {
			if *v.got > *v.most {
				*v.most, which[i] = *v.got, name
			}
		}
	}
	if ok < 40 {
		t.Fatalf("only %d legitimate documents canonicalized", ok)
	}
	t.Logf("%d documents; most nodes %d (%s), values %d (%s), blank nodes %d (%s), work %d (%s)",
		ok, most.nodes, which[0], most.values, which[1], most.blankNodes, which[2], most.work, which[3])
	for _, c := range []struct {
		name      string
		most, max int
	}{{"nodes", most.nodes, DefaultMaxNodes}, {"values", most.values, DefaultMaxValues},
		{"blank nodes", most.blankNodes, DefaultMaxBlankNodes}, {"work", most.work, DefaultMaxWork}} {
		if c.most > c.max/4 {
			t.Errorf("a legitimate document spends %d %s, more than a quarter of the default %d", c.most, c.name, c.max)
		}
	}
}

// Each budget refuses what passes it, with ErrTooComplex, and only then.
func TestBudgets(t *testing.T) {
	ctx := context.Background()
	doc := func(raw []byte) map[string]any { return poison.Decode(raw) }
	big := Config{MaxNodes: 1 << 20, MaxValues: 1 << 20, MaxBlankNodes: 1 << 20, MaxWork: 1 << 40}
	tests := []struct {
		name string
		cfg  Config
		doc  map[string]any
	}{
		{"nodes", Config{MaxNodes: 100}, doc(poison.IDLessNodes(100))},
		{"values", Config{MaxValues: 1000}, doc(poison.ManyValues(1000))},
		{"blank nodes", Config{MaxNodes: 1 << 20, MaxBlankNodes: 500}, doc(poison.IDLessNodes(500))},
		{"work, alike siblings", Config{MaxNodes: 1 << 20}, doc(poison.IDLessNodes(1000))},
		{"work, a chain", Config{MaxNodes: 1 << 20}, doc(poison.DeepNesting(1000))},
	}
	for _, tt := range tests {
		p := benchProcessor(t, tt.cfg)
		if _, err := p.Canonicalize(ctx, tt.doc, URDNA2015); !errors.Is(err, ErrTooComplex) {
			t.Errorf("%s: %v, want ErrTooComplex", tt.name, err)
		}
	}
	// Just under the limits, the size budgets pass.
	for _, tt := range []struct {
		name string
		cfg  Config
		doc  map[string]any
	}{
		{"nodes", Config{MaxNodes: 160}, tenCredentials(t)},
		{"values", Config{MaxValues: 1020}, doc(poison.ManyValues(1000))},
		{"no budget hit", big, doc(poison.ManyValues(20000))},
	} {
		p := benchProcessor(t, tt.cfg)
		if _, err := p.Canonicalize(ctx, tt.doc, URDNA2015); err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

// BenchmarkCanonicalizeAtLimits measures the most expensive documents the
// default budgets admit, or refuse last: the figures behind the defaults.
func BenchmarkCanonicalizeAtLimits(b *testing.B) {
	p := benchProcessor(b, Config{})
	distinct := func(n int) map[string]any { // n objects without id, each different
		items := make([]any, n)
		for i := range items {
			items[i] = map[string]any{"x": float64(i), "y": "s", "z": true}
		}
		vp := poison.Decode(poison.ManyValues(0))
		vp["items"] = items
		return vp
	}
	for _, c := range []struct {
		name string
		doc  map[string]any
	}{
		{"ten-credentials", tenCredentials(b)},
		{"values-max", poison.Decode(poison.ManyValues(DefaultMaxValues - 10))},
		{"nodes-max", distinct(DefaultMaxBlankNodes - 10)},
		{"nodes-over", distinct(DefaultMaxNodes + 10)},
		{"alike-nodes-max", poison.Decode(poison.IDLessNodes(DefaultMaxNodes - 10))},
		{"alike-nodes-400", poison.Decode(poison.IDLessNodes(400))},
		{"chain-max", poison.Decode(poison.DeepNesting(DefaultMaxBlankNodes - 10))},
	} {
		b.Run(c.name, func(b *testing.B) {
			var st stats
			_, err := p.canonicalize(context.Background(), c.doc, URDNA2015, &st)
			b.ReportMetric(float64(st.work), "work")
			for b.Loop() {
				_, err = p.Canonicalize(context.Background(), c.doc, URDNA2015)
			}
			if err != nil {
				b.Logf("%v", err)
			}
		})
	}
}
