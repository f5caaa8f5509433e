package pex

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/loginwithiota/verifier/internal/testshared"
)

func TestParseSubmission(t *testing.T) {
	got := mustSubmission(t, benchFile(t, "submission3.json"))
	want := &Submission{ID: "sub-3", DefinitionID: "employee-login", DescriptorMap: []Descriptor{
		{ID: "employee", Format: "ldp_vp", Path: "$", PathNested: &Descriptor{ID: "employee", Format: "ldp_vc", Path: "$.verifiableCredential[0]"}},
		{ID: "degree", Format: "ldp_vp", Path: "$", PathNested: &Descriptor{ID: "degree", Format: "ldp_vc", Path: "$.verifiableCredential[1]"}},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	// The profile's example, and unknown members.
	if _, err := ParseSubmission(testshared.ReadFile(t, filepath.Join("testdata", "profile-submission.json"))); err != nil {
		t.Fatal(err)
	}
	if _, err := ParseSubmission([]byte(`{"id":"1","definition_id":"d","x":{"y":1},"descriptor_map":[{"id":"a","format":"ldp_vc","path":"$['verifiableCredential'][0]","extra":true}]}`)); err != nil {
		t.Fatal(err)
	}
}

// The DIF spec's submission examples are well formed, wherever in their
// envelope the presentation_submission sits.
func TestParseSubmissionDIFVectors(t *testing.T) {
	dir := testshared.Path(t, "vectors", "pex", "dif-spec", "presentation-submission")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < 7 {
		t.Fatalf("found %d vectors, want at least 7", len(entries))
	}
	for _, e := range entries {
		t.Run(e.Name(), func(t *testing.T) {
			raw, found := findMember(decode(t, testshared.ReadFile(t, filepath.Join(dir, e.Name()))), "presentation_submission")
			if !found {
				// The CHAPI and DIDComm appendix examples only say where a
				// submission would go.
				if e.Name() != "appendix_CHAPI_example.json" && e.Name() != "appendix_DIDComm_example.json" {
					t.Fatal("no presentation_submission")
				}
				return
			}
			b, err := json.Marshal(raw)
			if err != nil {
				t.Fatal(err)
			}
			sub, err := ParseSubmission(b)
			if err != nil {
				t.Fatal(err)
			}
			if len(sub.DescriptorMap) == 0 {
				t.Fatal("empty descriptor_map")
			}
		})
	}
}

func TestParseSubmissionErrors(t *testing.T) {
	cases := []struct {
		name, raw string
		want      []string
	}{
		{"not JSON", `{`, []string{"not valid JSON"}},
		{"array", `[]`, []string{"must be a JSON object"}},
		{"null", `null`, []string{"id is required"}},
		{"no id", `{"definition_id":"d","descriptor_map":[{"id":"a","format":"ldp_vc","path":"$"}]}`, []string{"id is required"}},
		{"id not a string", `{"id":1,"definition_id":"d","descriptor_map":[]}`, []string{`member "id" must not be a JSON number`}},
		{"no definition_id", `{"id":"s","descriptor_map":[{"id":"a","format":"ldp_vc","path":"$"}]}`, []string{"definition_id is required"}},
		{"no descriptor_map", `{"id":"s","definition_id":"d"}`, []string{"descriptor_map must be a non-empty array"}},
		{"empty descriptor_map", `{"id":"s","definition_id":"d","descriptor_map":[]}`, []string{"descriptor_map must be a non-empty array"}},
		{"descriptor_map object", `{"id":"s","definition_id":"d","descriptor_map":{}}`, []string{`"descriptor_map" must not be a JSON object`}},
		{"entry without id", `{"id":"s","definition_id":"d","descriptor_map":[{"format":"ldp_vc","path":"$"}]}`, []string{"descriptor_map[0]: id is required"}},
		{"entry without format", `{"id":"s","definition_id":"d","descriptor_map":[{"id":"a","path":"$"}]}`, []string{"descriptor_map[0]: format is required"}},
		{"entry with empty format", `{"id":"s","definition_id":"d","descriptor_map":[{"id":"a","format":"","path":"$"}]}`, []string{"format is required"}},
		{"entry without path", `{"id":"s","definition_id":"d","descriptor_map":[{"id":"a","format":"ldp_vc"}]}`, []string{"descriptor_map[0]: path is required"}},
		{"nested without path", `{"id":"s","definition_id":"d","descriptor_map":[{"id":"a","format":"ldp_vp","path":"$","path_nested":{"id":"a","format":"ldp_vc"}}]}`, []string{"descriptor_map[0].path_nested: path is required"}},
		{"nested other id", `{"id":"s","definition_id":"d","descriptor_map":[{"id":"a","format":"ldp_vp","path":"$","path_nested":{"id":"b","format":"ldp_vc","path":"$"}}]}`, []string{`path_nested id "b" differs`}},
		{"path without $", `{"id":"s","definition_id":"d","descriptor_map":[{"id":"a","format":"ldp_vc","path":"verifiableCredential[0]"}]}`, []string{"must start with '$'"}},
		{"wildcard path", `{"id":"s","definition_id":"d","descriptor_map":[{"id":"a","format":"ldp_vc","path":"$.verifiableCredential[*]"}]}`, []string{"offset 22", "only definite paths"}},
		{"script path", `{"id":"s","definition_id":"d","descriptor_map":[{"id":"a","format":"ldp_vc","path":"$.verifiableCredential[(@.length-1)]"}]}`, []string{"only definite paths"}},
		{"negative index", `{"id":"s","definition_id":"d","descriptor_map":[{"id":"a","format":"ldp_vc","path":"$.verifiableCredential[-1]"}]}`, []string{"only definite paths"}},
		{"too deep", `{"id":"s","definition_id":"d","descriptor_map":[` + deepEntry(maxNesting+1) + `]}`, []string{"deeper than 8 levels"}},
		{"long id is shortened", `{"id":"s","definition_id":"d","descriptor_map":[{"id":"a","format":"ldp_vp","path":"$","path_nested":{"id":"` + strings.Repeat("x", 500) + `","format":"ldp_vc","path":"$"}}]}`, []string{`xxx"…`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sub, err := ParseSubmission([]byte(tc.raw))
			if sub != nil {
				t.Errorf("got %+v with error", sub)
			}
			wantCode(t, err, CodeInvalidSubmission, tc.want...)
			if pe := err.(*Error); len(pe.Reason) > 400 {
				t.Errorf("reason of %d bytes", len(pe.Reason))
			}
		})
	}
}

// deepEntry is a descriptor_map entry with n levels (n-1 path_nested).
func deepEntry(n int) string {
	e := map[string]any{"id": "a", "format": "ldp_vc", "path": "$"}
	for i := 1; i < n; i++ {
		e = map[string]any{"id": "a", "format": "ldp_vp", "path": "$", "path_nested": e}
	}
	b, _ := json.Marshal(e)
	return string(b)
}

// A Submission survives encoding/json both ways (the lead may store it).
func TestSubmissionRoundTrip(t *testing.T) {
	sub := mustSubmission(t, benchFile(t, "submission1.json"))
	b, err := json.Marshal(sub)
	if err != nil {
		t.Fatal(err)
	}
	again := mustSubmission(t, b)
	if !reflect.DeepEqual(sub, again) {
		t.Fatalf("%+v != %+v", sub, again)
	}
}

// findMember returns the value of the first member named key, searching v
// depth first.
func findMember(v any, key string) (any, bool) {
	switch t := v.(type) {
	case map[string]any:
		if m, ok := t[key]; ok {
			return m, true
		}
		for _, c := range t {
			if m, ok := findMember(c, key); ok {
				return m, true
			}
		}
	case []any:
		for _, c := range t {
			if m, ok := findMember(c, key); ok {
				return m, true
			}
		}
	}
	return nil, false
}
