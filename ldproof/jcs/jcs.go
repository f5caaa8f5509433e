package jcs

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"sync"
)

// MaxDepth bounds nesting (as encoding/json's decoder does), so that a
// cyclic map built in Go is an error instead of a stack overflow.
const MaxDepth = 10000

var errTooDeep = fmt.Errorf("jcs: nesting deeper than %d", MaxDepth)

// encoder holds the scratch stack of object keys. Each object pushes its
// keys, sorts them in place, writes its members (children push above it)
// and pops them again, so one slice serves the whole tree.
type encoder struct {
	keys  []string
	depth int
}

var encoders = sync.Pool{New: func() any { return &encoder{keys: make([]string, 0, 64)} }}

func getEncoder() *encoder { return encoders.Get().(*encoder) }

func (e *encoder) release() {
	if cap(e.keys) > 4096 {
		return // one huge object; let the collector have its scratch
	}
	clear(e.keys[:cap(e.keys)]) // drop references to the caller's strings
	e.keys = e.keys[:0]
	e.depth = 0
	encoders.Put(e)
}

// Append appends the canonical form of v to dst.
func Append(dst []byte, v any) ([]byte, error) {
	e := getEncoder()
	defer e.release()
	return e.value(dst, v)
}

// Canonicalize returns the canonical form of v.
func Canonicalize(v any) ([]byte, error) { return Append(nil, v) }

// Transform canonicalizes raw JSON text. It decodes with encoding/json, so
// duplicate member names are not rejected (the last one wins); callers that
// need RFC 8785's strict I-JSON input checks must validate first.
func Transform(raw []byte) ([]byte, error) {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("jcs: decode: %w", err)
	}
	return Append(make([]byte, 0, len(raw)), v)
}

// AppendWithMember appends the canonical form of obj as if obj[name] were
// member with member[omit] removed, without copying either map. If obj has
// no member name, one is added. An empty omit leaves nothing out (the key
// "" is a legal JSON member name). This is the signing input of proof suites
// that sign "the document with its proof, minus the signature value".
func AppendWithMember(dst []byte, obj map[string]any, name string, member map[string]any, omit string) ([]byte, error) {
	e := getEncoder()
	defer e.release()
	e.depth = 1
	base := len(e.keys)
	for k := range obj {
		if k != name {
			e.keys = append(e.keys, k)
		}
	}
	e.keys = append(e.keys, name)
	slices.SortFunc(e.keys[base:], compareKeys)
	dst = append(dst, '{')
	var err error
	for i, end := base, len(e.keys); i < end; i++ {
		k := e.keys[i]
		if i > base {
			dst = append(dst, ',')
		}
		if dst, err = AppendString(dst, k); err != nil {
			return dst, err
		}
		dst = append(dst, ':')
		if k == name {
			dst, err = e.object(dst, member, omit)
		} else {
			dst, err = e.value(dst, obj[k])
		}
		if err != nil {
			return dst, err
		}
	}
	return append(dst, '}'), nil
}

func (e *encoder) value(dst []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(dst, "null"...), nil
	case bool:
		if v {
			return append(dst, "true"...), nil
		}
		return append(dst, "false"...), nil
	case string:
		return AppendString(dst, v)
	case float64:
		return AppendNumber(dst, v)
	case map[string]any:
		return e.object(dst, v, "")
	case []any:
		return e.array(dst, v)
	case json.Number:
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil {
			return dst, fmt.Errorf("jcs: number %q: %w", truncate(string(v)), err)
		}
		return AppendNumber(dst, f)
	case int:
		return AppendNumber(dst, float64(v))
	case int64:
		return AppendNumber(dst, float64(v))
	case []string:
		return e.strings(dst, v)
	default:
		return e.other(dst, v)
	}
}

func (e *encoder) object(dst []byte, m map[string]any, omit string) ([]byte, error) {
	if e.depth++; e.depth > MaxDepth {
		return dst, errTooDeep
	}
	base := len(e.keys)
	for k := range m {
		if omit == "" || k != omit {
			e.keys = append(e.keys, k)
		}
	}
	end := len(e.keys)
	slices.SortFunc(e.keys[base:end], compareKeys)
	dst = append(dst, '{')
	var err error
	for i := base; i < end; i++ {
		if i > base {
			dst = append(dst, ',')
		}
		k := e.keys[i] // re-read: children may have grown (moved) e.keys
		if dst, err = AppendString(dst, k); err != nil {
			return dst, err
		}
		dst = append(dst, ':')
		if dst, err = e.value(dst, m[k]); err != nil {
			return dst, err
		}
	}
	e.keys = e.keys[:base]
	e.depth--
	return append(dst, '}'), nil
}

func (e *encoder) array(dst []byte, a []any) ([]byte, error) {
	if e.depth++; e.depth > MaxDepth {
		return dst, errTooDeep
	}
	dst = append(dst, '[')
	var err error
	for i, v := range a {
		if i > 0 {
			dst = append(dst, ',')
		}
		if dst, err = e.value(dst, v); err != nil {
			return dst, err
		}
	}
	e.depth--
	return append(dst, ']'), nil
}

func (e *encoder) strings(dst []byte, a []string) ([]byte, error) {
	dst = append(dst, '[')
	var err error
	for i, s := range a {
		if i > 0 {
			dst = append(dst, ',')
		}
		if dst, err = AppendString(dst, s); err != nil {
			return dst, err
		}
	}
	return append(dst, ']'), nil
}

// other handles values that did not come from encoding/json's decoder
// (structs, typed maps and slices built by a wallet) by a round trip through
// encoding/json. It is slow but keeps Append total for such callers.
func (e *encoder) other(dst []byte, v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return dst, fmt.Errorf("jcs: unsupported value of type %T: %w", v, err)
	}
	var generic any
	if err := json.Unmarshal(raw, &generic); err != nil {
		return dst, fmt.Errorf("jcs: value of type %T: %w", v, err)
	}
	// generic now holds only decoder types, so this cannot come back here.
	return e.value(dst, generic)
}

// truncate keeps error messages bounded whatever the input size.
func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
