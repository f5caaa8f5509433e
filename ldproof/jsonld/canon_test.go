package jsonld_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loginwithiota/verifier/internal/testshared"
	"github.com/loginwithiota/verifier/ldproof/jsonld"
)

// vectors is the vector folder, relative to the shared folder.
const vectors = "vectors"

// readText reads a shared file as text.
func readText(t testing.TB, path ...string) string {
	t.Helper()
	return string(testshared.Read(t, path...))
}

func withoutProof(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if k != "proof" {
			out[k] = v
		}
	}
	return out
}

// The W3C vc-di-eddsa vectors publish the canonical forms of the documents
// and proof configurations: ours must be byte-identical.
func TestCanonicalFormsOfW3CVectors(t *testing.T) {
	p := jsonld.Default()
	rdfc := filepath.Join(vectors, "di-eddsa", "eddsa-rdfc-2022")
	edsig := filepath.Join(vectors, "ed25519-2020", "w3c-vc-di-eddsa")
	tests := []struct {
		name string
		doc  map[string]any
		want string
	}{
		{"rdfc document", testshared.ReadJSON(t, vectors, "di-eddsa", "unsigned.json"), readText(t, rdfc, "canonDocDataInt.txt")},
		{"rdfc proof config", testshared.ReadJSON(t, rdfc, "proofConfigDataInt.json"), readText(t, rdfc, "proofCanonDataInt.txt")},
		{"employment document", testshared.ReadJSON(t, vectors, "di-eddsa", "employmentAuth.json"), readText(t, rdfc, "employ", "canonDocDataInt.txt")},
		{"employment proof config", testshared.ReadJSON(t, rdfc, "employ", "proofConfigDataInt.json"), readText(t, rdfc, "employ", "proofCanonDataInt.txt")},
		{"Ed25519Signature2020 document", testshared.ReadJSON(t, edsig, "unsigned.json"), readText(t, edsig, "canonDocEdSig.txt")},
		{"Ed25519Signature2020 proof config", testshared.ReadJSON(t, edsig, "proofConfigEdSig.json"), readText(t, edsig, "proofCanonEdSig.txt")},
	}
	for _, tt := range tests {
		got, err := p.Canonicalize(context.Background(), tt.doc, jsonld.URDNA2015)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if string(got) != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

// jsonld.js (Digital Bazaar's JSON-LD processor, what @digitalbazaar/vc
// canonicalizes with) is the oracle: testdata/jsonld-js holds its output for
// every signed document of the vectors and the bench, with and without the
// proof (testdata/gen-canon.mjs made them). json-gold alone differs on VC
// 2.0 presentations, see keepContainers.
func TestCanonicalizeMatchesJSONLDjs(t *testing.T) {
	p := benchProcessor(t)
	golden, err := filepath.Glob(filepath.Join("testdata", "jsonld-js", "*.nq"))
	if err != nil || len(golden) < 18 {
		t.Fatalf("%d golden files, %v", len(golden), err)
	}
	for _, g := range golden {
		name := strings.TrimSuffix(filepath.Base(g), ".nq")
		bare := strings.HasSuffix(name, ".noproof")
		src := strings.ReplaceAll(strings.TrimSuffix(name, ".noproof"), "__", string(filepath.Separator))
		doc := testshared.ReadJSON(t, src)
		if bare {
			doc = withoutProof(doc)
		}
		got, err := p.Canonicalize(context.Background(), doc, jsonld.URDNA2015)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if want := string(testshared.ReadFile(t, g)); string(got) != want {
			t.Errorf("%s differs from jsonld.js:\n got %s\nwant %s", name, got, want)
		}
	}
}

// benchProcessor serves the bench's example context besides the built-in ones.
func benchProcessor(t testing.TB) *jsonld.Processor {
	p, err := jsonld.New(jsonld.Config{Contexts: testshared.BenchContexts(t)})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSafeMode(t *testing.T) {
	p := jsonld.Default()
	v1 := []any{"https://www.w3.org/2018/credentials/v1"}
	vc := func(extra map[string]any, subject map[string]any) map[string]any {
		m := map[string]any{
			"@context":          v1,
			"id":                "urn:uuid:1",
			"type":              []any{"VerifiableCredential"},
			"issuer":            "did:example:issuer",
			"issuanceDate":      "2024-01-01T00:00:00Z",
			"credentialSubject": subject,
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	tests := []struct {
		name    string
		doc     map[string]any
		mention string // "" = valid
	}{
		{"clean", vc(nil, map[string]any{"id": "did:example:holder"}), ""},
		{"undefined subject term", vc(nil, map[string]any{"id": "did:example:holder", "nickname": "Al"}), `"nickname" at /credentialSubject`},
		{"undefined top-level term", vc(map[string]any{"colour": "red"}, map[string]any{"id": "did:example:holder"}), `"colour" at /`},
		{"unknown keyword", vc(map[string]any{"@foo": 1}, map[string]any{"id": "did:example:holder"}), "safe mode"},
		{"relative id", vc(map[string]any{"id": "ebc6f1c2"}, map[string]any{"id": "did:example:holder"}), `"ebc6f1c2"`},
		{"relative subject id", vc(nil, map[string]any{"id": "holder"}), `"holder"`},
		{"undefined type", vc(map[string]any{"type": []any{"VerifiableCredential", "Mystery"}}, map[string]any{"id": "did:example:holder"}), `"Mystery"`},
	}
	for _, tt := range tests {
		_, err := p.Canonicalize(context.Background(), tt.doc, jsonld.URDNA2015)
		if tt.mention == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if !errors.Is(err, jsonld.ErrUnsafe) || !strings.Contains(err.Error(), tt.mention) {
			t.Errorf("%s: %v, want ErrUnsafe mentioning %s", tt.name, err, tt.mention)
		}
	}
	// The DIF PEX sample VP has a relative id: refused, as jsonld.js's safe mode does.
	vp := testshared.ReadJSON(t, vectors, "ed25519-2018", "dif-pex-sample-implementation", "vp-ld.json")
	if _, err := p.Canonicalize(context.Background(), withoutProof(vp), jsonld.URDNA2015); !errors.Is(err, jsonld.ErrUnsafe) || !strings.Contains(err.Error(), "ebc6f1c2") {
		t.Errorf("vp-ld.json: %v, want ErrUnsafe naming the relative id", err)
	}
}
