package config

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// decodeStrict decodes raw into v refusing unknown keys, and rewrites
// yaml.v3's "line 7: field foo not found in type config.Key" into the key
// path ("key.foo: unknown key (line 7)").
func decodeStrict(raw []byte, v any) error {
	var root yaml.Node
	if err := yaml.Unmarshal(raw, &root); err != nil {
		return err
	}
	if len(root.Content) == 0 {
		return nil // an empty file: every default
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	err := dec.Decode(v)
	if err == nil {
		return nil
	}
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return errors.New(explain(&root, err.Error()))
	}
	msgs := make([]string, 0, len(te.Errors))
	for _, m := range te.Errors {
		msgs = append(msgs, explain(&root, m))
	}
	return errors.New(strings.Join(msgs, "; "))
}

var (
	unknownField = regexp.MustCompile(`^line (\d+): field (\S+) not found in type`)
	atLine       = regexp.MustCompile(`^line (\d+): (.*)$`)
)

// explain puts a key path in front of one yaml.v3 error message.
func explain(root *yaml.Node, msg string) string {
	if m := unknownField.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		if p := pathOf(root.Content[0], "", line, m[2]); p != "" {
			return fmt.Sprintf("%s: unknown key (line %d)", p, line)
		}
		return fmt.Sprintf("%s: unknown key (line %d)", m[2], line)
	}
	if m := atLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		if p := pathOf(root.Content[0], "", line, ""); p != "" {
			return fmt.Sprintf("%s: %s (line %d)", p, m[2], line)
		}
	}
	return msg
}

// pathOf finds the key path of the mapping key named key on line (any key
// on that line when key is ""), or of the value on that line.
func pathOf(n *yaml.Node, prefix string, line int, key string) string {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := join(prefix, k.Value)
			if k.Line == line && (key == "" || k.Value == key) {
				return p
			}
			if found := pathOf(v, p, line, key); found != "" {
				return found
			}
		}
	case yaml.SequenceNode:
		for i, item := range n.Content {
			p := fmt.Sprintf("%s[%d]", prefix, i)
			if key == "" && item.Line == line && item.Kind == yaml.ScalarNode {
				return p
			}
			if found := pathOf(item, p, line, key); found != "" {
				return found
			}
		}
	case yaml.ScalarNode:
		if key == "" && n.Line == line {
			return prefix
		}
	}
	return ""
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}
