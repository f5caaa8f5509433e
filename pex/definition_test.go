package pex

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every presentation definition of the DIF spec's test suite parses, except
// the files that are not definitions.
func TestParseDefinitionDIFVectors(t *testing.T) {
	dir := filepath.Join(shared, "vectors", "pex", "dif-spec", "presentation-definition")
	// file -> substring of the expected error; absent: must parse.
	wantErr := map[string]string{
		// {"input_descriptors": []}: the spec's illustration of every format
		// designation. An empty definition asks for nothing; refused.
		"format_example.json": "input_descriptors must be a non-empty array",
		// These two are input descriptor objects (the spec's examples of
		// expiry and revocation filters), not presentation definitions.
		"VC_expiration_example.json": "input_descriptors must be a non-empty array",
		"VC_revocation_example.json": "input_descriptors must be a non-empty array",
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < 12 {
		t.Fatalf("found %d vectors in %s, want at least 12", len(entries), dir)
	}
	for _, e := range entries {
		t.Run(e.Name(), func(t *testing.T) {
			raw := unwrap(t, readFile(t, filepath.Join(dir, e.Name())), "presentation_definition")
			d, err := ParseDefinition(raw)
			want, bad := wantErr[e.Name()]
			switch {
			case bad && err == nil:
				t.Fatalf("parsed, want error containing %q", want)
			case bad && !strings.Contains(err.Error(), want):
				t.Fatalf("error %q, want one containing %q", err, want)
			case !bad && err != nil:
				t.Fatal(err)
			case !bad && d.ID() == "":
				t.Fatal("empty id")
			}
		})
	}
}

// Sphereon's PE examples: the v2 ones parse; v1.0.0 ones with "schema" and
// definitions that require unimplemented features are refused by name.
func TestParseDefinitionSphereonVectors(t *testing.T) {
	// Upstream files that are not valid definitions.
	invalid := map[string]string{
		// A field path of "A" (no "$"): not a JSONPath.
		"dif_pe_examples/pdV1/input_descriptor_filter_examples.json": "JSONPath \"A\" must start with '$'",
		// Two input descriptors with id "banking_input_2".
		"resources/pd_require_is_holder.json": `id "banking_input_2" is already used`,
	}
	base := filepath.Join(shared, "vectors", "pex", "sphereon-pex")
	var files []string
	for _, glob := range []string{"dif_pe_examples/pdV1/*.json", "dif_pe_examples/pdV2/*.json", "resources/pd_*.json"} {
		m, err := filepath.Glob(filepath.Join(base, glob))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 20 {
		t.Fatalf("found %d files, want at least 20", len(files))
	}
	for _, f := range files {
		name, _ := filepath.Rel(base, f)
		t.Run(name, func(t *testing.T) {
			raw := unwrap(t, readFile(t, f), "presentation_definition")
			_, err := ParseDefinition(raw)
			if want, ok := invalid[name]; ok {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Fatalf("error %v, want one containing %q", err, want)
				}
				return
			}
			if err == nil {
				return
			}
			// Only refusals this package makes on purpose are acceptable.
			for _, ok := range []string{"not supported", "input_descriptors must be a non-empty array"} {
				if strings.Contains(err.Error(), ok) {
					t.Logf("refused: %v", err)
					return
				}
			}
			t.Errorf("unexpected error: %v", err)
		})
	}
}

func TestParseDefinitionErrors(t *testing.T) {
	// A valid base; each case breaks one rule.
	base := `{"id":"def","input_descriptors":[{"id":"a","constraints":{"fields":[{"path":["$.type"],"filter":{"type":"string"}}]}}]}`
	set := func(steps []any, value any) []byte {
		return edit(t, []byte(base), func(v any) any {
			parent := at(v, steps[:len(steps)-1]...)
			switch k := steps[len(steps)-1].(type) {
			case string:
				if value == nil {
					delete(parent.(map[string]any), k)
				} else {
					parent.(map[string]any)[k] = value
				}
			case int:
				parent.([]any)[k] = value
			}
			return v
		})
	}
	field := []any{"input_descriptors", 0, "constraints", "fields", 0}
	desc := []any{"input_descriptors", 0}
	cases := []struct {
		name string
		raw  []byte
		want []string
	}{
		{"not JSON", []byte(`{`), []string{"presentation definition"}},
		{"array", []byte(`[]`), []string{"presentation definition"}},
		{"no id", set([]any{"id"}, nil), []string{"id is required"}},
		{"empty id", set([]any{"id"}, ""), []string{"id is required"}},
		{"envelope", []byte(`{"presentation_definition":` + base + `}`), []string{"envelope"}},
		{"no descriptors", set([]any{"input_descriptors"}, nil), []string{`"def"`, "input_descriptors must be a non-empty array"}},
		{"descriptor without id", set(append(desc, "id"), nil), []string{"input_descriptors[0]: id is required"}},
		{"duplicate descriptor id", edit(t, []byte(base), func(v any) any {
			ds := at(v, "input_descriptors").([]any)
			v.(map[string]any)["input_descriptors"] = append(ds, ds[0])
			return v
		}), []string{`input_descriptors[1]: id "a" is already used by input_descriptors[0]`}},
		{"empty path", set(append(field, "path"), []any{}), []string{`input_descriptors[0] ("a")`, "constraints.fields[0]: path must be a non-empty array"}},
		{"bad path", set(append(field, "path"), []any{"$.type", "$.x["}), []string{"constraints.fields[0].path[1]", "invalid JSONPath"}},
		{"path without $", set(append(field, "path"), []any{"type"}), []string{"must start with '$'"}},
		{"bad pattern", set(append(field, "filter"), map[string]any{"type": "string", "pattern": "("}), []string{`"def"`, `("a")`, "constraints.fields[0].filter", "not a valid JSON Schema"}},
		{"bad schema type", set(append(field, "filter"), map[string]any{"type": 5}), []string{"constraints.fields[0].filter"}},
		{"filter not a schema", set(append(field, "filter"), "x"), []string{"filter must be a JSON Schema"}},
		{"remote $ref", set(append(field, "filter"), map[string]any{"$ref": "https://example.com/s.json"}), []string{"only references within the filter"}},
		{"file $ref", set(append(field, "filter"), map[string]any{"items": map[string]any{"$ref": "file:///etc/passwd"}}), []string{"only references within the filter"}},
		{"remote $id", set(append(field, "filter"), map[string]any{"$id": "https://example.com/s.json", "type": "string"}), []string{"only references within the filter"}},
		{"predicate without filter", set(field, map[string]any{"path": []any{"$.a"}, "predicate": "required"}), []string{"predicate needs a filter"}},
		{"bad predicate", set(append(field, "predicate"), "always"), []string{"predicate must be"}},
		{"optional not bool", set(append(field, "optional"), "yes"), []string{"presentation definition"}},
		{"duplicate field id", edit(t, []byte(base), func(v any) any {
			fs := at(v, field[:4]...).([]any)
			f0 := fs[0].(map[string]any)
			f0["id"] = "f"
			at(v, "input_descriptors", 0, "constraints").(map[string]any)["fields"] = append(fs, map[string]any{"id": "f", "path": []any{"$.id"}})
			return v
		}), []string{`constraints.fields[1]: field id "f" is already used`}},
		{"format not object", set([]any{"format"}, []any{"ldp_vc"}), []string{"format must be an object"}},
		{"empty format", set([]any{"format"}, map[string]any{}), []string{"at least one claim format"}},
		{"proof_type not strings", set(append(desc, "format"), map[string]any{"ldp_vc": map[string]any{"proof_type": "X"}}), []string{"format.ldp_vc"}},
		{"v1.0.0 schema", set(append(desc, "schema"), []any{map[string]any{"uri": "https://example.org/s"}}), []string{"schema (PE v1.0.0) is not supported"}},
		{"subject_is_issuer required", set(append(desc, "constraints", "subject_is_issuer"), "required"), []string{"subject_is_issuer \"required\" is not supported yet"}},
		{"subject_is_issuer bad", set(append(desc, "constraints", "subject_is_issuer"), "maybe"), []string{"subject_is_issuer must be"}},
		{"limit_disclosure bad", set(append(desc, "constraints", "limit_disclosure"), "always"), []string{"limit_disclosure must be"}},
		{"is_holder required", edit(t, []byte(base), func(v any) any {
			at(v, field...).(map[string]any)["id"] = "f"
			at(v, "input_descriptors", 0, "constraints").(map[string]any)["is_holder"] = []any{map[string]any{"field_id": []any{"f"}, "directive": "required"}}
			return v
		}), []string{"is_holder[0] directive \"required\" is not supported yet"}},
		{"is_holder unknown field", set(append(desc, "constraints", "is_holder"), []any{map[string]any{"field_id": []any{"nope"}, "directive": "preferred"}}), []string{`field_id "nope" names no field`}},
		{"same_subject required", edit(t, []byte(base), func(v any) any {
			at(v, field...).(map[string]any)["id"] = "f"
			at(v, "input_descriptors", 0, "constraints").(map[string]any)["same_subject"] = []any{map[string]any{"field_id": []any{"f"}, "directive": "required"}}
			return v
		}), []string{"same_subject[0] directive \"required\" is not supported yet"}},
		{"statuses required", set(append(desc, "constraints", "statuses"), map[string]any{"active": map[string]any{"directive": "required"}}), []string{"statuses.active directive \"required\" is not supported yet"}},
		{"statuses bad", set(append(desc, "constraints", "statuses"), map[string]any{"revoked": map[string]any{"directive": "never"}}), []string{"statuses.revoked.directive must be"}},
		{"requirement bad rule", set([]any{"submission_requirements"}, []any{map[string]any{"rule": "some", "from": "A"}}), []string{"submission_requirements[0].rule"}},
		{"requirement unknown group", set([]any{"submission_requirements"}, []any{map[string]any{"rule": "all", "from": "A"}}), []string{`submission_requirements[0].from "A" names no group`}},
		{"requirement no from", set([]any{"submission_requirements"}, []any{map[string]any{"rule": "all"}}), []string{"from or from_nested is required"}},
		{"requirement count 0", set([]any{"submission_requirements"}, []any{map[string]any{"rule": "pick", "count": 0, "from_nested": []any{map[string]any{"rule": "all", "from": "A"}}}}), []string{"count must be at least 1"}},
		{"requirement nested unknown group", set([]any{"submission_requirements"}, []any{map[string]any{"rule": "pick", "count": 1, "from_nested": []any{map[string]any{"rule": "all", "from": "B"}}}}), []string{"submission_requirements[0].from_nested[0].from"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseDefinition(tc.raw)
			if err == nil {
				t.Fatal("parsed, want error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestParseDefinitionAccepts(t *testing.T) {
	cases := []struct{ name, raw string }{
		{"no constraints", `{"id":"d","input_descriptors":[{"id":"a"}]}`},
		{"unknown members ignored", `{"id":"d","trusted_issuers":["did:key:x"],"input_descriptors":[{"id":"a","x-extra":1,"constraints":{"fields":[{"path":["$.type"],"extra":true}]}}]}`},
		{"advisory features", `{"id":"d","input_descriptors":[{"id":"a","group":["A"],"constraints":{"limit_disclosure":"required","subject_is_issuer":"preferred",
			"fields":[{"id":"f","path":["$.credentialSubject.id"],"filter":{"type":"string"},"predicate":"preferred"}],
			"is_holder":[{"field_id":["f"],"directive":"preferred"}],"same_subject":[{"field_id":["f"],"directive":"preferred"}],
			"statuses":{"active":{"directive":"allowed"}}}}],"submission_requirements":[{"rule":"pick","count":1,"from":"A"}],"frame":{"@context":[]}}`},
		{"boolean filter", `{"id":"d","input_descriptors":[{"id":"a","constraints":{"fields":[{"path":["$.type"],"filter":true}]}}]}`},
		{"null filter", `{"id":"d","input_descriptors":[{"id":"a","constraints":{"fields":[{"path":["$.type"],"filter":null}]}}]}`},
		{"local refs and $schema", `{"id":"d","input_descriptors":[{"id":"a","constraints":{"fields":[{"path":["$.type"],"filter":{"$schema":"http://json-schema.org/draft-07/schema#","definitions":{"s":{"type":"string"}},"$ref":"#/definitions/s"}}]}}]}`},
		{"full JSONPath", `{"id":"d","input_descriptors":[{"id":"a","constraints":{"fields":[{"path":["$.credentialSubject.account[*].id","$..id","$.a[0:2]","$['a','b']","$.a[?(@.b == 1)]"]}]}}]}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ParseDefinition([]byte(tc.raw)); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestDefinitionAccessors(t *testing.T) {
	raw := []byte(`{
	  "id": "d1",
	  "format": {"ldp_vp": {"proof_type": ["JcsEd25519Signature2020"]}},
	  "input_descriptors": [{"id": "a", "constraints": {"fields": [{"path": ["$.type"]}]}}]
	}`)
	d := mustDefinition(t, raw)
	if d.ID() != "d1" {
		t.Errorf("ID = %q", d.ID())
	}
	var want bytes.Buffer
	if err := json.Compact(&want, raw); err != nil {
		t.Fatal(err)
	}
	got := d.JSON()
	if !bytes.Equal(got, want.Bytes()) {
		t.Errorf("JSON = %s, want %s", got, want.Bytes())
	}
	got[0] = 'X' // the caller's copy
	if d.JSON()[0] != '{' {
		t.Error("JSON returned the definition's own buffer")
	}
	f := d.Formats()
	pt := f["ldp_vp"].(map[string]any)["proof_type"].([]any)
	if len(pt) != 1 || pt[0] != "JcsEd25519Signature2020" {
		t.Errorf("Formats = %v", f)
	}
	if f := mustDefinition(t, benchFile(t, "pd.json")).Formats(); f != nil {
		t.Errorf("Formats without format = %v, want nil", f)
	}
}
