package jsonld

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/piprate/json-gold/ld"
)

// jsonGoldQuads is toQuads with json-gold's node map, as it was before
// nodemap.go: the reference our node map must agree with.
func jsonGoldQuads(t *testing.T, expanded []any) []quad {
	t.Helper()
	issuer := ld.NewIdentifierIssuer("_:b")
	graphs := map[string]any{"@default": map[string]any{}}
	if _, err := ld.NewJsonLdApi().GenerateNodeMap(expanded, graphs, "@default", issuer, "", "", nil); err != nil {
		t.Fatal(err)
	}
	labels := newLabeler("_:x") // list nodes; json-gold's labels are _:b
	c := converter{labels: labels}
	for name, g := range graphs {
		switch {
		case name == "@default":
			c.graph = term{}
		case name[0] == '_':
			c.graph = term{kind: kindBlank, value: name}
		default:
			c.graph = term{kind: kindIRI, value: name}
		}
		if err := c.graphToRDF(g.(map[string]any)); err != nil {
			t.Fatal(err)
		}
	}
	return c.quads
}

// longArray is 60 values, of which 20 distinct, duplicates coming before
// and after the node map switches from search to set.
func longArray() string {
	var b strings.Builder
	for i := range 60 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"urn:x:%d"`, (i*7)%20)
	}
	return b.String()
}

// Our node map gives the canonical form json-gold's does, on every
// legitimate document and on the node map's corners (reverse properties,
// named graphs, @included, lists of lists, @index, blank node types).
func TestNodeMapMatchesJSONGold(t *testing.T) {
	p := benchProcessor(t, Config{})
	docs := legitimate(t)
	for i, s := range []string{
		`{"@context":{"@vocab":"urn:v:","knows":{"@reverse":"urn:v:knownBy"}},"@id":"urn:a","knows":[{"@id":"urn:b","n":1},{"n":2},{"n":2}]}`,
		`{"@context":{"@vocab":"urn:v:"},"@id":"urn:g","@graph":[{"@id":"urn:a","p":{"q":1}},{"p":[1,1,{"@id":"urn:a"}]}]}`,
		`{"@context":{"@vocab":"urn:v:"},"@id":"_:g","@graph":{"p":{"@list":[{"@list":[1,2]},{"x":1},"a","a"]}},"@included":[{"@id":"urn:i","p":1}]}`,
		`{"@context":{"@vocab":"urn:v:","ix":{"@id":"urn:v:ix","@container":"@index"}},"@id":"urn:a","ix":{"k1":{"@id":"urn:b","p":1},"k2":{"p":1}},"@type":["_:t","urn:T","_:t"]}`,
		`{"@context":{"@vocab":"urn:v:"},"@id":"urn:s","p":[` + longArray() + `],"@type":[` + longArray() + `]}`,
		`{"@context":{"@vocab":"urn:v:"},"p":[{"@value":"1","@type":"urn:D"},{"@value":"1","@type":"urn:D"},{"@value":"1","@type":"urn:E"},{"@value":"x","@language":"en"},{"@value":"x","@language":"de"}]}`,
	} {
		var doc map[string]any
		if err := json.Unmarshal([]byte(s), &doc); err != nil {
			t.Fatal(err)
		}
		docs[string(rune('a'+i))] = doc
	}
	compared := 0
	for name, doc := range docs {
		input, err := p.withProcessedContext(doc)
		if err != nil {
			continue
		}
		expand := func() []any {
			e, err := ld.NewJsonLdApi().Expand(ld.NewContext(nil, p.opts), "", input, p.opts, false, nil)
			if err != nil {
				return nil
			}
			switch v := e.(type) {
			case []any:
				return v
			case map[string]any:
				if g, ok := v["@graph"]; ok && len(v) == 1 {
					if a, ok := g.([]any); ok {
						return a
					}
					return []any{g}
				}
				return []any{v}
			}
			return nil
		}
		first := expand()
		if first == nil {
			continue
		}
		ours, err := toQuads(context.Background(), first)
		if err != nil {
			continue // refused (unsafe): no node map to compare
		}
		e := expand()
		if e == nil {
			continue
		}
		theirs := jsonGoldQuads(t, e)
		a, err1 := canon(ours, URDNA2015)
		b, err2 := canon(theirs, URDNA2015)
		if err1 != nil || err2 != nil || string(a) != string(b) {
			t.Errorf("%s: node maps differ (%v, %v):\nours\n%s\njson-gold\n%s", name, err1, err2, a, b)
		}
		compared++
	}
	if compared < 45 {
		t.Errorf("only %d documents compared", compared)
	}
}
