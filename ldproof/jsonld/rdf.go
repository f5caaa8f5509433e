package jsonld

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/piprate/json-gold/ld"

	"github.com/loginwithiota/verifier/ldproof/jcs"
)

// RDF vocabulary the conversion writes.
const (
	rdfType    = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
	rdfFirst   = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"
	rdfRest    = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"
	rdfNil     = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil"
	rdfJSON    = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON"
	xsdBoolean = "http://www.w3.org/2001/XMLSchema#boolean"
	xsdDouble  = "http://www.w3.org/2001/XMLSchema#double"
	xsdInteger = "http://www.w3.org/2001/XMLSchema#integer"
)

// toQuads converts expanded JSON-LD to RDF quads (JSON-LD 1.1 API §8.2,
// "Deserialize JSON-LD to RDF"), refusing — where the algorithm would
// silently skip — relative IRIs, blank-node predicates and malformed
// language tags: skipped data is unsigned data. The node map is ours
// (nodemap.go), json-gold's being quadratic in the values of a property.
func toQuads(ctx context.Context, expanded any) ([]quad, error) {
	var top []any
	switch v := expanded.(type) {
	case nil:
	case []any:
		top = v
	case map[string]any:
		if g, ok := v["@graph"]; ok && len(v) == 1 {
			if top, ok = g.([]any); !ok {
				top = []any{g}
			}
		} else {
			top = []any{v}
		}
	default:
		return nil, fmt.Errorf("%w: expanded document is a %T", ErrInvalid, expanded)
	}
	labels := newLabeler("_:b")
	graphs, err := nodeMap(ctx, top, labels)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("jsonld: to RDF: %w", err)
	}
	c := converter{labels: labels}
	for name, g := range graphs {
		switch {
		case name == "@default":
			c.graph = term{}
		case strings.HasPrefix(name, "_:"):
			c.graph = term{kind: kindBlank, value: name}
		case absolute(name):
			c.graph = term{kind: kindIRI, value: name}
		default:
			return nil, fmt.Errorf("%w: relative IRI %q as a graph name", ErrUnsafe, clip(name))
		}
		graph, _ := g.(map[string]any)
		if err := c.graphToRDF(graph); err != nil {
			return nil, err
		}
	}
	return c.quads, nil
}

type converter struct {
	labels *labeler
	graph  term
	quads  []quad
}

func (c *converter) add(s, p, o term) {
	c.quads = append(c.quads, quad{s: s, p: p, o: o, g: c.graph})
}

func (c *converter) graphToRDF(graph map[string]any) error {
	for id, n := range graph {
		subject, err := resource(id, "@id")
		if err != nil {
			return err
		}
		node, _ := n.(map[string]any)
		for prop, vals := range node {
			var predicate term
			switch {
			case prop == "@type":
				predicate = term{kind: kindIRI, value: rdfType}
			case ld.IsKeyword(prop):
				continue
			case strings.HasPrefix(prop, "_:"):
				return fmt.Errorf("%w: blank node %q used as a property", ErrUnsafe, clip(prop))
			case !absolute(prop):
				return fmt.Errorf("%w: property %q is not an absolute IRI", ErrUnsafe, clip(prop))
			default:
				predicate = term{kind: kindIRI, value: prop}
			}
			items, _ := vals.([]any)
			for _, item := range items {
				var object term
				if prop == "@type" {
					s, _ := item.(string)
					if object, err = resource(s, "@type"); err != nil {
						return err
					}
				} else if object, err = c.object(item); err != nil {
					return err
				}
				c.add(subject, predicate, object)
			}
		}
	}
	return nil
}

// object converts a node reference, value object or list (§8.2.3).
func (c *converter) object(item any) (term, error) {
	m, ok := item.(map[string]any)
	if !ok {
		return term{}, fmt.Errorf("%w: unexpected %T in expanded document", ErrInvalid, item)
	}
	if v, ok := m["@value"]; ok {
		return literal(m, v)
	}
	if l, ok := m["@list"]; ok {
		list, _ := l.([]any)
		return c.list(list)
	}
	id, _ := m["@id"].(string)
	return resource(id, "@id")
}

