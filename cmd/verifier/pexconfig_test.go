package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPEXConfigErrors: a definition that breaks the DIF schema, names a
// group no descriptor has, or carries a filter that is not JSON Schema stops
// the start with one line naming the file, the definition, the member and
// the reason.
func TestPEXConfigErrors(t *testing.T) {
	dir := t.TempDir()
	// definition indents one presentation_definitions item.
	definition := func(id, body string) string {
		return "presentation_definitions:\n  - id: " + id + "\n" + body
	}
	cases := []struct {
		name string
		yaml string
		want []string
	}{
		{"DIF schema: unknown member", definition("schema-typo", `    input_descriptors:
      - id: d
        constraint:
          fields:
            - path: ["$.type"]
`), []string{`.yaml:`, `: presentation_definitions[0]`, `presentation definition "schema-typo"`, "does not follow the DIF Presentation Exchange v2 schema", `input_descriptors[0] ("d"): constraints is required`, "Additional property constraint is not allowed"}},
		{"DIF schema: wrong type", definition("schema-type", `    input_descriptors:
      - id: d
        constraints:
          limit_disclosure: always
          fields:
            - path: "$.type"
`), []string{`"schema-type"`, `input_descriptors[0] ("d").constraints.fields[0].path: Invalid type. Expected: array, given: string`}},
		{"DIF schema: unknown rule", definition("schema-rule", `    submission_requirements:
      - rule: some
        from: A
    input_descriptors:
      - id: d
        group: [A]
        constraints: {}
`), []string{`"schema-rule"`, `submission_requirements[0].rule: must be one of the following: "all", "pick"`}},
		{"missing group", definition("missing-group", `    submission_requirements:
      - name: Both
        rule: all
        from: A
      - rule: pick
        count: 1
        from_nested:
          - rule: all
            from: Z
    input_descriptors:
      - id: d
        group: [A]
        constraints: {}
`), []string{`.yaml:`, `: presentation_definitions[0]`, `presentation definition "missing-group"`, `submission_requirements[1].from_nested[0].from "Z" names no group of any input descriptor`}},
		{"requirement that can never be met", definition("never", `    submission_requirements:
      - rule: pick
        min: 2
        from: A
    input_descriptors:
      - id: d
        group: [A]
        constraints: {}
`), []string{`"never"`, "submission_requirements[0]: min 2 can never be met: there are only 1 to pick from"}},
		{"filter: not a JSON Schema type", definition("bad-type", `    input_descriptors:
      - id: d
        constraints:
          fields:
            - path: ["$.credentialSubject.age"]
              filter: {type: numbr}
`), []string{`"bad-type"`, `input_descriptors[0] ("d").constraints.fields[0].filter.type: must be one of the following`}},
		{"filter: bad pattern", definition("bad-pattern", `    input_descriptors:
      - id: d
        constraints:
          fields:
            - path: ["$.type"]
              filter: {type: string, pattern: "(Verifiable"}
`), []string{`"bad-pattern"`, `constraints.fields[0].filter.pattern: Does not match format 'regex'`}},
		{"filter: dangling reference", definition("bad-ref", `    input_descriptors:
      - id: d
        constraints:
          fields:
            - path: ["$.type"]
              filter: {$ref: "#/definitions/missing"}
`), []string{`"bad-ref"`, `input_descriptors[0] ("d"): constraints.fields[0].filter: filter is not a valid JSON Schema`}},
		{"filter: remote reference", definition("remote-ref", `    input_descriptors:
      - id: d
        constraints:
          fields:
            - path: ["$.type"]
              filter: {$ref: "https://example.com/schema.json"}
`), []string{`"remote-ref"`, `only references within the filter`}},
		{"filter: date bound without a date format", definition("bad-bound", `    input_descriptors:
      - id: d
        constraints:
          fields:
            - path: ["$.credentialSubject.birthDate"]
              filter: {type: string, formatMaximum: "2007-01-01"}
`), []string{`"bad-bound"`, `formatMaximum needs "format": "date" or "date-time"`}},
		{"second definition broken", `presentation_definitions:
  - id: fine
    input_descriptors:
      - id: d
        constraints: {}
  - id: broken
    input_descriptors:
      - id: d
        constraints:
          fields:
            - path: ["$.x"]
              filter: {minimum: "3"}
`, []string{`.yaml:`, `: presentation_definitions[1]`, `presentation definition "broken"`, "constraints.fields[0].filter.minimum: Invalid type. Expected: number, given: string"}},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, "pex"+string(rune('a'+i))+".yaml")
			if err := os.WriteFile(path, []byte(tc.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			errFile, err := os.CreateTemp(dir, "stderr")
			if err != nil {
				t.Fatal(err)
			}
			defer errFile.Close()
			ctx, cancel := context.WithCancel(context.Background())
			cancel() // a start that succeeded would stop at once
			code := run(ctx, []string{"--config", path, "--listen", "127.0.0.1:0"}, func(string) string { return "" }, errFile)
			out, _ := os.ReadFile(errFile.Name())
			if code != 1 {
				t.Fatalf("exit %d, want 1; stderr %q", code, out)
			}
			lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
			if len(lines) != 1 {
				t.Fatalf("want one line, got %q", out)
			}
			for _, w := range append([]string{filepath.Base(path)}, tc.want...) {
				if !strings.Contains(lines[0], w) {
					t.Errorf("%q does not mention %q", lines[0], w)
				}
			}
		})
	}
}
