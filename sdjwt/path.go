package sdjwt

import "math"

// Path is a claims path pointer (OpenID4VP 1.0 §7): strings select an
// object member, non-negative integers an array element, nil every
// element of an array. Issue and Present select claims with it.
type Path []any

// DiscloseAll, given to Present, discloses every disclosure: the empty
// path is a prefix of all.
var DiscloseAll = []Path{{}}

// component reads a path component: a string, an index (an int, or a
// float64 integer as JSON decodes it), or nil (every element).
func component(c any) (key string, index int, kind int) {
	switch v := c.(type) {
	case nil:
		return "", 0, compAll
	case string:
		return v, 0, compKey
	case int:
		if v >= 0 {
			return "", v, compIndex
		}
	case float64:
		if v >= 0 && v == math.Trunc(v) && v < 1<<31 {
			return "", int(v), compIndex
		}
	}
	return "", 0, compBad
}

const (
	compBad = iota
	compKey
	compIndex
	compAll
)

// matches reports whether the pattern component p (which may be nil)
// selects the concrete component c (a string or an int).
func matches(p, c any) bool {
	pk, pi, pkind := component(p)
	ck, ci, ckind := component(c)
	switch pkind {
	case compKey:
		return ckind == compKey && pk == ck
	case compIndex:
		return ckind == compIndex && pi == ci
	case compAll:
		return ckind == compIndex
	}
	return false
}

// equalTo reports whether pattern selects exactly the concrete path.
func (pattern Path) equalTo(concrete []any) bool {
	if len(pattern) != len(concrete) {
		return false
	}
	for i := range pattern {
		if !matches(pattern[i], concrete[i]) {
			return false
		}
	}
	return true
}

// related reports whether one of pattern and concrete is a prefix of the
// other: a disclosure on the way to a selected claim, or inside one.
func (pattern Path) related(concrete []any) bool {
	n := min(len(pattern), len(concrete))
	for i := 0; i < n; i++ {
		if !matches(pattern[i], concrete[i]) {
			return false
		}
	}
	return true
}