func (c *converter) list(list []any) (term, error) {
	if len(list) == 0 {
		return term{kind: kindIRI, value: rdfNil}, nil
	}
	head := term{kind: kindBlank, value: c.labels.get("")}
	subject := head
	for i, item := range list {
		object, err := c.object(item)
		if err != nil {
			return term{}, err
		}
		c.add(subject, term{kind: kindIRI, value: rdfFirst}, object)
		rest := term{kind: kindIRI, value: rdfNil}
		if i < len(list)-1 {
			rest = term{kind: kindBlank, value: c.labels.get("")}
		}
		c.add(subject, term{kind: kindIRI, value: rdfRest}, rest)
		subject = rest
	}
	return head, nil
}

// literal follows §8.6 "Object to RDF Conversion" for value objects, with
// numbers written as jsonld.js writes them (integers below 1e21 as
// xsd:integer, other numbers as canonical xsd:double).
func literal(m map[string]any, v any) (term, error) {
	datatype, _ := m["@type"].(string)
	if datatype == "@json" {
		canon, err := jcs.Canonicalize(v)
		if err != nil {
			return term{}, fmt.Errorf("%w: @json value: %v", ErrInvalid, err)
		}
		return term{kind: kindLiteral, value: string(canon), datatype: rdfJSON}, nil
	}
	if datatype != "" && !absolute(datatype) {
		return term{}, fmt.Errorf("%w: datatype %q is not an absolute IRI", ErrUnsafe, clip(datatype))
	}
	switch val := v.(type) {
	case bool:
		return term{kind: kindLiteral, value: strconv.FormatBool(val), datatype: or(datatype, xsdBoolean)}, nil
	case float64:
		if val != math.Trunc(val) || math.Abs(val) >= 1e21 || datatype == xsdDouble {
			return term{kind: kindLiteral, value: ld.GetCanonicalDouble(val), datatype: or(datatype, xsdDouble)}, nil
		}
		return term{kind: kindLiteral, value: strconv.FormatFloat(val, 'f', 0, 64), datatype: or(datatype, xsdInteger)}, nil
	case string:
		if lang, ok := m["@language"].(string); ok {
			if !languageTag.MatchString(lang) {
				return term{}, fmt.Errorf("%w: %q is not a language tag", ErrUnsafe, clip(lang))
			}
			return term{kind: kindLiteral, value: val, datatype: rdfLangString, lang: lang}, nil
		}
		return term{kind: kindLiteral, value: val, datatype: or(datatype, xsdString)}, nil
	}
	return term{}, fmt.Errorf("%w: unexpected @value %T", ErrInvalid, v)
}

var languageTag = regexp.MustCompile(`^[a-zA-Z]+(-[a-zA-Z0-9]+)*$`)

// resource is an IRI or blank node; anything relative is refused.
func resource(s, what string) (term, error) {
	if strings.HasPrefix(s, "_:") {
		return term{kind: kindBlank, value: s}, nil
	}
	if !absolute(s) {
		return term{}, fmt.Errorf("%w: %s %q is not an absolute IRI (relative IRIs are dropped from the signed data)", ErrUnsafe, what, clip(s))
	}
	return term{kind: kindIRI, value: s}, nil
}

// absolute: scheme ":" and no whitespace (what jsonld.js's toRdf accepts).
func absolute(s string) bool {
	i := strings.IndexByte(s, ':')
	if i <= 0 {
		return false
	}
	for j := 0; j < i; j++ {
		ch := s[j]
		letter := ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z'
		if !letter && (j == 0 || !(ch >= '0' && ch <= '9' || ch == '+' || ch == '-' || ch == '.')) {
			return false
		}
	}
	return !strings.ContainsAny(s, " \t\n\r<>\"{}|\\^`")
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
