package pex

import (
	"errors"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/loginwithiota/verifier/internal/testshared"
)

func profileFiles(t testing.TB) (def, vp, sub []byte) {
	return testshared.ReadFile(t, filepath.Join("testdata", "profile-definition.json")),
		testshared.ReadFile(t, filepath.Join("testdata", "profile-vp.json")),
		testshared.ReadFile(t, filepath.Join("testdata", "profile-submission.json"))
}

func TestEvaluateBench(t *testing.T) {
	d := mustDefinition(t, benchFile(t, "pd.json"))
	cases := []struct {
		vp, sub string
		paths   []string // per descriptor_map entry
	}{
		{"vp1-jcs.json", "submission1.json", []string{"$.verifiableCredential[0]", "$.verifiableCredential[0]"}},
		{"vp3-jcs.json", "submission3.json", []string{"$.verifiableCredential[0]", "$.verifiableCredential[1]"}},
		{"vp1-ed25519-2020.json", "submission1.json", []string{"$.verifiableCredential[0]", "$.verifiableCredential[0]"}},
		{"vp3-ed25519-2020.json", "submission3.json", []string{"$.verifiableCredential[0]", "$.verifiableCredential[1]"}},
	}
	for _, tc := range cases {
		t.Run(tc.vp, func(t *testing.T) {
			vp := decode(t, benchFile(t, tc.vp))
			res, err := d.Evaluate(mustSubmission(t, benchFile(t, tc.sub)), vp)
			if err != nil {
				t.Fatal(err)
			}
			ids := []string{"employee", "degree"}
			if len(res.Matches) != len(ids) {
				t.Fatalf("%d matches, want %d", len(res.Matches), len(ids))
			}
			fields := [][]string{
				{"$.type", "$.credentialSubject.employment.employer", "$.credentialSubject.clearanceLevel"},
				{"$.credentialSubject.degree.name", "$.credentialSubject.birthDate"},
			}
			for i, m := range res.Matches {
				cred := mustLookup(t, tc.paths[i], vp)
				want := Match{DescriptorID: ids[i], Format: "ldp_vc", Path: tc.paths[i], Value: cred, Raw: cred}
				for fi, p := range fields[i] {
					want.Fields = append(want.Fields, FieldValue{Path: p, Value: mustLookup(t, p, cred), index: fi})
				}
				if !reflect.DeepEqual(m, want) {
					t.Errorf("match %d = %+v, want %+v", i, summary(m), summary(want))
				}
			}
		})
	}
}

func mustLookup(t testing.TB, path string, v any) any {
	t.Helper()
	got, ok := lookupSimple(path, v)
	if !ok {
		t.Fatalf("%s selects nothing", path)
	}
	return got
}

// summary drops the credential from a match, for readable failures.
func summary(m Match) Match {
	if obj, ok := m.Value.(map[string]any); ok {
		m.Value = obj["id"]
	}
	return m
}

func TestEvaluateProfileExample(t *testing.T) {
	defRaw, vpRaw, subRaw := profileFiles(t)
	d := mustDefinition(t, defRaw)
	sub := mustSubmission(t, subRaw)
	setType := func(types ...any) any {
		return decode(t, edit(t, vpRaw, func(v any) any {
			at(v, "verifiableCredential", 0).(map[string]any)["type"] = types
			return v
		}))
	}
	t.Run("VerifiableId in the type array", func(t *testing.T) {
		res, err := d.Evaluate(sub, decode(t, vpRaw))
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Matches) != 1 || res.Matches[0].Path != "$.verifiableCredential[0]" || res.Matches[0].Format != "ldp_vc" || res.Matches[0].DescriptorID != "verifiable id credential" {
			t.Fatalf("matches = %+v", res.Matches)
		}
	})
	t.Run("another type", func(t *testing.T) {
		_, err := d.Evaluate(sub, setType("VerifiableCredential", "VerifiableAttestation", "VerifiableDiploma"))
		wantCode(t, err, CodeFilterFailed, `"verifiable id credential"`, "constraints.fields[0]", "$.type", "Does not match pattern 'VerifiableId'", "no element of the array of 3 strings matches")
	})
	t.Run("empty type array is strict", func(t *testing.T) {
		// The compatibility rule needs strings to look at; [] is not a string.
		_, err := d.Evaluate(sub, setType())
		wantCode(t, err, CodeFormatMismatch, "type does not include VerifiableCredential")
	})
	t.Run("proof type not listed", func(t *testing.T) {
		vp := decode(t, edit(t, vpRaw, func(v any) any {
			at(v, "verifiableCredential", 0, "proof").(map[string]any)["type"] = "Ed25519Signature2020"
			return v
		}))
		_, err := d.Evaluate(sub, vp)
		wantCode(t, err, CodeFormatMismatch, `proof type "Ed25519Signature2020" is not allowed`, "allowed for ldp_vc: JcsEd25519Signature2020")
	})
}

