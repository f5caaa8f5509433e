package dcql

import (
	"errors"
	"math"
)

// Path is a claims path pointer (§7): each component a string (an object
// member), a non-negative int (an array index) or nil (every element of
// the selected arrays).
type Path []any

// errPath is the processing error of §7.1: a component applied to an
// element of the wrong kind, or nothing selected.
var errPath = errors.New("the claims path pointer selects nothing")

// Select applies the path to a JSON-based credential's claims (§7.1.1
// "Processing") and returns the selected elements, or errPath.
func (p Path) Select(claims any) ([]any, error) {
	// 1. "Select the root element of the Credential".
	sel := []any{claims}
	for _, c := range p {
		next := make([]any, 0, len(sel))
		switch c := c.(type) {
		case string:
			// 2.1 "If any of the currently selected element(s) is not an
			// object, abort processing and return an error. If the key does
			// not exist in any element currently selected, remove that
			// element from the selection."
			for _, e := range sel {
				m, ok := e.(map[string]any)
				if !ok {
					return nil, errPath
				}
				if v, ok := m[c]; ok {
					next = append(next, v)
				}
			}
		case nil:
			// 2.2 "select all elements of the currently selected array(s). If
			// any of the currently selected element(s) is not an array, abort
			// processing and return an error."
			for _, e := range sel {
				a, ok := e.([]any)
				if !ok {
					return nil, errPath
				}
				next = append(next, a...)
			}
		case int:
			// 2.3 "If any of the currently selected element(s) is not an array,
			// abort processing and return an error. If the index does not exist
			// in a selected array, remove that array from the selection."
			for _, e := range sel {
				a, ok := e.([]any)
				if !ok {
					return nil, errPath
				}
				if c >= 0 && c < len(a) {
					next = append(next, a[c])
				}
			}
		default:
			// 2.4 "If the component is anything else, abort processing and
			// return an error."
			return nil, errPath
		}
		sel = next
	}
	// 3. "If the set of elements currently selected is empty, abort
	// processing and return an error."
	if len(sel) == 0 {
		return nil, errPath
	}
	return sel, nil
}

// component reads a JSON path component: a string, nil, or an integral
// non-negative number (as an int).
func component(v any) (any, bool) {
	switch v := v.(type) {
	case string, nil:
		return v, true
	case float64:
		if v >= 0 && v == math.Trunc(v) && v <= math.MaxInt32 {
			return int(v), true
		}
	case int:
		if v >= 0 {
			return v, true
		}
	}
	return nil, false
}

// matches reports whether pattern component p selects concrete c (a
// string or an int).
func matches(p, c any) bool {
	switch p := p.(type) {
	case string:
		s, ok := c.(string)
		return ok && s == p
	case int:
		i, ok := c.(int)
		return ok && i == p
	case nil:
		_, ok := c.(int)
		return ok
	}
	return false
}

// related reports whether one of p and concrete is a prefix of the other.
func (p Path) related(concrete []any) bool {
	for i := 0; i < len(p) && i < len(concrete); i++ {
		if !matches(p[i], concrete[i]) {
			return false
		}
	}
	return true
}

// equal reports whether two pointers are the same, component by component.
func (p Path) equal(q Path) bool {
	if len(p) != len(q) {
		return false
	}
	for i := range p {
		if p[i] != q[i] {
			return false
		}
	}
	return true
}
