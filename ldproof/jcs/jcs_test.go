package jcs

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gowebpki "github.com/gowebpki/jcs"

	"github.com/loginwithiota/verifier/internal/testshared"
)

func decode(t testing.TB, raw []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return v
}

// The example of RFC 8785 §3.2.4 (numbers, escapes, literals).
func TestCanonicalizeRFC8785Example(t *testing.T) {
	in := `{
	  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
	  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
	  "literals": [null, true, false]
	}`
	want := `{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`
	got, err := Canonicalize(decode(t, []byte(in)))
	if err != nil || string(got) != want {
		t.Fatalf("got %s, %v\nwant %s", got, err, want)
	}
}

func TestCanonicalizeValues(t *testing.T) {
	type custom struct {
		B int    `json:"b"`
		A string `json:"a"`
	}
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"nil", nil, "null"},
		{"empty object", map[string]any{}, "{}"},
		{"empty array", []any{}, "[]"},
		{"nested", map[string]any{"b": []any{1.0, map[string]any{"d": true, "c": nil}}, "a": "x"}, `{"a":"x","b":[1,{"c":null,"d":true}]}`},
		{"json.Number", []any{json.Number("1E3"), json.Number("-0.0")}, "[1000,0]"},
		{"int types", []any{1, int64(-2)}, "[1,-2]"},
		{"[]string", map[string]any{"type": []string{"VerifiableCredential", "X"}}, `{"type":["VerifiableCredential","X"]}`},
		{"struct via encoding/json", custom{B: 2, A: "<"}, `{"a":"<","b":2}`},
		{"empty key", map[string]any{"": 1.0, "a": 2.0}, `{"":1,"a":2}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Canonicalize(tt.in)
			if err != nil || string(got) != tt.want {
				t.Errorf("got %s, %v; want %s", got, err, tt.want)
			}
		})
	}
}

func TestCanonicalizeErrors(t *testing.T) {
	cyclic := map[string]any{}
	cyclic["self"] = cyclic
	tests := []struct {
		name string
		in   any
	}{
		{"bad utf8 value", map[string]any{"a": "\xff"}},
		{"bad utf8 key", map[string]any{"\xff": 1.0}},
		{"bad json.Number", json.Number("1e999")},
		{"cycle", cyclic},
		{"channel", make(chan int)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := Canonicalize(tt.in); err == nil {
				t.Errorf("got %q, want error", got)
			}
		})
	}
}

// Every JSON file of the shared vectors and benchmark inputs must
// canonicalize exactly as gowebpki/jcs does (where it accepts the file).
func TestCanonicalizeSharedFilesMatchOracle(t *testing.T) {
	var n int
	sharedDir := testshared.Dir(t)
	err := filepath.WalkDir(sharedDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") && !strings.HasSuffix(path, ".jsonld") {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		want, werr := gowebpki.Transform(raw)
		if werr != nil {
			return nil // e.g. odrl.jsonld's duplicate keys, the empty file
		}
		got, err := Transform(raw)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			return nil
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: canonical form differs from oracle\n got %.200s\nwant %.200s", path, got, want)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 100 {
		t.Fatalf("only %d files compared; is %s present?", n, sharedDir)
	}
	t.Logf("%d files match the oracle", n)
}

func TestAppendWithMember(t *testing.T) {
	doc := decode(t, []byte(`{"z":1,"proof":{"type":"T","signatureValue":"sig","created":"c"},"a":[{"proof":{"signatureValue":"inner"}}]}`)).(map[string]any)
	proof := doc["proof"].(map[string]any)
	got, err := AppendWithMember(nil, doc, "proof", proof, "signatureValue")
	if err != nil {
		t.Fatal(err)
	}
	want := `{"a":[{"proof":{"signatureValue":"inner"}}],"proof":{"created":"c","type":"T"},"z":1}`
	if string(got) != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	if _, ok := proof["signatureValue"]; !ok {
		t.Error("input proof was modified")
	}

	// A member that the object does not have yet is added in sorted place.
	got, err = AppendWithMember([]byte("prefix:"), map[string]any{"z": 1.0, "a": 2.0}, "proof", map[string]any{"type": "T"}, "signatureValue")
	if err != nil || string(got) != `prefix:{"a":2,"proof":{"type":"T"},"z":1}` {
		t.Errorf("got %s, %v", got, err)
	}
}

func TestAppendDoesNotAllocateWhenWarm(t *testing.T) {
	doc := testshared.ReadJSON(t, "bench", "vp1-jcs.json")
	proof := doc["proof"].(map[string]any)
	buf := make([]byte, 0, 8192)
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := AppendWithMember(buf[:0], doc, "proof", proof, "signatureValue"); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 0 {
		t.Errorf("AppendWithMember allocates %.1f times per call, want 0", allocs)
	}
}

// FuzzCanonicalize: for any JSON object that both encoding/json and
// gowebpki/jcs accept, our canonical form of the decoded tree equals
// gowebpki's canonical form of the text.
func FuzzCanonicalize(f *testing.F) {
	for _, s := range []string{
		`{}`, `{"a":1,"b":[1,2,3]}`, `{"€":1,"😀":2,"דּ":3,"\r":4}`,
		`{"n":[1e21,1e-6,1e-7,5e-324,1.7976931348623157e308,-0,123456789012345680000]}`,
		`{"s":"\u0000\u001f\"\\\/\b\f\n\r\t\u2028"}`, `{"b":{"a":[{},[],null,true,false]}}`,
	} {
		f.Add([]byte(s))
	}
	if raw, err := os.ReadFile(testshared.Path(f, "vectors", "jcs-ed25519-2020", "iota-signed-presentation", "presentation.json")); err == nil {
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		if json.Unmarshal(data, &v) != nil {
			return
		}
		if _, ok := v.(map[string]any); !ok {
			return
		}
		want, err := gowebpki.Transform(data)
		if err != nil {
			return // stricter input rules (duplicate keys, lone surrogates…)
		}
		got, err := Canonicalize(v)
		if err != nil {
			t.Fatalf("oracle accepted %q but we failed: %v", data, err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("input %q\n got %s\nwant %s", data, got, want)
		}
	})
}

func BenchmarkCanonicalize(b *testing.B) {
	doc := testshared.ReadJSON(b, "bench", "vp1-jcs.json")
	proof := doc["proof"].(map[string]any)
	b.Run("ours-vp1", func(b *testing.B) {
		buf := make([]byte, 0, 8192)
		for b.Loop() {
			buf, _ = AppendWithMember(buf[:0], doc, "proof", proof, "signatureValue")
		}
	})
	b.Run("gowebpki-vp1", func(b *testing.B) {
		for b.Loop() {
			m, _ := json.Marshal(doc)
			if _, err := gowebpki.Transform(m); err != nil {
				b.Fatal(err)
			}
		}
	})
}
