package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A definition the build would silently weaken stops the start, with one
// line naming the file, the definition and the member: a JSON Schema
// keyword the filters do not know (minimun), a proof type no suite
// verifies, an alg jwtvc does not verify. allow_warnings on the definition
// accepts it as it is.
func TestStrictDefinitions(t *testing.T) {
	const typo = `presentation_definitions:
  - id: adults
%s    input_descriptors:
      - id: id-card
        constraints:
          fields:
            - path: ["$.credentialSubject.age"]
              filter: {type: number, minimun: 18}
`
	const proofType = `presentation_definitions:
  - id: jcs-2021
    input_descriptors:
      - id: id-card
        format: {ldp_vc: {proof_type: [JcsEd25519Signature2021]}}
        constraints:
          fields:
            - path: ["$.type"]
`
	const alg = `presentation_definitions:
  - id: rsa
    format: {jwt_vc_json: {alg: [RS256]}}
    input_descriptors:
      - id: id-card
        constraints:
          fields:
            - path: ["$.type"]
`
	cases := []struct {
		name, config string
		wantCode     int
		want         []string
	}{
		{"unknown keyword", strings.Replace(typo, "%s", "", 1), 1, []string{"adults", "constraints.fields[0].filter", "minimun", "allow_warnings"}},
		{"unknown proof type", proofType, 1, []string{"jcs-2021", "input_descriptors[0].format.ldp_vc.proof_type", "JcsEd25519Signature2021"}},
		{"unknown alg", alg, 1, []string{"rsa", "format.jwt_vc_json.alg", "RS256"}},
		{"allowed", strings.Replace(typo, "%s", "    allow_warnings: true\n", 1), 0, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "strict.yaml")
			if err := os.WriteFile(path, []byte("listen: 127.0.0.1:0\n"+tc.config), 0o600); err != nil {
				t.Fatal(err)
			}
			errFile, err := os.CreateTemp(dir, "stderr")
			if err != nil {
				t.Fatal(err)
			}
			defer errFile.Close()
			ctx, cancel := context.WithCancel(context.Background())
			cancel() // a start that succeeds stops at once
			code := run(ctx, []string{"--config", path}, func(string) string { return "" }, errFile)
			out, _ := os.ReadFile(errFile.Name())
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d: %s", code, tc.wantCode, out)
			}
			if tc.wantCode == 0 {
				return
			}
			lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], "strict.yaml") {
				t.Fatalf("want one line naming the file, got %q", out)
			}
			for _, w := range tc.want {
				if !strings.Contains(lines[0], w) {
					t.Errorf("%q does not mention %q", lines[0], w)
				}
			}
		})
	}
}
