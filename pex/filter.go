package pex

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/xeipuuv/gojsonreference"
	"github.com/xeipuuv/gojsonschema"
)

// filter is a field's compiled JSON Schema filter. The spec: "implementers
// MUST use JSON Schema Draft 7", so the draft is fixed rather than detected
// from "$schema".
type filter struct {
	schema *gojsonschema.Schema
	// stringType is set when the filter's "type" is "string": the
	// profile-compatibility rule (see doc.go) then lets an array of strings
	// match when any element does.
	stringType bool
	// bounds are the filter's formatMinimum/formatMaximum (and exclusive)
	// on a "date" or "date-time" format; see dates.go.
	bounds []formatBound
}

// compileFilter compiles a filter; warnings name keywords that JSON Schema
// draft 7 does not define (and so ignores), such as a misspelt one.
func compileFilter(raw json.RawMessage) (*filter, []string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, nil, fmt.Errorf("filter is not JSON: %w", err)
	}
	obj, isObj := doc.(map[string]any)
	if _, isBool := doc.(bool); !isObj && !isBool {
		return nil, nil, errors.New("filter must be a JSON Schema (an object or a boolean)")
	}
	if err := checkLocalRefs(doc); err != nil {
		return nil, nil, err
	}
	bounds, err := compileFormatBounds(obj)
	if err != nil {
		return nil, nil, err
	}
	loader := gojsonschema.NewSchemaLoader()
	loader.Draft = gojsonschema.Draft7
	loader.AutoDetect = false
	schema, err := loader.Compile(offlineLoader{gojsonschema.NewGoLoader(doc)})
	if err != nil {
		return nil, nil, fmt.Errorf("filter is not a valid JSON Schema: %w", err)
	}
	t, _ := obj["type"].(string)
	return &filter{schema: schema, stringType: t == "string", bounds: bounds}, unknownKeywords(obj), nil
}

// draft7Keywords are the keywords of JSON Schema draft 7, plus "$defs"
// (2019-09, used by DIF examples through local $refs) and the ajv-formats
// comparisons this package implements.
var draft7Keywords = map[string]bool{
	"$schema": true, "$id": true, "$ref": true, "$comment": true, "$defs": true,
	"title": true, "description": true, "default": true, "readOnly": true, "writeOnly": true, "examples": true,
	"multipleOf": true, "maximum": true, "exclusiveMaximum": true, "minimum": true, "exclusiveMinimum": true,
	"maxLength": true, "minLength": true, "pattern": true,
	"additionalItems": true, "items": true, "maxItems": true, "minItems": true, "uniqueItems": true, "contains": true,
	"maxProperties": true, "minProperties": true, "required": true, "additionalProperties": true,
	"definitions": true, "properties": true, "patternProperties": true, "dependencies": true, "propertyNames": true,
	"const": true, "enum": true, "type": true, "format": true, "contentMediaType": true, "contentEncoding": true,
	"if": true, "then": true, "else": true, "allOf": true, "anyOf": true, "oneOf": true, "not": true,
	"formatMinimum": true, "formatMaximum": true, "formatExclusiveMinimum": true, "formatExclusiveMaximum": true,
}

// unknownKeywords lists the top-level members of a filter that JSON Schema
// draft 7 ignores.
func unknownKeywords(obj map[string]any) []string {
	var out []string
	for k := range obj {
		if !draft7Keywords[k] {
			out = append(out, fmt.Sprintf("%s is not a JSON Schema draft 7 keyword and is ignored", quote(k)))
		}
	}
	sort.Strings(out)
	return out
}

// checkLocalRefs rejects a "$ref" or "$id" that is not a fragment of the
// filter itself: gojsonschema would resolve it by reading a file or fetching
// a URL, and nothing is fetched from the network or disk on an operator's or
// wallet's say-so.
func checkLocalRefs(v any) error {
	switch t := v.(type) {
	case map[string]any:
		for k, child := range t {
			if s, isStr := child.(string); isStr && (k == "$ref" || k == "$id") && !strings.HasPrefix(s, "#") {
				return fmt.Errorf("filter %s %s: only references within the filter (\"#...\") are allowed", k, quote(s))
			}
			if err := checkLocalRefs(child); err != nil {
				return err
			}
		}
	case []any:
		for _, child := range t {
			if err := checkLocalRefs(child); err != nil {
				return err
			}
		}
	}
	return nil
}

