package pex

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loginwithiota/verifier/internal/testshared"
)

// Every presentation definition of the DIF spec's test suite follows the
// bundled DIF schema, as the vectors' README states, and parses, except the
// files that are not definitions.
func TestParseDefinitionDIFVectors(t *testing.T) {
	dir := testshared.Path(t, "vectors", "pex", "dif-spec", "presentation-definition")
	// file -> substring of the expected error; absent: must parse.
	wantErr := map[string]string{
		// {"input_descriptors": []}: the spec's illustration of every format
		// designation. Schema-valid; but a definition without input
		// descriptors asks for nothing, and is refused.
		"format_example.json": "input_descriptors must be a non-empty array",
		// These two are input descriptor objects (the spec's examples of
		// expiry and revocation filters), not presentation definitions:
		// upstream validates them against the envelope schema, which any
		// object without a "presentation_definition" member passes.
		"VC_expiration_example.json": "input_descriptors is required",
		"VC_revocation_example.json": "input_descriptors is required",
	}
	notDefinitions := map[string]bool{"VC_expiration_example.json": true, "VC_revocation_example.json": true}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < 12 {
		t.Fatalf("found %d vectors in %s, want at least 12", len(entries), dir)
	}
	for _, e := range entries {
		t.Run(e.Name(), func(t *testing.T) {
			raw := unwrap(t, testshared.ReadFile(t, filepath.Join(dir, e.Name())), "presentation_definition")
			if !notDefinitions[e.Name()] {
				if err := validateDIFSchema(decodeNumbers(t, raw).(map[string]any)); err != nil {
					t.Fatalf("DIF schema: %v", err)
				}
			}
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

// The bundled schemas: v2 is the DIF file verbatim; the DIF repository's v1
// file is the same as its v2 (so our v1.0.0 schema is derived, see
// schemas/README.md).
func TestBundledSchemas(t *testing.T) {
	difDir := testshared.Path(t, "vectors", "pex", "dif-spec", "schemas")
	ours, err := schemaFiles.ReadFile("schemas/v2/presentation-definition.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ours, testshared.ReadFile(t, filepath.Join(difDir, "v2.0.0", "presentation-definition.json"))) {
		t.Error("schemas/v2/presentation-definition.json is not the DIF v2.0.0 file")
	}
	if !bytes.Equal(testshared.ReadFile(t, filepath.Join(difDir, "v1", "presentation-definition.json")), testshared.ReadFile(t, filepath.Join(difDir, "v2.0.0", "presentation-definition.json"))) {
		t.Error("the DIF v1 and v2.0.0 schema files differ now; revisit schemas/v1")
	}
	// Only the v1.0.0 shape needs "schema"; each version refuses the other's.
	v1 := `{"id":"d","input_descriptors":[{"id":"a","schema":[{"uri":"https://example.org/s"}]}]}`
	v2 := `{"id":"d","input_descriptors":[{"id":"a","constraints":{}}]}`
	if _, err := ParseDefinition([]byte(v1)); err != nil {
		t.Errorf("v1.0.0: %v", err)
	}
	if _, err := ParseDefinition([]byte(v2)); err != nil {
		t.Errorf("v2: %v", err)
	}
	mixed := `{"id":"d","input_descriptors":[{"id":"a","schema":[{"uri":"https://example.org/s"}]},{"id":"b","constraints":{}}]}`
	if _, err := ParseDefinition([]byte(mixed)); err == nil || !strings.Contains(err.Error(), `v1.0.0 schema: input_descriptors[1] ("b"): schema is required`) {
		t.Errorf("mixed: %v", err)
	}
}

func decodeNumbers(tb testing.TB, b []byte) any {
	tb.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		tb.Fatal(err)
	}
	return v
}

// Sphereon's PE examples (v1.0.0 with "schema", and v2) parse, except the
// upstream files that are not valid definitions.
func TestParseDefinitionSphereonVectors(t *testing.T) {
	invalid := map[string]string{
		// A field path of "A" (no "$"): not a JSONPath.
		"dif_pe_examples/pdV1/input_descriptor_filter_examples.json": "JSONPath \"A\" must start with '$'",
		// Two input descriptors with id "banking_input_2".
		"resources/pd_require_is_holder.json": `id "banking_input_2" is already used`,
		// is_holder names field ids that no field has.
		"resources/pd_input_descriptor_is_holder.json": `is_holder[0].field_id "1234567890" names no field`,
		// Requirements that no submission can meet: refused at load.
		"dif_pe_examples/pdV1/sr_pick_rule_from_nested.json": "count 2 can never be met: there are only 1 to pick from",
		"dif_pe_examples/pdV1/sr_pick_rule_min_2.json":       "min 2 can never be met",
		// Upstream's catalogue of rules, each tested alone; some contradict
		// the groups.
		"resources/sr_rules.json": `submission_requirements[4] ("Eligibility to Work Proof"): min 3 can never be met`,
		// No input descriptors.
		"dif_pe_examples/pdV1/pd_element_must_be_array_example(corrected).json": "input_descriptors must be a non-empty array",
	}
	base := testshared.Path(t, "vectors", "pex", "sphereon-pex")
	var files []string
	for _, glob := range []string{"dif_pe_examples/pdV1/*.json", "dif_pe_examples/pdV2/*.json", "resources/pd_*.json", "resources/sr_rules.json"} {
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
			raw := unwrap(t, testshared.ReadFile(t, f), "presentation_definition")
			_, err := ParseDefinition(raw)
			if want, ok := invalid[name]; ok {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Fatalf("error %v, want one containing %q", err, want)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
		})
	}
}

// twoInA is a definition with descriptors a and b in group A and one
// submission requirement.
func twoInA(requirement string) string {
	return `{"id":"def","submission_requirements":[` + requirement + `],"input_descriptors":[{"id":"a","group":["A"],"constraints":{}},{"id":"b","group":["A"],"constraints":{}}]}`
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
		{"no descriptors", set([]any{"input_descriptors"}, nil), []string{`"def"`, "DIF Presentation Exchange v2 schema: input_descriptors is required"}},
		{"empty descriptors", set([]any{"input_descriptors"}, []any{}), []string{`"def"`, "input_descriptors must be a non-empty array"}},
		{"unknown member", set(append(desc, "x-extra"), 1), []string{`input_descriptors[0] ("a"): Additional property x-extra is not allowed`}},
		{"unknown top-level member", set([]any{"trusted_issuers"}, []any{"did:key:x"}), []string{"Additional property trusted_issuers is not allowed"}},
		{"v2 descriptor without constraints", set(append(desc, "constraints"), nil), []string{`input_descriptors[0] ("a"): constraints is required`}},
		{"id not a string", set([]any{"id"}, 7), []string{"id: Invalid type. Expected: string, given: integer"}},
		{"descriptor without id", set(append(desc, "id"), nil), []string{"input_descriptors[0]: id is required"}},
		{"duplicate descriptor id", edit(t, []byte(base), func(v any) any {
			ds := at(v, "input_descriptors").([]any)
			v.(map[string]any)["input_descriptors"] = append(ds, ds[0])
			return v
		}), []string{`input_descriptors[1]: id "a" is already used by input_descriptors[0]`}},
		{"empty path", set(append(field, "path"), []any{}), []string{`input_descriptors[0] ("a")`, "constraints.fields[0]: path must be a non-empty array"}},
		{"bad path", set(append(field, "path"), []any{"$.type", "$.x["}), []string{"constraints.fields[0].path[1]", "invalid JSONPath"}},
		{"path without $", set(append(field, "path"), []any{"type"}), []string{"must start with '$'"}},
		{"bad pattern", set(append(field, "filter"), map[string]any{"type": "string", "pattern": "("}), []string{`"def"`, `input_descriptors[0] ("a").constraints.fields[0].filter.pattern: Does not match format 'regex'`}},
		{"dangling local $ref", set(append(field, "filter"), map[string]any{"$ref": "#/definitions/nope"}), []string{`input_descriptors[0] ("a"): constraints.fields[0].filter: filter is not a valid JSON Schema`}},
		{"null filter", []byte(`{"id":"def","input_descriptors":[{"id":"a","constraints":{"fields":[{"path":["$.type"],"filter":null}]}}]}`), []string{"filter: Invalid type. Expected: [object,boolean], given: null"}},
		{"formatMaximum without format", set(append(field, "filter"), map[string]any{"type": "string", "formatMaximum": "2000-01-01"}), []string{"constraints.fields[0].filter: formatMaximum needs \"format\": \"date\" or \"date-time\""}},
		{"formatMaximum not a date", set(append(field, "filter"), map[string]any{"type": "string", "format": "date", "formatMaximum": "yesterday"}), []string{`formatMaximum "yesterday" is not a valid date`}},
		{"formatMinimum nested", set(append(field, "filter"), map[string]any{"type": "array", "items": map[string]any{"format": "date", "formatMinimum": "2000-01-01"}}), []string{"formatMinimum is supported only at the top level"}},
		{"bad schema type", set(append(field, "filter"), map[string]any{"type": 5}), []string{"constraints.fields[0].filter"}},
		{"filter not a schema", set(append(field, "filter"), "x"), []string{"constraints.fields[0].filter: Invalid type. Expected: [object,boolean], given: string"}},
		{"remote $ref", set(append(field, "filter"), map[string]any{"$ref": "https://example.com/s.json"}), []string{"only references within the filter"}},
		{"file $ref", set(append(field, "filter"), map[string]any{"items": map[string]any{"$ref": "file:///etc/passwd"}}), []string{"only references within the filter"}},
		{"remote $id", set(append(field, "filter"), map[string]any{"$id": "https://example.com/s.json", "type": "string"}), []string{"only references within the filter"}},
		{"predicate without filter", set(field, map[string]any{"path": []any{"$.a"}, "predicate": "required"}), []string{"constraints.fields[0]: filter is required"}},
		{"bad predicate", set(append(field, "predicate"), "always"), []string{`constraints.fields[0].predicate: must be one of the following: "required", "preferred"`}},
		{"optional not bool", set(append(field, "optional"), "yes"), []string{"presentation definition"}},
		{"duplicate field id", edit(t, []byte(base), func(v any) any {
			fs := at(v, field[:4]...).([]any)
			f0 := fs[0].(map[string]any)
			f0["id"] = "f"
			at(v, "input_descriptors", 0, "constraints").(map[string]any)["fields"] = append(fs, map[string]any{"id": "f", "path": []any{"$.id"}})
			return v
		}), []string{`constraints.fields[1]: field id "f" is already used`}},
		{"format not object", set([]any{"format"}, []any{"ldp_vc"}), []string{"format: Invalid type. Expected: object, given: array"}},
		{"unknown format designation", set([]any{"format"}, map[string]any{"xyz": map[string]any{}}), []string{"format: Additional property xyz is not allowed"}},
		{"alg on ldp_vc", set([]any{"format"}, map[string]any{"ldp_vc": map[string]any{"alg": []any{"EdDSA"}}}), []string{"format.ldp_vc: Additional property alg is not allowed"}},
		{"empty format", set([]any{"format"}, map[string]any{}), []string{"at least one claim format"}},
		{"proof_type not strings", set(append(desc, "format"), map[string]any{"ldp_vc": map[string]any{"proof_type": "X"}}), []string{`input_descriptors[0] ("a").format.ldp_vc.proof_type: Invalid type`}},
		{"v1.0.0 schema without uri", set(append(desc, "schema"), []any{map[string]any{"url": "https://example.org/s"}}), []string{"v1.0.0 schema", "schema[0]: uri is required"}},
		{"v1.0.0 schema empty uri", set(append(desc, "schema"), []any{map[string]any{"uri": ""}}), []string{"schema[0].uri must be a non-empty URI"}},
		{"subject_is_issuer bad", set(append(desc, "constraints", "subject_is_issuer"), "maybe"), []string{"constraints.subject_is_issuer: must be one of the following"}},
		{"limit_disclosure bad", set(append(desc, "constraints", "limit_disclosure"), "always"), []string{"constraints.limit_disclosure: must be one of the following"}},
		{"is_holder unknown field", set(append(desc, "constraints", "is_holder"), []any{map[string]any{"field_id": []any{"nope"}, "directive": "preferred"}}), []string{`field_id "nope" names no field`}},
		{"statuses bad", set(append(desc, "constraints", "statuses"), map[string]any{"revoked": map[string]any{"directive": "never"}}), []string{"constraints.statuses.revoked.directive: must be one of the following"}},
		{"requirement bad rule", set([]any{"submission_requirements"}, []any{map[string]any{"rule": "some", "from": "A"}}), []string{"submission_requirements[0].rule"}},
		{"requirement unknown group", set([]any{"submission_requirements"}, []any{map[string]any{"rule": "all", "from": "A"}}), []string{`submission_requirements[0].from "A" names no group`}},
		{"requirement no from", set([]any{"submission_requirements"}, []any{map[string]any{"rule": "all"}}), []string{"submission_requirements[0]: from is required"}},
		{"requirement count 0", set([]any{"submission_requirements"}, []any{map[string]any{"rule": "pick", "count": 0, "from_nested": []any{map[string]any{"rule": "all", "from": "A"}}}}), []string{"submission_requirements[0].count: Must be greater than or equal to 1"}},
		{"requirement min over max", []byte(twoInA(`{"rule":"pick","min":2,"max":1,"from":"A"}`)), []string{"submission_requirements[0]: min (2) is greater than max (1)"}},
		{"requirement count over group", []byte(twoInA(`{"name":"n","rule":"pick","count":3,"from":"A"}`)), []string{`submission_requirements[0] ("n"): count 3 can never be met: there are only 2 to pick from`}},
		{"requirement nested min over size", []byte(twoInA(`{"rule":"pick","min":3,"from_nested":[{"rule":"all","from":"A"},{"rule":"pick","count":1,"from":"A"}]}`)), []string{"submission_requirements[0]: min 3 can never be met"}},
		{"requirement from and from_nested", []byte(twoInA(`{"rule":"all","from":"A","from_nested":[{"rule":"all","from":"A"}]}`)), []string{"submission_requirements[0]"}},
		{"is_holder names another descriptor's field", []byte(`{"id":"def","input_descriptors":[{"id":"a","constraints":{"fields":[{"id":"f","path":["$.x"]}]}},{"id":"b","constraints":{"fields":[{"path":["$.y"]}],"is_holder":[{"field_id":["f"],"directive":"required"}]}}]}`),
			[]string{`input_descriptors[1] ("b"): constraints.is_holder[0].field_id "f" names a field of another input descriptor`}},
		{"same_subject unknown field", []byte(`{"id":"def","input_descriptors":[{"id":"a","constraints":{"fields":[{"id":"f","path":["$.x"]}],"same_subject":[{"field_id":["f","g"],"directive":"required"}]}}]}`),
			[]string{`constraints.same_subject[0].field_id "g" names no field of any input descriptor`}},
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
		{"empty constraints", `{"id":"d","input_descriptors":[{"id":"a","constraints":{}}]}`},
		{"v1.0.0 without constraints", `{"id":"d","input_descriptors":[{"id":"a","schema":[{"uri":"https://www.w3.org/2018/credentials/v1","required":true}]}]}`},
		{"required features", `{"id":"d","input_descriptors":[{"id":"a","constraints":{"limit_disclosure":"required","subject_is_issuer":"required",
			"fields":[{"id":"f","path":["$.credentialSubject.id"]},{"id":"g","path":["$.credentialSubject.x"],"filter":{"type":"number"},"predicate":"required","intent_to_retain":true}],
			"is_holder":[{"field_id":["f"],"directive":"required"}],"same_subject":[{"field_id":["f","h"],"directive":"required"}],
			"statuses":{"active":{"directive":"required","type":["StatusList2021Entry"]},"revoked":{"directive":"disallowed"},"suspended":{"directive":"allowed"}}}},
			{"id":"b","constraints":{"fields":[{"id":"h","path":["$.credentialSubject.id"]}]}}]}`},
		{"date bounds", `{"id":"d","input_descriptors":[{"id":"a","constraints":{"fields":[{"path":["$.credentialSubject.birthDate"],"filter":{"type":"string","format":"date","formatMaximum":"2007-01-01","formatExclusiveMinimum":"1900-01-01"}},
			{"path":["$.expirationDate"],"filter":{"type":"string","format":"date-time","formatMinimum":"2020-12-31T23:59:59.000Z"}}]}}]}`},
		{"nested requirements", `{"id":"d","submission_requirements":[{"rule":"pick","count":1,"from_nested":[{"rule":"all","from":"A"},{"rule":"pick","min":1,"max":2,"from_nested":[{"rule":"pick","count":1,"from":"B"},{"rule":"all","from":"A"}]}]}],
			"input_descriptors":[{"id":"a","group":["A"],"constraints":{}},{"id":"b","group":["B","A"],"constraints":{}}]}`},
		{"advisory features", `{"id":"d","input_descriptors":[{"id":"a","group":["A"],"constraints":{"limit_disclosure":"required","subject_is_issuer":"preferred",
			"fields":[{"id":"f","path":["$.credentialSubject.id"],"filter":{"type":"string"},"predicate":"preferred"}],
			"is_holder":[{"field_id":["f"],"directive":"preferred"}],"same_subject":[{"field_id":["f"],"directive":"preferred"}],
			"statuses":{"active":{"directive":"allowed"}}}}],"submission_requirements":[{"rule":"pick","count":1,"from":"A"}],"frame":{"@context":[]}}`},
		{"boolean filter", `{"id":"d","input_descriptors":[{"id":"a","constraints":{"fields":[{"path":["$.type"],"filter":true}]}}]}`},
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
