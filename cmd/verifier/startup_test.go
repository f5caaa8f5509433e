package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStartupErrors: a bad config, an unknown flag or an unreachable Redis
// exits non-zero with one clear line naming what is wrong.
func TestStartupErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.yaml", "presentation_definitions:\n  - id: a\n    input_descriptors:\n      - id: d\n        constraints:\n          fields:\n            - path: [\"$.type\"]\n")
	cases := []struct {
		name     string
		args     []string
		env      map[string]string
		wantCode int
		want     []string
	}{
		{"unknown flag", []string{"--nope"}, nil, 2, []string{"nope"}},
		{"missing file", []string{"--config", filepath.Join(dir, "absent.yaml")}, nil, 1, []string{"absent.yaml"}},
		{"unknown key", []string{"--config", write("typo.yaml", "listne: x\npresentation_definitions: []\n")}, nil, 1, []string{"typo.yaml", "listne"}},
		{"no definitions", []string{"--config", write("empty.yaml", "listen: 127.0.0.1:0\n")}, nil, 1, []string{"empty.yaml", "presentation_definitions"}},
		{"broken definition", []string{"--config", write("broken.yaml", "presentation_definitions:\n  - id: broken-one\n    input_descriptors:\n      - id: d\n        constraints:\n          fields:\n            - path: [\"$[\"]\n")}, nil, 1, []string{"broken.yaml", "broken-one"}},
		{"bad filter", []string{"--config", write("filter.yaml", "presentation_definitions:\n  - id: bad-filter\n    input_descriptors:\n      - id: d\n        constraints:\n          fields:\n            - path: [\"$.type\"]\n              filter: {type: 17}\n")}, nil, 1, []string{"filter.yaml", "bad-filter"}},
		{"bad duration", []string{"--config", write("dur.yaml", "session:\n  lifetime: soon\npresentation_definitions: []\n")}, nil, 1, []string{"dur.yaml:2: session.lifetime", "soon"}},
		{"unknown DID method", []string{"--config", write("method.yaml", "dids:\n  methods: [key, nope]\n"+string(mustRead(t, good)))}, nil, 1, []string{"method.yaml:2: dids.methods", "nope"}},
		{"missing pinned file", []string{"--config", write("pinned.yaml", "dids:\n  pinned:\n    - file: absent.json\n"+string(mustRead(t, good)))}, nil, 1, []string{"pinned.yaml:3: dids.pinned[0]", "absent.json"}},
		{"unreachable redis", []string{"--config", good, "--redis", "redis://127.0.0.1:1/0"}, nil, 1, []string{"redis", "127.0.0.1:1", "unreachable"}},
		{"unreachable redis from env", []string{"--config", good}, map[string]string{"VERIFIER_REDIS_URL": "redis://127.0.0.1:1/0"}, 1, []string{"unreachable"}},
		{"bad public url", []string{"--config", good, "--listen", "127.0.0.1:0", "--public-url", "ftp://x"}, nil, 1, []string{"ftp://x"}},
		{"bad listen", []string{"--config", good, "--listen", "nonsense"}, nil, 1, []string{"nonsense"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			errFile, err := os.CreateTemp(dir, "stderr")
			if err != nil {
				t.Fatal(err)
			}
			defer errFile.Close()
			getenv := func(k string) string { return tc.env[k] }
			ctx, cancel := context.WithCancel(context.Background())
			cancel() // a start that succeeded would stop at once
			code := run(ctx, tc.args, getenv, errFile)
			out, _ := os.ReadFile(errFile.Name())
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d; stderr %q", code, tc.wantCode, out)
			}
			lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
			if len(lines) != 1 {
				t.Fatalf("want one line, got %q", out)
			}
			for _, w := range tc.want {
				if !strings.Contains(lines[0], w) {
					t.Errorf("%q does not mention %q", lines[0], w)
				}
			}
		})
	}
}

func TestFlagsOverEnvironment(t *testing.T) {
	env := map[string]string{"VERIFIER_LISTEN": "env:1", "VERIFIER_PUBLIC_URL": "http://env", "VERIFIER_REDIS_URL": "redis://env"}
	o, err := parseFlags([]string{"--listen", "flag:1"}, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if o.Listen != "flag:1" || o.PublicURL != "http://env" || o.RedisURL != "redis://env" || o.ConfigPath != "config.yaml" {
		t.Fatalf("%+v", o)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