// check returns "" when v satisfies the filter, else the schema's reasons.
func (f *filter) check(v any) string {
	if f.stringType {
		if arr, isArr := v.([]any); isArr && len(arr) > 0 && allStrings(arr) {
			// Profile-compatibility rule: {"type":"string", ...} on an array of
			// strings (the profile's filter on $.type) matches when any
			// element matches.
			first := ""
			for _, elem := range arr {
				reason := f.validate(elem)
				if reason == "" {
					return ""
				}
				if first == "" {
					first = reason
				}
			}
			return fmt.Sprintf("no element of the array of %d strings matches: %s", len(arr), first)
		}
	}
	return f.validate(v)
}

func allStrings(arr []any) bool {
	for _, e := range arr {
		if _, isStr := e.(string); !isStr {
			return false
		}
	}
	return true
}

// validate applies the schema strictly.
func (f *filter) validate(v any) string {
	doc, err := schemaValue(v)
	if err != nil {
		return err.Error()
	}
	res, err := f.schema.Validate(valueLoader{doc})
	if err != nil {
		return err.Error()
	}
	if res.Valid() {
		return checkFormatBounds(f.bounds, v)
	}
	var b strings.Builder
	for i, e := range res.Errors() {
		if i > 0 {
			b.WriteString("; ")
		}
		// Descriptions name the rule ("Does not match pattern '^MSc '"),
		// not the value, which is personal data.
		if field := e.Field(); field != "(root)" {
			b.WriteString(field)
			b.WriteString(": ")
		}
		b.WriteString(e.Description())
	}
	return b.String()
}

// valueLoader hands gojsonschema an already decoded value. Its own GoLoader
// would marshal the value to JSON and decode it again on every validation.
type valueLoader struct{ v any }

func (l valueLoader) JsonSource() any        { return l.v }
func (l valueLoader) LoadJSON() (any, error) { return l.v, nil }
func (l valueLoader) LoaderFactory() gojsonschema.JSONLoaderFactory {
	return offlineFactory{}
}
func (l valueLoader) JsonReference() (gojsonreference.JsonReference, error) {
	return gojsonreference.NewJsonReference("#")
}

// schemaValue converts a value decoded by encoding/json into the shape
// gojsonschema validates: numbers as json.Number. Containers are copied only
// when something inside them changes, so strings and arrays of strings (the
// usual filter targets) pass through without allocating.
func schemaValue(v any) (any, error) {
	out, _, err := normalize(v, 0)
	return out, err
}

// maxDepth bounds recursion over a value; encoding/json itself stops at 10000.
const maxDepth = 10000

func normalize(v any, depth int) (any, bool, error) {
	if depth > maxDepth {
		return nil, false, errors.New("value nested too deeply")
	}
	switch t := v.(type) {
	case nil, string, bool, json.Number:
		return v, false, nil
	case float64:
		n, err := floatNumber(t)
		return n, true, err
	case int:
		return json.Number(strconv.Itoa(t)), true, nil
	case int64:
		return json.Number(strconv.FormatInt(t, 10)), true, nil
	case []any:
		var out []any
		for i, e := range t {
			ne, changed, err := normalize(e, depth+1)
			if err != nil {
				return nil, false, err
			}
			if changed && out == nil {
				out = make([]any, len(t))
				copy(out, t[:i])
			}
			if out != nil {
				out[i] = ne
			}
		}
		if out == nil {
			return v, false, nil // v, not t: re-boxing t would allocate
		}
		return out, true, nil
	case map[string]any:
		var out map[string]any
		for k, e := range t {
			ne, changed, err := normalize(e, depth+1)
			if err != nil {
				return nil, false, err
			}
			if changed && out == nil {
				out = make(map[string]any, len(t))
				for k2, e2 := range t {
					out[k2] = e2
				}
			}
			if out != nil {
				out[k] = ne
			}
		}
		if out == nil {
			return v, false, nil
		}
		return out, true, nil
	}
	return nil, false, fmt.Errorf("value of Go type %T is not decoded JSON", v)
}

// floatNumber formats f as encoding/json would, as a json.Number.
func floatNumber(f float64) (json.Number, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "", errors.New("value is not a JSON number (NaN or infinity)")
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	return json.Number(strconv.FormatFloat(f, format, -1, 64)), nil
}
