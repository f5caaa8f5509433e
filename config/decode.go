package config

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// decode fills v from the YAML node n strictly: an unknown key, a
// repeated key or a value of the wrong type is an *Error naming the line
// and the key path (session.lifetime, dids.pinned[0].file). yaml.v3's own
// strict decoder names Go types instead (config.Session); this walk keeps
// the file's words.
func decode(n *yaml.Node, v reflect.Value, path string) error {
	for n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		n = n.Content[0]
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if isNull(n) {
		return nil // the key's default
	}
	if v.CanAddr() {
		if _, ok := v.Addr().Interface().(yaml.Unmarshaler); ok {
			return nodeDecode(n, v, path)
		}
	}
	switch v.Kind() {
	case reflect.Struct:
		return decodeStruct(n, v, path)
	case reflect.Slice:
		if elem := v.Type().Elem(); elem.Kind() == reflect.Struct {
			if n.Kind != yaml.SequenceNode {
				return &Error{Line: n.Line, Path: path, Msg: "want a list"}
			}
			out := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
			for i, item := range n.Content {
				if err := decode(item, out.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
					return err
				}
			}
			v.Set(out)
			return nil
		}
	}
	return nodeDecode(n, v, path)
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// decodeStruct matches a mapping's keys with the struct's yaml tags.
func decodeStruct(n *yaml.Node, v reflect.Value, path string) error {
	if n.Kind != yaml.MappingNode {
		return &Error{Line: n.Line, Path: path, Msg: "want a mapping of keys"}
	}
	fields := map[string]int{}
	t := v.Type()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name != "" && name != "-" {
			fields[name] = i
		}
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		at := join(path, k.Value)
		if seen[k.Value] {
			return &Error{Line: k.Line, Path: at, Msg: "is set twice"}
		}
		seen[k.Value] = true
		idx, ok := fields[k.Value]
		if !ok {
			return &Error{Line: k.Line, Path: at, Msg: "unknown key" + suggestion(k.Value, fields)}
		}
		if err := decode(val, v.Field(idx), at); err != nil {
			return err
		}
	}
	return nil
}

// suggestion names a known key one typo away, if there is one.
func suggestion(key string, fields map[string]int) string {
	for name := range fields {
		if closeTo(key, name) {
			return fmt.Sprintf(" (did you mean %s?)", name)
		}
	}
	return ""
}

// closeTo: same length with two letters swapped or one changed, or one
// letter more or less.
func closeTo(a, b string) bool {
	if a == b {
		return false
	}
	if len(a) == len(b) {
		diff := []int{}
		for i := range a {
			if a[i] != b[i] {
				diff = append(diff, i)
			}
		}
		return len(diff) == 1 || (len(diff) == 2 && diff[1] == diff[0]+1 && a[diff[0]] == b[diff[1]] && a[diff[1]] == b[diff[0]])
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) != 1 {
		return false
	}
	for i := range b {
		if b[:i]+b[i+1:] == a {
			return true
		}
	}
	return false
}

// nodeDecode leaves a value to yaml.v3 and words its error for the file.
func nodeDecode(n *yaml.Node, v reflect.Value, path string) error {
	err := n.Decode(v.Addr().Interface())
	if err == nil {
		return nil
	}
	var ke *Error
	if errors.As(err, &ke) {
		return ke
	}
	var te *yaml.TypeError
	if errors.As(err, &te) || strings.HasPrefix(err.Error(), "yaml:") {
		return &Error{Line: n.Line, Path: path, Msg: want(v.Type(), n)}
	}
	return &Error{Line: n.Line, Path: path, Msg: strings.TrimPrefix(err.Error(), fmt.Sprintf("line %d: ", n.Line))}
}

// want says what a key takes, and what the file has instead.
func want(t reflect.Type, n *yaml.Node) string {
	got := n.Value
	switch n.Kind {
	case yaml.MappingNode:
		got = "a mapping"
	case yaml.SequenceNode:
		got = "a list"
	default:
		got = strconv.Quote(got)
	}
	var w string
	switch t.Kind() {
	case reflect.String:
		w = "a string"
	case reflect.Bool:
		w = "true or false"
	case reflect.Int, reflect.Int64, reflect.Int32:
		w = "a whole number"
	case reflect.Slice:
		w = "a list"
	case reflect.Map:
		w = "a mapping"
	default:
		w = "a value of another type"
	}
	return fmt.Sprintf("want %s, got %s", w, got)
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