// The vp_token may be an array of presentations; paths then start with $[i],
// and path_nested may go any number of levels deep.
func TestEvaluateArrayVPToken(t *testing.T) {
	defRaw, vpRaw, _ := profileFiles(t)
	d := mustDefinition(t, defRaw)
	benchVP := decode(t, benchFile(t, "vp1-jcs.json"))
	profileVP := decode(t, vpRaw)
	// A presentation nested inside a presentation.
	outer := decode(t, edit(t, benchFile(t, "vp1-jcs.json"), func(v any) any {
		v.(map[string]any)["verifiableCredential"] = []any{profileVP}
		return v
	}))
	token := []any{benchVP, profileVP, outer}
	entry := func(levels ...[2]string) *Submission {
		var nested *Descriptor
		for i := len(levels) - 1; i >= 0; i-- {
			nested = &Descriptor{ID: "verifiable id credential", Format: levels[i][0], Path: levels[i][1], PathNested: nested}
		}
		return &Submission{ID: "s", DefinitionID: "vp token example", DescriptorMap: []Descriptor{*nested}}
	}
	cases := []struct {
		name     string
		sub      *Submission
		wantPath string
	}{
		{"$[1] then credential", entry([2]string{"ldp_vp", "$[1]"}, [2]string{"ldp_vc", "$.verifiableCredential[0]"}), "$[1].verifiableCredential[0]"},
		{"credential directly", entry([2]string{"ldp_vc", "$[1].verifiableCredential[0]"}), "$[1].verifiableCredential[0]"},
		{"path_nested written from the root", entry([2]string{"ldp_vp", "$[1]"}, [2]string{"ldp_vc", "$[1].verifiableCredential[0]"}), "$[1].verifiableCredential[0]"},
		{"three levels", entry([2]string{"ldp_vp", "$[2]"}, [2]string{"ldp_vp", "$.verifiableCredential[0]"}, [2]string{"ldp_vc", "$.verifiableCredential[0]"}), "$[2].verifiableCredential[0].verifiableCredential[0]"},
		{"quoted names", entry([2]string{"ldp_vp", "$[1]"}, [2]string{"ldp_vc", `$['verifiableCredential']["0"]`}), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := d.Evaluate(tc.sub, token)
			if tc.wantPath == "" {
				// ["0"] is a member name, and an array has none.
				wantCode(t, err, CodePathNotFound, `"$[1]['verifiableCredential'][\"0\"]"`)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			m := res.Matches[0]
			if m.Path != tc.wantPath || m.Format != "ldp_vc" {
				t.Fatalf("match = %+v", summary(m))
			}
			if !reflect.DeepEqual(m.Value, at(profileVP, "verifiableCredential", 0)) {
				t.Fatal("match is not the VerifiableId credential")
			}
		})
	}
	t.Run("$[0] is the wrong credential", func(t *testing.T) {
		_, err := d.Evaluate(entry([2]string{"ldp_vp", "$[0]"}, [2]string{"ldp_vc", "$.verifiableCredential[0]"}), token)
		wantCode(t, err, CodeFilterFailed, "$[0].verifiableCredential[0]")
	})
	t.Run("a root path_nested must stay inside its parent", func(t *testing.T) {
		_, err := d.Evaluate(entry([2]string{"ldp_vp", "$[0]"}, [2]string{"ldp_vc", "$[1].verifiableCredential[0]"}), token)
		wantCode(t, err, CodePathNotFound, "selects nothing")
	})
	t.Run("$[0] on an object vp_token", func(t *testing.T) {
		_, err := d.Evaluate(entry([2]string{"ldp_vp", "$[0]"}, [2]string{"ldp_vc", "$.verifiableCredential[0]"}), profileVP)
		wantCode(t, err, CodePathNotFound, `path "$[0]" selects nothing`)
	})
}

