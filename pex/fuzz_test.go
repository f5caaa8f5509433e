package pex

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/loginwithiota/verifier/internal/testshared"
)

// FuzzParseSubmission: a presentation_submission comes straight from the
// wallet. ParseSubmission never panics, fails only with *Error, and what it
// accepts survives a round trip through encoding/json.
func FuzzParseSubmission(f *testing.F) {
	for _, name := range []string{"submission1.json", "submission3.json"} {
		f.Add(benchFile(f, name))
	}
	f.Add(testshared.ReadFile(f, filepath.Join("testdata", "profile-submission.json")))
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

// FuzzEvaluate: the definition (from an operator's config), the vp_token
// and the presentation_submission (from the wallet) are all parsed and
// evaluated. ParseDefinition and ParseSubmission never panic; Evaluate never
// panics, fails only with *Error, and every match it reports is where its
// path says; Select never panics, and what it selects, presented, passes
// Evaluate.
func FuzzEvaluate(f *testing.F) {
	fixed := []*Definition{
		mustDefinition(f, benchFile(f, "pd.json")),
		mustDefinition(f, testshared.ReadFile(f, filepath.Join("testdata", "profile-definition.json"))),
		mustDefinition(f, []byte(fuzzFeatures)),
		// Wildcard, recursive and filter paths go through PaesslerAG.
		mustDefinition(f, []byte(`{"id":"employee-login","format":{"ldp_vc":{"proof_type":["JcsEd25519Signature2020","Ed25519Signature2020"]}},
			"input_descriptors":[{"id":"employee","constraints":{"fields":[
				{"path":["$.credentialSubject.languages[*].code","$..code"],"filter":{"type":"string"}},
				{"path":["$.credentialSubject.licenses[?(@.category == \"B\")].expires"],"optional":true},
				{"path":["$.type"],"filter":{"type":"string","pattern":"Employee"}}]}},
			{"id":"degree","constraints":{"fields":[{"path":["$.credentialSubject.*"]}]}}]}`)),
	}
	defSeeds := [][]byte{benchFile(f, "pd.json"), testshared.ReadFile(f, filepath.Join("testdata", "profile-definition.json")), []byte(fuzzFeatures)}
	pairs := [][2]string{{"vp1-jcs.json", "submission1.json"}, {"vp3-jcs.json", "submission3.json"}}
	for _, p := range pairs {
		for _, def := range defSeeds {
			f.Add(def, benchFile(f, p[0]), benchFile(f, p[1]))
		}
	}
	_, vp, sub := profileFiles(f)
	f.Add(defSeeds[1], vp, sub)
	f.Add(defSeeds[1], []byte(`[`+string(vp)+`,`+string(vp)+`]`), []byte(`{"id":"1","definition_id":"vp token example","descriptor_map":[{"id":"verifiable id credential","format":"ldp_vp","path":"$[1]","path_nested":{"id":"verifiable id credential","format":"ldp_vc","path":"$.verifiableCredential[0]"}}]}`))
	f.Fuzz(func(t *testing.T, defRaw, vpRaw, subRaw []byte) {
		defs := fixed
		if d, err := ParseDefinition(defRaw); err == nil {
			defs = append(defs[:len(defs):len(defs)], d)
			_ = d.Warnings()
			if _, err := ParseDefinition(d.JSON()); err != nil {
				t.Fatalf("JSON() does not parse again: %v", err)
			}
		} else if !strings.HasPrefix(err.Error(), "pex: presentation definition") {
			t.Fatalf("error %q", err)
		}
		var token any
		if json.Unmarshal(vpRaw, &token) != nil {
			return
		}
		for _, d := range defs {
			fuzzSelect(t, d, token)
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

// fuzzSelect selects from the credentials of token (a presentation) and
// checks that the verifier accepts what was selected.
func fuzzSelect(t *testing.T, d *Definition, token any) {
	obj, _ := token.(map[string]any)
	creds, _ := obj["verifiableCredential"].([]any)
	const holder = "did:example:holder"
	sel, err := d.Select(creds, SelectOptions{HolderDIDs: []string{holder}, PresentationProofType: "JcsEd25519Signature2020"})
	if err != nil {
		var pe *Error
		if !errors.As(err, &pe) || pe.Code == "" || pe.Reason == "" {
			t.Fatalf("select error %v (%T)", err, err)
		}
		return
	}
	var list []map[string]any
	for _, c := range sel.Credentials {
		cred := creds[c.Index].(map[string]any)
		if c.Limited != nil {
			cred = c.Limited
		}
		if _, ok := cred["proof"]; !ok {
			return // selectable, not presentable as is
		}
		list = append(list, cred)
	}
	// Through JSON, as the verifier receives it.
	b, err := json.Marshal(presentation(holder, list...))
	if err != nil {
		t.Fatal(err)
	}
	var vp any
	if err := json.Unmarshal(b, &vp); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Evaluate(sel.Submission, vp); err != nil {
		t.Fatalf("the selection does not pass: %v", err)
	}
}

// fuzzFeatures exercises the Features: requirements, v1.0.0 schema (no:
// v2), holder and subject relations, limit_disclosure, date bounds.
const fuzzFeatures = `{"id":"employee-login","submission_requirements":[{"rule":"pick","min":1,"max":2,"from_nested":[{"rule":"all","from":"A"},{"rule":"pick","count":1,"from":"B"}]}],
	"input_descriptors":[
	{"id":"employee","group":["A"],"constraints":{"limit_disclosure":"required","subject_is_issuer":"preferred",
		"fields":[{"id":"emp","path":["$.credentialSubject.employment.employer"],"filter":{"type":"string","pattern":"^Example"}},
			{"id":"born","path":["$.credentialSubject.birthDate"],"filter":{"type":"string","format":"date","formatMaximum":"2007-01-01"}}],
		"is_holder":[{"field_id":["emp"],"directive":"required"}],"same_subject":[{"field_id":["emp","deg"],"directive":"required"}]}},
	{"id":"degree","group":["B"],"constraints":{"fields":[{"id":"deg","path":["$.credentialSubject.degree.name"],"filter":{"type":"string","enum":["MSc Computer Science","BSc Physics"]},"predicate":"preferred"}]}},
	{"id":"any","group":["B"],"constraints":{"fields":[{"path":["$.credentialSubject.clearanceLevel"],"filter":{"type":"number","minimum":3}}],"statuses":{"revoked":{"directive":"allowed"}}}}]}`

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
