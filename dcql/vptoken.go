package dcql

import (
	"bytes"
	"encoding/json"
	"slices"
)

// Limits of DecodeVPToken.
const (
	DefaultMaxPresentations = 32
	maxVPTokenDepth         = 64
)

// DecodeVPToken reads a DCQL vp_token: §8.1 "a JSON-encoded object
// containing entries where the key is the id value used for a Credential
// Query in the DCQL query and the value is an array of one or more
// Presentations"; "Each Presentation is represented as a string or
// object, depending on the format". It returns the presentations by key
// (strings stay strings, objects maps) and their keys in a fixed order,
// refusing more than maxPresentations in all (CodeTooLarge; 0: the
// default). It does
// not know the query: Evaluate refuses keys that are no credential query.
func DecodeVPToken(raw []byte, maxPresentations int) (map[string][]any, []string, error) {
	if maxPresentations <= 0 {
		maxPresentations = DefaultMaxPresentations
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return nil, nil, newError(CodeMalformedVPToken, "vp_token", "not a JSON object keyed by credential query id")
	}
	if depth(raw) > maxVPTokenDepth {
		return nil, nil, newError(CodeMalformedVPToken, "vp_token", "nested more than %d deep", maxVPTokenDepth)
	}
	var top map[string]any
	if err := json.Unmarshal(raw, &top); err != nil {
		return nil, nil, newError(CodeMalformedVPToken, "vp_token", "not a JSON object keyed by credential query id")
	}
	keys := make([]string, 0, len(top))
	total := 0
	for k, v := range top {
		arr, ok := v.([]any)
		switch {
		case !ok:
			return nil, nil, newError(CodeMalformedVPToken, "vp_token", "the value of %q is not an array", clip(k))
		case len(arr) == 0:
			return nil, nil, newError(CodeMalformedVPToken, "vp_token", "the value of %q is an empty array", clip(k))
		}
		for _, p := range arr {
			switch p.(type) {
			case string, map[string]any:
			default:
				return nil, nil, newError(CodeMalformedVPToken, "vp_token", "a presentation under %q is neither a string nor an object", clip(k))
			}
		}
		total += len(arr)
		if total > maxPresentations {
			return nil, nil, newError(CodeTooLarge, "vp_token", "more than %d presentations", maxPresentations)
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make(map[string][]any, len(top))
	for k, v := range top {
		out[k] = v.([]any)
	}
	return out, keys, nil
}

// depth is the deepest nesting of arrays and objects in JSON text.
func depth(b []byte) int {
	d, deepest := 0, 0
	inString, escaped := false, false
	for _, c := range b {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			d++
			deepest = max(deepest, d)
		case c == ']' || c == '}':
			d--
		}
	}
	return deepest
}
