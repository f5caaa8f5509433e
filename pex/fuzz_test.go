package pex

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzParseSubmission: a presentation_submission comes straight from the
// wallet. ParseSubmission never panics, fails only with *Error, and what it
// accepts survives a round trip through encoding/json.
func FuzzParseSubmission(f *testing.F) {
	for _, name := range []string{"submission1.json", "submission3.json"} {
		f.Add(benchFile(f, name))
	}
	f.Add(readFile(f, filepath.Join("testdata", "profile-submission.json")))
	f.Add([]byte(`{"id":"s","definition_id":"d","descriptor_map":[{"id":"a","format":"ldp_vp","path":"$[1]","path_nested":{"id":"a","format":"ldp_vc","path":"$['verifiableCredential'][0]"}}]}`))
	f.Add([]byte(`{"id":"s","definition_id":"d","descriptor_map":[{"id":"a","format":"ldp_vc","path":"$.verifiableCredential[*]"}]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		sub, err := ParseSubmission(raw)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) || pe.Code != CodeInvalidSubmission {
				t.Fatalf("error %v (%T)", err, err)
			}
			return
		}
		b, err := json.Marshal(sub)
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseSubmission(b)
		if err != nil {
			t.Fatalf("re-parse: %v", err)
		}
		if !reflect.DeepEqual(sub, again) {
			t.Fatalf("round trip: %+v != %+v", sub, again)
		}
	})
}

// FuzzEvaluate: vp_token and presentation_submission both come from the
// wallet. Evaluate never panics, fails only with *Error, and every match it
// reports is where its path says.
func FuzzEvaluate(f *testing.F) {
	defs := []*Definition{
		mustDefinition(f, benchFile(f, "pd.json")),
		mustDefinition(f, readFile(f, filepath.Join("testdata", "profile-definition.json"))),
		// Wildcard, recursive and filter paths go through PaesslerAG.
		mustDefinition(f, []byte(`{"id":"employee-login","format":{"ldp_vc":{"proof_type":["JcsEd25519Signature2020","Ed25519Signature2020"]}},
			"input_descriptors":[{"id":"employee","constraints":{"fields":[
				{"path":["$.credentialSubject.languages[*].code","$..code"],"filter":{"type":"string"}},
				{"path":["$.credentialSubject.licenses[?(@.category == \"B\")].expires"],"optional":true},
				{"path":["$.type"],"filter":{"type":"string","pattern":"Employee"}}]}},
			{"id":"degree","constraints":{"fields":[{"path":["$.credentialSubject.*"]}]}}]}`)),
	}
	pairs := [][2]string{{"vp1-jcs.json", "submission1.json"}, {"vp3-jcs.json", "submission3.json"}}
	for _, p := range pairs {
		f.Add(benchFile(f, p[0]), benchFile(f, p[1]))
	}
	_, vp, sub := profileFiles(f)
	f.Add(vp, sub)
	f.Add([]byte(`[`+string(vp)+`,`+string(vp)+`]`), []byte(`{"id":"1","definition_id":"vp token example","descriptor_map":[{"id":"verifiable id credential","format":"ldp_vp","path":"$[1]","path_nested":{"id":"verifiable id credential","format":"ldp_vc","path":"$.verifiableCredential[0]"}}]}`))
	f.Fuzz(func(t *testing.T, vpRaw, subRaw []byte) {
		var token any
		if json.Unmarshal(vpRaw, &token) != nil {
			return
		}
		sub, err := ParseSubmission(subRaw)
		if err != nil {
			return
		}
		for _, d := range defs {
			res, err := d.Evaluate(sub, token)
			if err != nil {
				var pe *Error
				if !errors.As(err, &pe) || pe.Code == "" || pe.Reason == "" {
					t.Fatalf("error %v (%T)", err, err)
				}
				continue
			}
			if len(res.Matches) != len(sub.DescriptorMap) {
				t.Fatalf("%d matches for %d entries", len(res.Matches), len(sub.DescriptorMap))
			}
			for _, m := range res.Matches {
				v, ok := lookupSimple(m.Path, token)
				if !ok || !reflect.DeepEqual(v, m.Value) {
					t.Fatalf("match at %s is not what the path selects", m.Path)
				}
				if _, isObj := m.Value.(map[string]any); !isObj {
					t.Fatalf("match at %s is a %T", m.Path, m.Value)
				}
			}
		}
	})
}

// FuzzLookupSimple: the direct walk never panics and agrees with PaesslerAG
// wherever it finds a value.
func FuzzLookupSimple(f *testing.F) {
	vp := decode(f, benchFile(f, "vp3-jcs.json"))
	for _, p := range []string{"$", "$.verifiableCredential[1].credentialSubject.degree.name", `$["@context"][0]`, "$['type']", "$.proof.type", "$[0]"} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, path string) {
		_ = checkSimplePath(path)
		comparePaesslerAG(t, path, vp)
	})
}
