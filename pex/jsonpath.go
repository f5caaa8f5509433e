package pex

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/PaesslerAG/gval"
	"github.com/PaesslerAG/jsonpath"
)

// Two kinds of JSONPath live here.
//
// Simple paths — "$" followed by .name, ['name'], ["name"] or [index] — are
// definite (they select at most one value) and are walked directly over the
// decoded JSON without compiling or allocating. Descriptor-map paths come from
// the wallet and must be simple: a descriptor path points at one claim, and
// wallet input never reaches the general expression engine.
//
// Every other field path of a definition (wildcards, unions, slices, filters,
// recursive descent) is compiled once by github.com/PaesslerAG/jsonpath.

// maxIndexDigits bounds an array index so that parsing cannot overflow.
const maxIndexDigits = 9

// segment is one step of a simple path: a member name, or an index (>= 0).
type segment struct {
	name  string
	index int // -1 for a member name
}

// nextSegment parses the segment of path at offset i, which must be '.' or '['.
// It returns the segment and the offset after it, or a reason why the text at
// i is not a simple segment.
func nextSegment(path string, i int) (segment, int, string) {
	switch path[i] {
	case '.':
		j := i + 1
		for j < len(path) {
			r, size := utf8.DecodeRuneInString(path[j:])
			if !(unicode.IsLetter(r) || r == '_' || (j > i+1 && unicode.IsDigit(r))) {
				break
			}
			j += size
		}
		if j == i+1 {
			return segment{}, 0, "a member name after '.' (letters, digits, '_'; use ['name'] for other characters)"
		}
		return segment{name: path[i+1 : j], index: -1}, j, ""
	case '[':
		if i+1 >= len(path) {
			return segment{}, 0, "a name or index after '['"
		}
		switch q := path[i+1]; {
		case q == '\'' || q == '"':
			end := strings.IndexByte(path[i+2:], q)
			if end < 0 {
				return segment{}, 0, "a closing quote"
			}
			name := path[i+2 : i+2+end]
			if strings.IndexByte(name, '\\') >= 0 {
				return segment{}, 0, "a quoted name without escapes"
			}
			j := i + 2 + end + 1
			if j >= len(path) || path[j] != ']' {
				return segment{}, 0, "']' after the quoted name"
			}
			return segment{name: name, index: -1}, j + 1, ""
		case q >= '0' && q <= '9':
			j, n := i+1, 0
			for j < len(path) && path[j] >= '0' && path[j] <= '9' {
				n = n*10 + int(path[j]-'0')
				j++
			}
			if digits := j - i - 1; digits > maxIndexDigits || (digits > 1 && q == '0') {
				return segment{}, 0, "an index without leading zeros and of at most 9 digits"
			}
			if j >= len(path) || path[j] != ']' {
				return segment{}, 0, "']' after the index"
			}
			return segment{index: n}, j + 1, ""
		}
		return segment{}, 0, "a quoted name or a non-negative index after '['"
	}
	return segment{}, 0, "'.' or '['"
}

// checkSimplePath returns nil if path is a simple path.
func checkSimplePath(path string) error {
	if path == "" || path[0] != '$' {
		return fmt.Errorf("JSONPath %s must start with '$'", quote(path))
	}
	for i := 1; i < len(path); {
		_, next, want := nextSegment(path, i)
		if want != "" {
			return fmt.Errorf("JSONPath %s: expected %s at offset %d; only definite paths are allowed here: $, .name, ['name'], [index]", quote(path), want, i)
		}
		i = next
	}
	return nil
}

// lookupSimple evaluates the simple path on root. ok is false when the path
// selects nothing: a missing member, an index out of range, or a step into a
// value of the wrong kind (an index into an object or a name into an array,
// which select nothing in RFC 9535). A path that is not simple selects nothing.
func lookupSimple(path string, root any) (value any, ok bool) {
	if path == "" || path[0] != '$' {
		return nil, false
	}
	cur := root
	for i := 1; i < len(path); {
		seg, next, want := nextSegment(path, i)
		if want != "" {
			return nil, false
		}
		i = next
		if seg.index < 0 {
			obj, isObj := cur.(map[string]any)
			if !isObj {
				return nil, false
			}
			if cur, ok = obj[seg.name]; !ok {
				return nil, false
			}
			continue
		}
		arr, isArr := cur.([]any)
		if !isArr || seg.index >= len(arr) {
			return nil, false
		}
		cur = arr[seg.index]
	}
	return cur, true
}

// joinPath appends the relative path child (of a path_nested) to parent, so
// that a match can report where it is in the vp_token: "$" + "$.a" = "$.a",
// "$[1]" + "$.a[0]" = "$[1].a[0]".
func joinPath(parent, child string) string {
	if parent == "$" {
		return child
	}
	return parent + child[1:]
}

// fieldPath is a compiled path of a field of an input descriptor.
type fieldPath struct {
	src       string
	eval      gval.Evaluable // nil for a simple path
	ambiguous bool           // eval returns the []any of all matches
}

func compileFieldPath(src string) (fieldPath, error) {
	if src == "" || src[0] != '$' {
		// PaesslerAG would read "a.b" as a variable, and "a == 1" as a
		// comparison; a field path is a JSONPath and starts at the root.
		return fieldPath{}, fmt.Errorf("JSONPath %s must start with '$'", quote(src))
	}
	if checkSimplePath(src) == nil {
		return fieldPath{src: src}, nil
	}
	eval, err := jsonpath.New(src)
	if err != nil {
		return fieldPath{}, fmt.Errorf("invalid JSONPath %s: %w", quote(src), err)
	}
	// PaesslerAG returns the matched value for a definite path and the []any
	// of all matches for one with wildcards, unions, slices, filters or
	// recursive descent; nothing else tells them apart. Probe: on a null root a
	// definite path with a selector fails, an ambiguous one matches nothing.
	res, err := safeEval(eval, nil)
	matches, isList := res.([]any)
	amb := err == nil && isList && matches != nil && len(matches) == 0
	return fieldPath{src: src, eval: eval, ambiguous: amb}, nil
}

// first returns the first match of the path in v. Input Evaluation: "If the
// result returned no JSONPath match, skip to the next path array element.
// Else, evaluate the first JSONPath match (candidate)". Matches of a wildcard
// over an object come in no defined order (JSON objects are unordered).
func (p *fieldPath) first(v any) (any, bool) {
	if p.eval == nil {
		return lookupSimple(p.src, v)
	}
	res, err := safeEval(p.eval, v)
	if err != nil {
		// PaesslerAG reports a missing member ("unknown key"), an index out of
		// bounds or a type mismatch as an error: all mean "no match".
		return nil, false
	}
	if p.ambiguous {
		matches, _ := res.([]any)
		if len(matches) == 0 {
			return nil, false
		}
		return matches[0], true
	}
	return res, true
}

// safeEval runs a compiled PaesslerAG expression, turning a panic inside the
// library (on input nobody anticipated) into "no match" rather than a crash.
func safeEval(eval gval.Evaluable, v any) (res any, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("jsonpath: %v", r)
		}
	}()
	return eval(context.Background(), v)
}
