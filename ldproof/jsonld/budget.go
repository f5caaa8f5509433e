package jsonld

import "fmt"

// Defaults of the Config budgets. A wallet's answer is at most 256 KiB, and
// without bounds such an answer can make canonicalization run for seconds
// (issue 9): many JSON values make expansion and the node map slow, many
// alike blank nodes make URDNA2015's n-degree hashing explode.
//
// The defaults come from measurement (budget_test.go): a presentation of
// ten credentials with a few dozen claims each, nested objects and arrays
// of objects included, has 151 JSON objects, 783 other values, 151 blank
// nodes and needs 2,942 units of work, and costs 5 ms; every vector and
// bench document spends less. The defaults are 7 to 17 times that; the
// most expensive documents they admit (1,500 distinct objects without id
// with 3 values each; 6,000 values in one property) cost 13 to 27 ms of
// one core of this project's machines, and refusing one costs less.
const (
	// DefaultMaxNodes bounds the JSON objects of a document.
	DefaultMaxNodes = 1500
	// DefaultMaxValues bounds its other JSON values: strings, numbers,
	// booleans, nulls and arrays (each array element is a value or an
	// object).
	DefaultMaxValues = 6000
	// DefaultMaxBlankNodes bounds the blank nodes of its RDF form (objects
	// without id, list elements, graphs).
	DefaultMaxBlankNodes = 1500
	// DefaultMaxWork bounds URDNA2015's hashing work, in units of one quad
	// serialized and hashed or one issued identifier copied (about 80 ns
	// each).
	DefaultMaxWork = 50000
)

// limits are a Processor's budgets, defaults applied.
type limits struct {
	nodes, values, blankNodes, work int
}

func newLimits(cfg Config) limits {
	def := func(v, d int) int {
		if v <= 0 {
			return d
		}
		return v
	}
	return limits{
		nodes:      def(cfg.MaxNodes, DefaultMaxNodes),
		values:     def(cfg.MaxValues, DefaultMaxValues),
		blankNodes: def(cfg.MaxBlankNodes, DefaultMaxBlankNodes),
		work:       def(cfg.MaxWork, DefaultMaxWork),
	}
}

// checkSize refuses a document with more JSON objects or values than the
// limits allow, before expansion: json-gold's Expand takes no context and
// cannot be stopped, so what it is given must be small enough to finish
// quickly. @context values are not counted (contexts are bounded by what
// the loader serves, and inline ones are part of the document's size).
// One walk, stopping as soon as a limit is passed.
func (l limits) checkSize(doc map[string]any, st *stats) error {
	w := sizeWalk{limits: l}
	ok := w.object(doc)
	st.nodes, st.values = w.nodes, w.values
	if !ok {
		return w.err
	}
	return nil
}

type sizeWalk struct {
	limits
	nodes, values int
	err           error
}

func (w *sizeWalk) object(m map[string]any) bool {
	if w.nodes++; w.nodes > w.limits.nodes {
		w.err = fmt.Errorf("%w: more than %d JSON objects", ErrTooComplex, w.limits.nodes)
		return false
	}
	for k, v := range m {
		if k == "@context" {
			continue
		}
		if !w.value(v) {
			return false
		}
	}
	return true
}

func (w *sizeWalk) value(v any) bool {
	if m, ok := v.(map[string]any); ok {
		return w.object(m)
	}
	if w.values++; w.values > w.limits.values {
		w.err = fmt.Errorf("%w: more than %d JSON values", ErrTooComplex, w.limits.values)
		return false
	}
	if a, ok := v.([]any); ok {
		for _, e := range a {
			if !w.value(e) {
				return false
			}
		}
	}
	return true
}

// checkBlankNodes refuses RDF with more distinct blank nodes than allowed,
// before any hashing.
func (l limits) checkBlankNodes(n int) error {
	if n > l.blankNodes {
		return fmt.Errorf("%w: more than %d blank nodes", ErrTooComplex, l.blankNodes)
	}
	return nil
}