func TestEvaluateErrors(t *testing.T) {
	d := mustDefinition(t, benchFile(t, "pd.json"))
	vpRaw := benchFile(t, "vp1-jcs.json")
	subRaw := benchFile(t, "submission1.json")
	vp := decode(t, vpRaw)
	sub := func(fn func(s *Submission)) *Submission {
		s := mustSubmission(t, subRaw)
		fn(s)
		return s
	}
	editVP := func(fn func(vp any)) any {
		return decode(t, edit(t, vpRaw, func(v any) any { fn(v); return v }))
	}
	cred := func(v any) map[string]any { return at(v, "verifiableCredential", 0).(map[string]any) }
	subject := func(v any) map[string]any { return cred(v)["credentialSubject"].(map[string]any) }

	cases := []struct {
		name      string
		sub       *Submission
		vp        any
		code      string
		fragments []string
	}{
		{"nil submission", nil, vp, CodeInvalidSubmission, []string{"missing"}},
		{"hand-made submission without id", sub(func(s *Submission) { s.ID = "" }), vp, CodeInvalidSubmission, []string{"id is required"}},
		{"nested id differs", sub(func(s *Submission) { s.DescriptorMap[0].PathNested.ID = "degree" }), vp, CodeInvalidSubmission, []string{`path_nested id "degree" differs`}},
		{"wildcard descriptor path", sub(func(s *Submission) { s.DescriptorMap[0].PathNested.Path = "$.verifiableCredential[*]" }), vp, CodeInvalidSubmission, []string{"only definite paths"}},
		{"other definition", sub(func(s *Submission) { s.DefinitionID = "other" }), vp, CodeDefinitionMismatch, []string{`"other"`, `"employee-login"`}},
		{"unknown descriptor", sub(func(s *Submission) {
			s.DescriptorMap = append(s.DescriptorMap, Descriptor{ID: "passport", Format: "ldp_vc", Path: "$.verifiableCredential[0]"})
		}), vp, CodeUnknownDescriptor, []string{`descriptor_map[2] names "passport"`}},
		{"missing descriptor", sub(func(s *Submission) { s.DescriptorMap = s.DescriptorMap[:1] }), vp, CodeDescriptorMissing, []string{`input descriptor "degree" has no descriptor_map entry`}},
		{"credential index out of range", sub(func(s *Submission) { s.DescriptorMap[1].PathNested.Path = "$.verifiableCredential[3]" }), vp, CodePathNotFound, []string{`(input descriptor "degree")`, `"$.verifiableCredential[3]"`}},
		{"outer path missing", sub(func(s *Submission) { s.DescriptorMap[0].Path = "$.vp" }), vp, CodePathNotFound, []string{`"$.vp"`}},
		{"vp_token is a string", sub(func(*Submission) {}), "eyJhbGciOiJFZERTQSJ9.e30.sig", CodeFormatMismatch, []string{"not a JSON object"}},
		{"VP labelled ldp_vc", sub(func(s *Submission) { s.DescriptorMap[0] = Descriptor{ID: "employee", Format: "ldp_vc", Path: "$"} }), vp, CodeFormatMismatch, []string{"not ldp_vc", "type does not include VerifiableCredential"}},
		{"credential labelled ldp_vp", sub(func(s *Submission) { s.DescriptorMap[0].PathNested.Format = "ldp_vp" }), vp, CodeFormatMismatch, []string{"describes a presentation"}},
		{"ldp_vp ending the chain", sub(func(s *Submission) { s.DescriptorMap[0].PathNested = nil }), vp, CodeFormatMismatch, []string{"innermost path_nested must point to the credential"}},
		{"credential as envelope", sub(func(s *Submission) { s.DescriptorMap[0].Format = "ldp_vc" }), vp, CodeFormatMismatch, []string{"describes a credential"}},
		{"unsupported format", sub(func(s *Submission) { s.DescriptorMap[0].PathNested.Format = "jwt_vc_json" }), vp, CodeFormatMismatch, []string{`"jwt_vc_json" is not supported`}},
		{"unknown format", sub(func(s *Submission) { s.DescriptorMap[0].PathNested.Format = "xyz" }), vp, CodeFormatMismatch, []string{`"xyz" is not supported`}},
		{"credential without proof", sub(func(*Submission) {}), editVP(func(v any) { delete(cred(v), "proof") }), CodeFormatMismatch, []string{"it has no proof"}},
		{"VP without proof", sub(func(*Submission) {}), editVP(func(v any) { delete(v.(map[string]any), "proof") }), CodeFormatMismatch, []string{"at $:", "it has no proof"}},
		{"empty proof set", sub(func(*Submission) {}), editVP(func(v any) { cred(v)["proof"] = []any{} }), CodeFormatMismatch, []string{"proof set is empty"}},
		{"field missing", sub(func(*Submission) {}), editVP(func(v any) { delete(subject(v), "clearanceLevel") }), CodeFieldMissing,
			[]string{`input descriptor "employee"`, "constraints.fields[2]", "$.credentialSubject.clearanceLevel", "$.verifiableCredential[0]"}},
		{"both paths missing", sub(func(*Submission) {}), editVP(func(v any) { delete(subject(v), "employment") }), CodeFieldMissing,
			[]string{"constraints.fields[1]", "$.credentialSubject.employment.employer, $.vc.credentialSubject.employment.employer"}},
		{"number below minimum", sub(func(*Submission) {}), editVP(func(v any) { subject(v)["clearanceLevel"] = 2 }), CodeFilterFailed,
			[]string{`input descriptor "employee"`, "constraints.fields[2]", "$.credentialSubject.clearanceLevel: Must be greater than or equal to 3"}},
		{"wrong JSON type", sub(func(*Submission) {}), editVP(func(v any) { subject(v)["clearanceLevel"] = "3" }), CodeFilterFailed,
			[]string{"Invalid type. Expected: number, given: string"}},
		{"const mismatch", sub(func(*Submission) {}), editVP(func(v any) { at(subject(v), "employment").(map[string]any)["employer"] = "Other B.V." }), CodeFilterFailed,
			[]string{"constraints.fields[1]", "does not match"}},
		{"array contains", sub(func(*Submission) {}), editVP(func(v any) { cred(v)["type"] = []any{"VerifiableCredential", "Employee"} }), CodeFilterFailed,
			[]string{"constraints.fields[0]", "$.type"}},
		{"second descriptor fails", sub(func(*Submission) {}), editVP(func(v any) { at(subject(v), "degree").(map[string]any)["name"] = "BSc Physics" }), CodeFilterFailed,
			[]string{`input descriptor "degree"`, "Does not match pattern '^MSc '"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := d.Evaluate(tc.sub, tc.vp)
			if res != nil {
				t.Errorf("result %+v with error", res)
			}
			wantCode(t, err, tc.code, tc.fragments...)
			if !errors.Is(err, &Error{Code: tc.code}) {
				t.Error("errors.Is does not match the code")
			}
		})
	}
}

