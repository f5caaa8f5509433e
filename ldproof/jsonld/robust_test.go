package jsonld_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/internal/poison"
	"github.com/loginwithiota/verifier/ldproof/jsonld"
)

func decode(t testing.TB, s string) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal([]byte(s), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// A json-gold panic is an ordinary ErrInvalid, for the crasher alone and
// inside a presentation.
func TestJSONGoldPanicIsInvalid(t *testing.T) {
	p := jsonld.Default()
	for _, doc := range []map[string]any{decode(t, poison.Crasher), poison.Decode(poison.PanicContext())} {
		for _, alg := range []jsonld.Algorithm{jsonld.URDNA2015, jsonld.RDFC10} {
			_, err := p.Canonicalize(context.Background(), doc, alg)
			if !errors.Is(err, jsonld.ErrInvalid) {
				t.Errorf("%v, want ErrInvalid", err)
			}
		}
	}
	// The processor still works afterwards.
	if _, err := p.Canonicalize(context.Background(), decode(t, `{"@context":{"@vocab":"urn:v:"},"a":1}`), jsonld.URDNA2015); err != nil {
		t.Fatal(err)
	}
}

// A done context stops a canonicalization: before it starts, and in the
// middle of hashing that would otherwise run for hours.
func TestCanonicalizeStopsWithContext(t *testing.T) {
	doc := poison.Decode(poison.IDLessNodes(200))
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := jsonld.Default().Canonicalize(cancelled, doc, jsonld.URDNA2015); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	unbounded, err := jsonld.New(jsonld.Config{MaxWork: 1 << 62})
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer stop()
	if _, err := unbounded.Canonicalize(ctx, doc, jsonld.URDNA2015); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("deadline: %v", err)
	}
}

// The node map drops duplicate values and node references as json-gold's
// (and jsonld.js's) does, keeps lists as they are, and does not choke on
// JSON literals json-gold could not compare.
func TestNodeMapDuplicates(t *testing.T) {
	p := jsonld.Default()
	doc := decode(t, `{"@context":{"@vocab":"urn:v:","j":{"@id":"urn:v:j","@type":"@json"}},
		"@id":"urn:s",
		"p":["a","a",1,1.0,true,true,{"@value":"a","@language":"en"},{"@value":"a","@language":"en"},{"@id":"urn:x"},{"@id":"urn:x","q":2}],
		"l":{"@list":["a","a"]},
		"r":[{"@value":{"k":1},"@type":"@json"},{"@value":{"k":1},"@type":"@json"}],
		"@type":["urn:T","urn:T"]}`)
	out, err := p.Canonicalize(context.Background(), doc, jsonld.URDNA2015)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	count := func(sub string) int {
		n := 0
		for _, l := range lines {
			if strings.HasPrefix(l, "<urn:s> ") && strings.Contains(l, sub) {
				n++
			}
		}
		return n
	}
	for _, c := range []struct {
		sub  string
		want int
	}{{`<urn:v:p> "a" .`, 1}, {`<urn:v:p> "1"^^`, 1}, {`<urn:v:p> "true"^^`, 1}, {`"a"@en`, 1}, {`<urn:v:p> <urn:x>`, 1}, {`<urn:T>`, 1}} {
		if got := count(c.sub); got != c.want {
			t.Errorf("%d quads with %s, want %d:\n%s", got, c.sub, c.want, out)
		}
	}
	if n := strings.Count(string(out), `"a" .`); n != 3 { // once in p, twice in the list
		t.Errorf("%d \"a\" literals, want 3:\n%s", n, out)
	}
}
