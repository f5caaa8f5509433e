package dcql

import "slices"

// SelectClaims returns the claims of a presented credential that its
// query asks for, and nothing else: what the website is told.
//
// With claims (of claim set set when the query has claim_sets, else
// all of them) the result keeps the structure of the credential along
// each path: the members named, the array elements indexed (arrays
// compacted in their order), every element for null, a whole object
// where a path stops at one, and, for a claim with values, only the
// elements among them.
//
// Without claims the specification asks for no selectively disclosable
// claim (§6.4.1: "If claims is absent, the Verifier is requesting no
// claims that are selectively disclosable; the Wallet MUST return only
// the claims that are mandatory to present") and, for formats without
// selective disclosure, the whole credential ("the case of both claims
// and claim_sets being absent is interpreted as requesting a
// presentation of the 'full credential'"). Either way the query asked
// for what the credential carries as presented, so SelectClaims returns
// a copy of all of claims; combined with Options.StrictDisclosure no
// selectively disclosed claim is among them.
func SelectClaims(claims map[string]any, cq *CredentialQuery, set int) map[string]any {
	if cq.Claims == nil {
		return deepCopy(claims).(map[string]any)
	}
	root := &node{}
	for _, cl := range cq.claimsIn(set) {
		root.add(cl.Path, cl.Values)
	}
	out, ok := root.project(claims)
	if !ok {
		return map[string]any{}
	}
	m, _ := out.(map[string]any)
	if m == nil {
		return map[string]any{}
	}
	return m
}

// node is the union of the selected paths below one point.
type node struct {
	leaf    bool  // a path ends here: everything below is selected
	values  []any // with leaf: only these values (nil: any)
	anyVals bool  // some path ending here has no values
	keys    map[string]*node
	index   map[int]*node
	all     *node // null: every element
}

func (n *node) add(p Path, values []any) {
	if len(p) == 0 {
		n.leaf = true
		if values == nil {
			n.anyVals = true
		} else {
			n.values = append(n.values, values...)
		}
		return
	}
	var next *node
	switch c := p[0].(type) {
	case string:
		if n.keys == nil {
			n.keys = map[string]*node{}
		}
		if next = n.keys[c]; next == nil {
			next = &node{}
			n.keys[c] = next
		}
	case int:
		if n.index == nil {
			n.index = map[int]*node{}
		}
		if next = n.index[c]; next == nil {
			next = &node{}
			n.index[c] = next
		}
	case nil:
		if n.all == nil {
			n.all = &node{}
		}
		next = n.all
	default:
		return
	}
	next.add(p[1:], values)
}

// project copies what n selects of v; ok is false when it selects
// nothing.
func (n *node) project(v any) (any, bool) {
	if n.leaf {
		if n.anyVals || valueIn(v, n.values) {
			return deepCopy(v), true
		}
		if n.keys == nil && n.index == nil && n.all == nil {
			return nil, false
		}
	}
	switch v := v.(type) {
	case map[string]any:
		if n.keys == nil {
			return nil, false
		}
		out := map[string]any{}
		keys := make([]string, 0, len(n.keys))
		for k := range n.keys {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if e, has := v[k]; has {
				if pv, ok := n.keys[k].project(e); ok {
					out[k] = pv
				}
			}
		}
		return out, len(out) > 0
	case []any:
		if n.index == nil && n.all == nil {
			return nil, false
		}
		var out []any
		for i, e := range v {
			var parts []*node
			if n.all != nil {
				parts = append(parts, n.all)
			}
			if ix := n.index[i]; ix != nil {
				parts = append(parts, ix)
			}
			if len(parts) == 0 {
				continue
			}
			sub := parts[0]
			if len(parts) == 2 {
				sub = merge(parts[0], parts[1])
			}
			if pv, ok := sub.project(e); ok {
				out = append(out, pv)
			}
		}
		return out, len(out) > 0
	}
	return nil, false
}

// merge is the union of two selections (an index and null at one level).
func merge(a, b *node) *node {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	m := &node{leaf: a.leaf || b.leaf, anyVals: a.anyVals || b.anyVals, values: append(slices.Clone(a.values), b.values...),
		all: merge(a.all, b.all)}
	for k, v := range a.keys {
		if m.keys == nil {
			m.keys = map[string]*node{}
		}
		m.keys[k] = v
	}
	for k, v := range b.keys {
		if m.keys == nil {
			m.keys = map[string]*node{}
		}
		m.keys[k] = merge(m.keys[k], v)
	}
	for k, v := range a.index {
		if m.index == nil {
			m.index = map[int]*node{}
		}
		m.index[k] = v
	}
	for k, v := range b.index {
		if m.index == nil {
			m.index = map[int]*node{}
		}
		m.index[k] = merge(m.index[k], v)
	}
	return m
}

func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = deepCopy(e)
		}
		return out
	}
	return v
}
