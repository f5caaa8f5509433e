package config

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Error is a config error at a key: the file, the line of the key (0 when
// the file does not have it: a default or a missing key) and its path as
// the file spells it (session.lifetime, presentation_definitions[0].
// input_descriptors[0].constraints.fields[0].filter).
type Error struct {
	File string
	Line int
	Path string
	Msg  string
}

func (e *Error) Error() string {
	var b strings.Builder
	switch {
	case e.File != "" && e.Line > 0:
		fmt.Fprintf(&b, "%s:%d: ", e.File, e.Line)
	case e.File != "":
		fmt.Fprintf(&b, "%s: ", e.File)
	case e.Line > 0:
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// keyPrefix is a key path at the start of a validation message
// ("session.lifetime: must be …", "dids.pinned[0]: …", "oid4vp.scheme: …").
var keyPrefix = regexp.MustCompile(`^([a-z][a-z0-9_]*(?:\.[a-z0-9_]+|\[\d+\]|\["[^"]*"\])*)(?: \([^)]*\))?: `)

// located turns a validation error into an *Error at its key's line.
func located(root *yaml.Node, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	msg := err.Error()
	m := keyPrefix.FindStringSubmatch(msg)
	if m == nil {
		return &Error{Msg: msg}
	}
	path := m[1]
	rest := msg[len(m[0]):]
	if strings.HasPrefix(path, "presentation_definitions[") {
		if member := definitionMember(root, path, rest); member != "" {
			path = member
		}
		rest = strings.TrimPrefix(rest, "pex: ")
	}
	return &Error{Line: lineOf(root, path), Path: path, Msg: rest}
}

// lineOf is the line of the deepest node of path that the file has.
func lineOf(root *yaml.Node, path string) int {
	n := root
	for n != nil && n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		n = n.Content[0]
	}
	if n == nil {
		return 0
	}
	line := 0
	for _, seg := range splitPath(path) {
		next, keyLine := child(n, seg)
		if next == nil {
			break
		}
		line = keyLine
		n = next
	}
	return line
}

// splitPath cuts a.b[0]["k"] into a, b, [0], ["k"].
func splitPath(path string) []string {
	var out []string
	for len(path) > 0 {
		switch {
		case path[0] == '.':
			path = path[1:]
		case path[0] == '[':
			end := strings.Index(path, "]")
			if strings.HasPrefix(path, `["`) {
				end = strings.Index(path, `"]`) + 1
			}
			if end <= 0 {
				return append(out, path)
			}
			out = append(out, path[:end+1])
			path = path[end+1:]
		default:
			end := strings.IndexAny(path, ".[")
			if end < 0 {
				end = len(path)
			}
			out = append(out, path[:end])
			path = path[end:]
		}
	}
	return out
}

// child is the node seg names under n, and the line to report for it (a
// mapping key's own line).
func child(n *yaml.Node, seg string) (*yaml.Node, int) {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	switch {
	case strings.HasPrefix(seg, `["`):
		seg = strings.TrimSuffix(strings.TrimPrefix(seg, `["`), `"]`)
	case strings.HasPrefix(seg, "["):
		i, err := strconv.Atoi(strings.Trim(seg, "[]"))
		if err != nil || n.Kind != yaml.SequenceNode || i < 0 || i >= len(n.Content) {
			return nil, 0
		}
		return n.Content[i], n.Content[i].Line
	}
	if n.Kind != yaml.MappingNode {
		return nil, 0
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == seg {
			return n.Content[i+1], n.Content[i].Line
		}
	}
	return nil, 0
}

var (
	// descriptorByID: pex names a descriptor by its id in some messages.
	descriptorByID = regexp.MustCompile(`input descriptor ("(?:[^"\\]|\\.)*"), `)
	// annotation: pex adds ids beside indexes: input_descriptors[0] ("id").
	annotation = regexp.MustCompile(` \((?:id )?"(?:[^"\\]|\\.)*"\)`)
	// memberPath is a definition member as pex writes it.
	memberPath = regexp.MustCompile(`\b(?:input_descriptors|submission_requirements|format|frame|constraints|trusted_issuers|allow_warnings)\b(?:(?:\.|: )[a-zA-Z_][a-zA-Z0-9_+]*|\[\d+\])*`)
)

// definitionMember finds, in a definition's error message, the member it
// is about, as a key path from the file's root; "" when it names none.
func definitionMember(root *yaml.Node, prefix, msg string) string {
	def := prefix // presentation_definitions[i]
	if i := strings.Index(prefix, "]"); i > 0 {
		def = prefix[:i+1]
	}
	msg = descriptorByID.ReplaceAllStringFunc(msg, func(s string) string {
		id, err := strconv.Unquote(descriptorByID.FindStringSubmatch(s)[1])
		if err != nil {
			return s
		}
		if i := descriptorIndex(root, def, id); i >= 0 {
			return fmt.Sprintf("input_descriptors[%d].", i)
		}
		return s
	})
	msg = annotation.ReplaceAllString(msg, "")
	var best string
	for _, m := range memberPath.FindAllString(msg, -1) {
		// "input_descriptors[0]: constraints…" is one path in pex's words.
		m = strings.ReplaceAll(m, ": ", ".")
		if len(m) > len(best) {
			best = m
		}
	}
	// A trailing word may be prose, not a key: keep what the file has.
	if best == "" {
		return ""
	}
	segs := splitPath(best)
	for len(segs) > 1 && !exists(root, def+"."+strings.Join(segs, ".")) {
		segs = segs[:len(segs)-1]
	}
	return strings.ReplaceAll(def+"."+strings.Join(segs, "."), ".[", "[")
}

// exists reports whether the file has every node of path.
func exists(root *yaml.Node, path string) bool {
	n := root
	for n != nil && n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		n = n.Content[0]
	}
	for _, seg := range splitPath(path) {
		if n, _ = child(n, seg); n == nil {
			return false
		}
	}
	return true
}

// descriptorIndex is the index of the input descriptor with id in the
// definition at def, or -1.
func descriptorIndex(root *yaml.Node, def, id string) int {
	n := root
	for n != nil && n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		n = n.Content[0]
	}
	for _, seg := range splitPath(def + ".input_descriptors") {
		if n, _ = child(n, seg); n == nil {
			return -1
		}
	}
	if n.Kind != yaml.SequenceNode {
		return -1
	}
	for i, d := range n.Content {
		if v, _ := child(d, "id"); v != nil && v.Value == id {
			return i
		}
	}
	return -1
}
