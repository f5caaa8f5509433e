package jsonld

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// nodeMapper is JSON-LD 1.1 API §7.2 "Node Map Generation", as json-gold's
// GenerateNodeMap does it (same node map, same duplicate rules), but
// linear: json-gold checks each value added to a property against every
// value already there, so one property with 16,000 values cost seconds.
// Here a set of keys answers "already there?" for the values of long
// arrays. It also returns errors, where json-gold would panic, for
// expanded input of an unexpected shape.
type nodeMapper struct {
	ctx    context.Context
	graphs map[string]any // graph name → map[string]any: node id → node
	labels *labeler
	seen   map[valueKey]struct{}
	steps  int
}

// valueKey identifies a value of one property of one node for the
// duplicate check. json-gold (utils.go CompareValues) deems two values the
// same when they are value objects with equal @value, @type, @language
// and @index, or objects with equal @id; other values (lists) are never
// the same.
type valueKey struct {
	graph, subject, property string
	value                    string // "@id" + id, or the value object's members
}

// labeler issues blank node identifiers (§4.5 of RDFC-1.0's "Issue
// Identifier", as json-gold's IdentifierIssuer): old "" asks for a fresh one.
type labeler struct {
	prefix string
	next   int
	issued map[string]string
}

func newLabeler(prefix string) *labeler {
	return &labeler{prefix: prefix, issued: make(map[string]string)}
}

func (l *labeler) get(old string) string {
	if v, ok := l.issued[old]; ok && old != "" {
		return v
	}
	v := l.prefix + strconv.Itoa(l.next)
	l.next++
	if old != "" {
		l.issued[old] = v
	}
	return v
}

// list collects the items of a @list object being built.
type list struct{ items []any }

// nodeMap generates the node map of an expanded document (an array).
func nodeMap(ctx context.Context, expanded []any, labels *labeler) (map[string]any, error) {
	m := &nodeMapper{ctx: ctx, graphs: map[string]any{"@default": map[string]any{}}, labels: labels,
		seen: make(map[valueKey]struct{})}
	if err := m.generate(expanded, "@default", "", nil, "", nil); err != nil {
		return nil, err
	}
	return m.graphs, nil
}

func (m *nodeMapper) graph(name string) map[string]any {
	g, ok := m.graphs[name].(map[string]any)
	if !ok {
		g = make(map[string]any)
		m.graphs[name] = g
	}
	return g
}

// generate is §7.2 for one element. The active subject is a node id
// (subject), or for a reverse property the node reference reverse; "" and
// nil at the top of a graph.
func (m *nodeMapper) generate(element any, graphName, subject string, reverse map[string]any, property string, l *list) error {
	if a, ok := element.([]any); ok {
		for _, item := range a {
			if err := m.generate(item, graphName, subject, reverse, property, l); err != nil {
				return err
			}
		}
		return nil
	}
	if m.steps++; m.steps%1024 == 0 {
		if err := m.ctx.Err(); err != nil {
			return fmt.Errorf("jsonld: node map: %w", err)
		}
	}
	elem, ok := element.(map[string]any)
	if !ok {
		return fmt.Errorf("%w: expected an object in the expanded document, got %T", ErrInvalid, element)
	}
	graph := m.graph(graphName)
	// The node the value is added to: a reverse property's value is added
	// to the referenced node instead, so json-gold adds it to a scratch one.
	var subjectNode map[string]any
	if reverse == nil && subject != "" {
		subjectNode, _ = graph[subject].(map[string]any)
	}
	types, err := m.types(elem)
	if err != nil {
		return err
	}
	if _, isValue := elem["@value"]; isValue {
		if len(types) > 0 {
			elem = shallowWith(elem, "@type", types[0])
		}
		if l != nil {
			l.items = append(l.items, elem)
			return nil
		}
		m.add(subjectNode, graphName, subject, property, elem)
		return nil
	}
	if items, isList := elem["@list"]; isList {
		inner := &list{items: []any{}}
		if err := m.generate(items, graphName, subject, reverse, property, inner); err != nil {
			return err
		}
		result := map[string]any{"@list": inner.items}
		if l != nil {
			l.items = append(l.items, result)
			return nil
		}
		m.add(subjectNode, graphName, subject, property, result)
		return nil
	}
	return m.node(elem, types, graph, graphName, subject, subjectNode, reverse, property, l)
}

// node is §7.2 step 6 on: a node object.
func (m *nodeMapper) node(elem map[string]any, types []any, graph map[string]any, graphName, subject string,
	subjectNode, reverse map[string]any, property string, l *list) error {
	var id string
	switch v := elem["@id"].(type) {
	case nil:
		id = m.labels.get("")
	case string:
		id = v
		if strings.HasPrefix(id, "_:") {
			id = m.labels.get(id)
		}
	default:
		return fmt.Errorf("%w: @id is a %T", ErrInvalid, v)
	}
	node, ok := graph[id].(map[string]any)
	if !ok {
		node = map[string]any{"@id": id}
		graph[id] = node
	}
	switch {
	case reverse != nil:
		m.add(node, graphName, id, property, reverse)
	case property != "":
		ref := map[string]any{"@id": id}
		if l != nil {
			l.items = append(l.items, ref)
		} else {
			m.add(subjectNode, graphName, subject, property, ref)
		}
	}
	if _, has := elem["@type"]; has {
		if _, ok := node["@type"]; !ok {
			node["@type"] = []any{}
		}
		for _, t := range types {
			m.add(node, graphName, id, "@type", t)
		}
	}
	if idx, has := elem["@index"]; has {
		if prev, found := node["@index"]; found && !sameScalar(prev, idx) {
			return fmt.Errorf("%w: conflicting @index values for %q", ErrInvalid, clip(id))
		}
		node["@index"] = idx
	}
	if rv, has := elem["@reverse"]; has {
		rmap, ok := rv.(map[string]any)
		if !ok {
			return fmt.Errorf("%w: @reverse is a %T", ErrInvalid, rv)
		}
		ref := map[string]any{"@id": id}
		for _, rp := range sortedKeys(rmap) {
			vals, _ := rmap[rp].([]any)
			for _, v := range vals {
				if err := m.generate(v, graphName, "", ref, rp, nil); err != nil {
					return err
				}
			}
		}
	}
	if g, has := elem["@graph"]; has {
		if err := m.generate(g, id, "", nil, "", nil); err != nil {
			return err
		}
	}
	if inc, has := elem["@included"]; has {
		if err := m.generate(inc, graphName, "", nil, "", nil); err != nil {
			return err
		}
	}
	for _, prop := range sortedKeys(elem) {
		switch prop {
		case "@id", "@type", "@index", "@reverse", "@graph", "@included":
			continue
		}
		value := elem[prop]
		name := prop
		if strings.HasPrefix(name, "_:") {
			name = m.labels.get(name)
		}
		if _, ok := node[name]; !ok {
			node[name] = []any{}
		}
		if err := m.generate(value, graphName, id, nil, name, nil); err != nil {
			return err
		}
	}
	return nil
}

