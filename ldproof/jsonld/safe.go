package jsonld

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/piprate/json-gold/ld"
)

// explainUnsafe names what safe mode refused. json-gold's error does not
// say which member it would drop, and an operator needs that, so on this
// (rare) path the document is expanded once more without safe mode while
// json-gold reports every node object it keeps; a member of the input that
// has no counterpart in its node's expansion is what was dropped.
func (p *Processor) explainUnsafe(doc map[string]any, cause error) error {
	opts := p.opts.Copy()
	opts.SafeMode = false
	var found []string
	opts.ExpandedElementHandler = func(pointer string, expanded any) {
		if len(found) >= 5 {
			return
		}
		in, ok := lookup(doc, pointer).(map[string]any)
		out, _ := expanded.(map[string]any)
		if !ok || out == nil {
			return
		}
		for _, k := range slices.Sorted(maps.Keys(in)) {
			if k == "@context" || accounted(k, out) {
				continue
			}
			where := pointer
			if where == "" {
				where = "/"
			}
			found = append(found, fmt.Sprintf("%q at %s", clip(k), where))
		}
	}
	local, _ := doc["@context"]
	active, err := ld.NewContext(nil, opts).Parse(local)
	if err != nil {
		return cause
	}
	in := make(map[string]any, len(doc))
	for k, v := range doc {
		in[k] = v
	}
	in["@context"] = active
	if _, err := ld.NewJsonLdApi().Expand(ld.NewContext(nil, opts), "", in, opts, false, nil); err != nil || len(found) == 0 {
		return fmt.Errorf("%w (a term not defined by the document's contexts)", cause)
	}
	return fmt.Errorf("%w: undefined term %s", cause, strings.Join(found, ", "))
}

// accounted reports whether input member k plausibly survived expansion:
// a keyword, or a term whose IRI is among the node's expanded properties.
func accounted(k string, out map[string]any) bool {
	if strings.HasPrefix(k, "@") {
		return true
	}
	if _, ok := out[k]; ok { // an absolute IRI used as a key
		return true
	}
	for iri := range out {
		if strings.HasPrefix(iri, "@") {
			continue
		}
		if strings.HasSuffix(iri, "#"+k) || strings.HasSuffix(iri, "/"+k) || strings.HasSuffix(iri, ":"+k) {
			return true
		}
	}
	// id and type are aliased to keywords by every VC context.
	_, id := out["@id"]
	_, typ := out["@type"]
	return (k == "id" && id) || (k == "type" && typ) || len(out) == 0
}

// lookup follows an RFC 6901 JSON Pointer into doc.
func lookup(doc any, pointer string) any {
	if pointer == "" {
		return doc
	}
	cur := doc
	for _, tok := range strings.Split(pointer[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch v := cur.(type) {
		case map[string]any:
			cur = v[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(v) {
				return nil
			}
			cur = v[i]
		default:
			return nil
		}
	}
	return cur
}