// Field semantics beyond the bench definition: path fallthrough, optional
// fields, first-match of wildcard paths, formats.
func TestEvaluateFields(t *testing.T) {
	vp := decode(t, benchFile(t, "vp1-jcs.json"))
	sub := &Submission{ID: "s", DefinitionID: "d", DescriptorMap: []Descriptor{{ID: "a", Format: "ldp_vp", Path: "$",
		PathNested: &Descriptor{ID: "a", Format: "ldp_vc", Path: "$.verifiableCredential[0]"}}}}
	def := func(fields, format string) *Definition {
		raw := `{"id":"d",` + format + `"input_descriptors":[{"id":"a","constraints":{"fields":[` + fields + `]}}]}`
		return mustDefinition(t, []byte(raw))
	}
	cases := []struct {
		name, fields, format string
		code                 string // "" for success
		fragments            []string
	}{
		{"no filter: presence", `{"path":["$.credentialSubject.email"]}`, "", "", nil},
		{"first path missing, second found", `{"path":["$.vc.issuer","$.issuer"],"filter":{"const":"did:example:issuer"}}`, "", "", nil},
		{"first path fails filter, second passes", `{"path":["$.credentialSubject.givenName","$.credentialSubject.familyName"],"filter":{"type":"string","pattern":"^Van der"}}`, "", "", nil},
		{"both paths fail", `{"path":["$.credentialSubject.givenName","$.credentialSubject.nationality"],"filter":{"type":"string","pattern":"^Van der"}}`, "", CodeFilterFailed,
			[]string{"$.credentialSubject.givenName: Does not match pattern", "; $.credentialSubject.nationality: Does not match pattern"}},
		{"optional and missing", `{"path":["$.credentialSubject.passport"],"optional":true,"filter":{"type":"string"}}`, "", "", nil},
		{"optional but failing", `{"path":["$.credentialSubject.nationality"],"optional":true,"filter":{"const":"BE"}}`, "", CodeFilterFailed, nil},
		{"absent member", `{"path":["$.credentialSubject.x"]}`, "", CodeFieldMissing, nil},
		{"wildcard: first match passes", `{"path":["$.credentialSubject.languages[*].code"],"filter":{"const":"nl"}}`, "", "", nil},
		{"wildcard: only the first match counts", `{"path":["$.credentialSubject.languages[*].code"],"filter":{"const":"en"}}`, "", CodeFilterFailed, nil},
		{"recursive descent", `{"path":["$..postalCode"],"filter":{"type":"string","pattern":"^1015"}}`, "", "", nil},
		{"filter expression", `{"path":["$.credentialSubject.licenses[?(@.category == \"AM\")].issued"],"filter":{"const":"2007-05-02"}}`, "", "", nil},
		{"no match of a wildcard", `{"path":["$.credentialSubject.nothing[*]"]}`, "", CodeFieldMissing, nil},
		{"string type on an array is strict for non-strings", `{"path":["$.credentialSubject.languages"],"filter":{"type":"string"}}`, "", CodeFilterFailed,
			[]string{"Invalid type. Expected: string, given: array"}},
		{"contains on type array", `{"path":["$.type"],"filter":{"type":"array","contains":{"const":"EmployeeCredential"}}}`, "", "", nil},
		{"number as integer", `{"path":["$.credentialSubject.employment.fte"],"filter":{"type":"integer","maximum":1}}`, "", "", nil},
		{"fraction is not an integer", `{"path":["$.credentialSubject.degree.gpa"],"filter":{"type":"integer"}}`, "", CodeFilterFailed, nil},
		{"nested object filter", `{"path":["$.credentialSubject.address"],"filter":{"type":"object","required":["country"],"properties":{"country":{"enum":["NL","BE"]}}}}`, "", "", nil},
		{"nested object filter fails", `{"path":["$.credentialSubject.address"],"filter":{"type":"object","properties":{"country":{"enum":["BE"]}}}}`, "", CodeFilterFailed,
			[]string{"country: country must be one of the following"}},
		{"date format", `{"path":["$.credentialSubject.birthDate"],"filter":{"type":"string","format":"date"}}`, "", "", nil},
		{"descriptor format allows ldp_vc", `{"path":["$.type"]}`, `"format":{"ldp_vc":{"proof_type":["JcsEd25519Signature2020"]}},`, "", nil},
		{"definition format forbids the VP proof", `{"path":["$.type"]}`, `"format":{"ldp_vp":{"proof_type":["Ed25519Signature2020"]}},`, CodeFormatMismatch,
			[]string{"at $:", `proof type "JcsEd25519Signature2020" is not allowed`}},
		{"definition format lists only jwt_vc", `{"path":["$.type"]}`, `"format":{"jwt_vc":{"alg":["ES256"]}},`, CodeFormatMismatch,
			[]string{"format ldp_vc is not allowed by the presentation definition (allowed: jwt_vc)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := def(tc.fields, tc.format).Evaluate(sub, vp)
			if tc.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantCode(t, err, tc.code, tc.fragments...)
		})
	}
	t.Run("descriptor format overrides definition format", func(t *testing.T) {
		d := mustDefinition(t, []byte(`{"id":"d","format":{"ldp_vc":{"proof_type":["Ed25519Signature2020"]}},
			"input_descriptors":[{"id":"a","format":{"ldp_vc":{"proof_type":["JcsEd25519Signature2020"]}},"constraints":{"fields":[{"path":["$.type"]}]}}]}`))
		if _, err := d.Evaluate(sub, vp); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("null member matches without filter", func(t *testing.T) {
		v := decode(t, edit(t, benchFile(t, "vp1-jcs.json"), func(v any) any {
			at(v, "verifiableCredential", 0, "credentialSubject").(map[string]any)["x"] = nil
			return v
		}))
		if _, err := def(`{"path":["$.credentialSubject.x"]}`, "").Evaluate(sub, v); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("every entry of a descriptor must satisfy it", func(t *testing.T) {
		vp3 := decode(t, benchFile(t, "vp3-jcs.json"))
		d := def(`{"path":["$.credentialSubject.clearanceLevel"],"filter":{"const":3}}`, "")
		two := *sub
		two.DescriptorMap = []Descriptor{sub.DescriptorMap[0], {ID: "a", Format: "ldp_vc", Path: "$.verifiableCredential[1]"}}
		res, err := d.Evaluate(&two, vp3)
		if err == nil {
			t.Fatalf("matches %+v, want the degree credential to fail", res.Matches)
		}
		wantCode(t, err, CodeFilterFailed, "$.verifiableCredential[1]")
	})
}

// A Definition is shared by every request; run with -race.
func TestEvaluateConcurrent(t *testing.T) {
	d := mustDefinition(t, benchFile(t, "pd.json"))
	sub := mustSubmission(t, benchFile(t, "submission3.json"))
	vp := decode(t, benchFile(t, "vp3-jcs.json"))
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				if _, err := d.Evaluate(sub, vp); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}