// types returns elem's @type values with blank node identifiers relabelled.
func (m *nodeMapper) types(elem map[string]any) ([]any, error) {
	t, has := elem["@type"]
	if !has {
		return nil, nil
	}
	var in []any
	switch v := t.(type) {
	case []any:
		in = v
	default:
		in = []any{v}
	}
	out := make([]any, len(in))
	for i, e := range in {
		s, ok := e.(string)
		if !ok {
			return nil, fmt.Errorf("%w: @type value is a %T", ErrInvalid, e)
		}
		if strings.HasPrefix(s, "_:") {
			s = m.labels.get(s)
		}
		out[i] = s
	}
	return out, nil
}

// add appends value to node[property] unless it is already there. A nil
// node (a value of a reverse property that is no node object) takes
// nothing, as json-gold's scratch node does. Short arrays are searched
// (no allocation); from linearSearch values on, a set of keys answers.
func (m *nodeMapper) add(node map[string]any, graphName, subject, property string, value any) {
	if node == nil {
		return
	}
	vals, _ := node[property].([]any)
	if len(vals) < linearSearch {
		for _, v := range vals {
			if sameValue(v, value) {
				return
			}
		}
	} else {
		if len(vals) == linearSearch { // index what is there
			for _, v := range vals {
				if k, ok := valueKeyOf(v); ok {
					m.seen[valueKey{graphName, subject, property, k}] = struct{}{}
				}
			}
		}
		if k, ok := valueKeyOf(value); ok {
			vk := valueKey{graphName, subject, property, k}
			if _, dup := m.seen[vk]; dup {
				return
			}
			m.seen[vk] = struct{}{}
		}
	}
	node[property] = append(vals, value)
}

// linearSearch is the array length from which add uses the set of keys.
const linearSearch = 16

// sameValue is json-gold's CompareValues without its panic on JSON
// literals: equal strings (types), value objects with equal @value,
// @type, @language and @index, or objects with equal @id.
func sameValue(a, b any) bool {
	am, aMap := a.(map[string]any)
	bm, bMap := b.(map[string]any)
	if !aMap || !bMap {
		as, aStr := a.(string)
		bs, bStr := b.(string)
		return aStr && bStr && as == bs
	}
	if av, ok := am["@value"]; ok {
		bv, ok := bm["@value"]
		if !ok {
			return false
		}
		for _, pair := range [][2]any{{av, bv}, {am["@type"], bm["@type"]}, {am["@language"], bm["@language"]}, {am["@index"], bm["@index"]}} {
			if !sameScalar(pair[0], pair[1]) {
				return false
			}
		}
		return true
	}
	aid, aHas := am["@id"]
	bid, bHas := bm["@id"]
	return aHas && bHas && sameScalar(aid, bid)
}

// valueKeyOf encodes what decides whether value duplicates another;
// false when it never does (a list; a value object whose @value is a JSON
// literal, which json-gold cannot compare either).
func valueKeyOf(value any) (string, bool) {
	switch v := value.(type) {
	case string:
		return "@type" + v, true
	case map[string]any:
		if val, ok := v["@value"]; ok {
			var b strings.Builder
			b.WriteString("@value")
			for _, part := range []any{val, v["@type"], v["@language"], v["@index"]} {
				s, ok := scalarKey(part)
				if !ok {
					return "", false
				}
				b.WriteString(strconv.Itoa(len(s)))
				b.WriteByte(':')
				b.WriteString(s)
			}
			return b.String(), true
		}
		if id, ok := v["@id"].(string); ok {
			return "@id" + id, true
		}
	}
	return "", false
}

// scalarKey encodes a JSON scalar (or absence) so that two encode alike
// exactly when Go's == holds for them.
func scalarKey(v any) (string, bool) {
	switch t := v.(type) {
	case nil:
		return "-", true
	case string:
		return "s" + t, true
	case bool:
		return "b" + strconv.FormatBool(t), true
	case float64:
		if t == 0 {
			t = 0 // -0 == 0
		}
		return "n" + strconv.FormatUint(math.Float64bits(t), 16), true
	}
	return "", false
}

func sameScalar(a, b any) bool {
	ka, okA := scalarKey(a)
	kb, okB := scalarKey(b)
	return okA && okB && ka == kb
}

func shallowWith(m map[string]any, k string, v any) map[string]any {
	out := make(map[string]any, len(m))
	for key, val := range m {
		out[key] = val
	}
	out[k] = v
	return out
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
