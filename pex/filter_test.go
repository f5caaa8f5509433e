package pex

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/loginwithiota/verifier/internal/testshared"
)

func mustFilter(t *testing.T, schema string) *filter {
	t.Helper()
	f, _, err := compileFilter(json.RawMessage(schema))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestFilterCheck(t *testing.T) {
	cases := []struct {
		name, schema, value string
		want                string // "" for a match, else a fragment of the reason
	}{
		// Profile-compatibility rule: "type":"string" on an array of strings.
		{"compat: any element", `{"type":"string","pattern":"VerifiableId"}`, `["VerifiableCredential","VerifiableId"]`, ""},
		{"compat: no element", `{"type":"string","pattern":"VerifiableId"}`, `["VerifiableCredential","X"]`, "no element of the array of 2 strings matches: Does not match pattern 'VerifiableId'"},
		{"compat: const", `{"type":"string","const":"B"}`, `["A","B"]`, ""},
		{"compat: plain string", `{"type":"string","pattern":"VerifiableId"}`, `"VerifiableId"`, ""},
		{"compat off: empty array", `{"type":"string"}`, `[]`, "Invalid type. Expected: string, given: array"},
		{"compat off: mixed array", `{"type":"string"}`, `["a",1]`, "Invalid type"},
		{"compat off: no type", `{"pattern":"VerifiableId"}`, `["VerifiableId"]`, ""}, // pattern ignores non-strings: valid, strictly
		{"compat off: type list", `{"type":["string"],"pattern":"^x$"}`, `["x"]`, "Invalid type"},
		{"compat off: array type", `{"type":"array","items":{"type":"string","pattern":"^x$"}}`, `["x","y"]`, "1: Does not match pattern"},
		// Strict JSON Schema draft 7 elsewhere.
		{"number minimum", `{"type":"number","minimum":3}`, `2.5`, "Must be greater than or equal to 3"},
		{"integer from float64", `{"type":"integer"}`, `3`, ""},
		{"large number", `{"type":"number","maximum":1e300}`, `1e299`, ""},
		{"tiny number", `{"type":"number","exclusiveMinimum":0}`, `1e-9`, ""},
		{"const object", `{"const":{"a":[1,"x"]}}`, `{"a":[1,"x"]}`, ""},
		{"enum", `{"enum":["a","b"]}`, `"c"`, "must be one of the following"},
		{"not const (predicate)", `{"not":{"const":"Karen"}}`, `"Chad"`, ""},
		{"if/then (draft 7)", `{"if":{"const":"a"},"then":{"minLength":2}}`, `"a"`, "String length must be greater than or equal to 2"},
		{"boolean schema false", `false`, `"x"`, "False"},
		{"date-time format", `{"type":"string","format":"date-time"}`, `"yesterday"`, "Does not match format 'date-time'"},
		{"null", `{"type":"string"}`, `null`, "Expected: string, given: null"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := mustFilter(t, tc.schema).check(decode(t, []byte(tc.value)))
			switch {
			case tc.want == "" && got != "":
				t.Fatalf("rejected: %s", got)
			case tc.want != "" && !strings.Contains(got, tc.want):
				t.Fatalf("reason %q, want one containing %q", got, tc.want)
			}
		})
	}
}

// pd_filter2.json's filter refers to its own "$defs" by JSON pointer.
func TestFilterLocalDefs(t *testing.T) {
	raw := unwrap(t, testshared.Read(t, "vectors", "pex", "dif-spec", "presentation-definition", "pd_filter2.json"), "presentation_definition")
	d := mustDefinition(t, raw)
	f := d.descriptors[0].fields[0].filter
	ok := `[{"type":["TermsOfUse","https://train.trust-scheme.de/info"],"trustScheme":"worldbankfederation.com"}]`
	bad := `{"type":"https://train.trust-scheme.de/info","trustScheme":"other.example"}`
	if r := f.check(decode(t, []byte(ok))); r != "" {
		t.Errorf("rejected: %s", r)
	}
	if r := f.check(decode(t, []byte(bad))); r == "" {
		t.Error("accepted a terms of use with another trust scheme")
	}
}

func TestSchemaValue(t *testing.T) {
	in := decode(t, []byte(`{"s":"x","a":["x",true,null],"n":{"k":1.5,"i":3}}`))
	out, err := schemaValue(in)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"s": "x", "a": []any{"x", true, nil}, "n": map[string]any{"k": json.Number("1.5"), "i": json.Number("3")}}
	if !reflect.DeepEqual(out, want) {
		t.Fatalf("got %#v", out)
	}
	if in.(map[string]any)["n"].(map[string]any)["k"] != 1.5 {
		t.Fatal("the input was modified")
	}
	// Strings and arrays of strings pass through without a copy.
	var arr any = []any{"VerifiableCredential", "VerifiableId"}
	if n := testing.AllocsPerRun(100, func() { _, _ = schemaValue(arr) }); n != 0 {
		t.Errorf("%v allocations for an array of strings", n)
	}
	for _, f := range []float64{1e21, 1e-7, -0.0, 123456789012} {
		n, err := floatNumber(f)
		if err != nil {
			t.Fatal(err)
		}
		var back float64
		if err := json.Unmarshal([]byte(n), &back); err != nil || back != f {
			t.Errorf("%v -> %s -> %v (%v)", f, n, back, err)
		}
	}
	for _, bad := range []any{math.NaN(), math.Inf(1), struct{}{}, []any{map[string]any{"x": make(chan int)}}} {
		if _, err := schemaValue(bad); err == nil {
			t.Errorf("%T accepted", bad)
		}
	}
	if _, err := schemaValue(int64(7)); err != nil {
		t.Error(err)
	}
}
