package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestErrorPositions: every config error names the file, the line and the
// key path as the file spells it, inside presentation_definitions too.
func TestErrorPositions(t *testing.T) {
	const def = `presentation_definitions:
  - id: adults
    input_descriptors:
      - id: id-card
        constraints:
          fields:
            - path: ["$.type"]
%s`
	cases := []struct{ name, yaml, want string }{
		{"unknown key", "session:\n  lifetme: 5m\n" + minimal,
			"cfg.yaml:2: session.lifetme: unknown key (did you mean lifetime?)"},
		{"unknown top key", "listne: x\n" + minimal, "cfg.yaml:1: listne: unknown key (did you mean listen?)"},
		{"bad duration", "session:\n  lifetime: soon\n" + minimal,
			`cfg.yaml:2: session.lifetime: want a duration like "5m" or "90s", got "soon"`},
		{"short lifetime", "session:\n  retention: 1m\n  lifetime: 10ms\n" + minimal, "cfg.yaml:3: session.lifetime: must be at least 1s"},
		{"wrong type", "http:\n  max_body_bytes: lots\n" + minimal, `cfg.yaml:2: http.max_body_bytes: want a whole number, got "lots"`},
		{"nested list", "dids:\n  pinned:\n    - file: a.json\n      documnet: {}\n" + minimal, "cfg.yaml:4: dids.pinned[0].documnet: unknown key (did you mean document?)"},
		{"set twice", "listen: a:1\nlisten: b:2\n" + minimal, "cfg.yaml:2: listen: is set twice"},
		{"syntax", "listen: [\n", "cfg.yaml:1: not valid YAML: did not find expected node content"},
		{"no definitions", "listen: 127.0.0.1:1\n", "cfg.yaml: presentation_definitions: at least one definition is required"},
		{"filter", fmtDef(def, "              filter: {type: 17}\n"),
			"cfg.yaml:8: presentation_definitions[0].input_descriptors[0].constraints.fields[0].filter.type: presentation definition \"adults\": "},
		{"path", fmtDef(def, "            - path: [\"$[\"]\n"),
			"cfg.yaml:8: presentation_definitions[0].input_descriptors[0].constraints.fields[1].path[0]: "},
		{"descriptors", "presentation_definitions:\n  - id: empty\n    input_descriptors: []\n",
			"cfg.yaml:3: presentation_definitions[0].input_descriptors: "},
		{"trusted issuers", "presentation_definitions:\n  - id: x\n    trusted_issuers: [42]\n    input_descriptors: [{id: d}]\n",
			"cfg.yaml:3: presentation_definitions[0].trusted_issuers: "},
	}
	dir := t.TempDir()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, "cfg.yaml")
			if err := os.WriteFile(p, []byte(tc.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Load(p)
			if err == nil {
				t.Fatal("no error")
			}
			got := strings.TrimPrefix(err.Error(), dir+"/")
			if len(got) < len(tc.want) || got[:len(tc.want)] != tc.want {
				t.Errorf("got  %s\nwant %s…", got, tc.want)
			}
		})
	}
}

func fmtDef(def, tail string) string { return def[:len(def)-2] + tail }
