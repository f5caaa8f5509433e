package pex

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loginwithiota/verifier/internal/testshared"
)

// sphereon is the sphereon-pex vector folder, relative to the shared folder.
var sphereon = filepath.Join("vectors", "pex", "sphereon-pex")

func sphereonDefinition(t *testing.T, name string) []byte {
	t.Helper()
	return unwrap(t, testshared.Read(t, sphereon, "dif_pe_examples", "pdV1", name), "presentation_definition")
}

func credentialsOf(t *testing.T, vp any) []any {
	t.Helper()
	list, ok := at(vp, "verifiableCredential").([]any)
	if !ok {
		t.Fatal("no verifiableCredential array")
	}
	return list
}

// The pairs the vectors' README adopts from upstream (section 5, the table
// under sphereon-pex): the wallet's selection gives the stated match, and
// what it builds passes the verifier's evaluation.
func TestSphereonPairs(t *testing.T) {
	const ageDescriptor = "867bfe7a-5b91-46b2-9ba4-70028b8d9cc8"
	cases := []struct {
		name, pd, input string
		holders         []string
		descriptor      string
		vpProof         string // the definition's ldp_vp proof_type, if any
		// undisclosed: claims the wallet must not disclose (limit_disclosure).
		undisclosed []string
		disclosed   []string
	}{
		{"age predicate", "pd-simple-schema-age-predicate.json", "vp/vp-simple-age-predicate.json", nil, ageDescriptor, "JcsEd25519Signature2020",
			[]string{"etc"}, []string{"age"}},
		{"multiple constraints with limit_disclosure", "pd-schema-multiple-constraints.json", "vp/vp-multiple-constraints.json", nil, ageDescriptor, "JcsEd25519Signature2020",
			[]string{"birthPlace"}, []string{"age", "details", "country"}},
		{"subject is issuer", "pd-simple-schema-subject-is-issuer.json", "vp/vp-simple-subject-is-issuer.json", nil, ageDescriptor, "JcsEd25519Signature2020", nil, nil},
		{"PermanentResidentCard", "pd-PermanentResidentCard.json", "vc/vc-PermanentResidentCard.json", []string{"did:example:b34ca6cd37bbf23"}, "citizenship_input_1", "Ed25519Signature2018",
			[]string{"birthCountry", "lprNumber", "image"}, []string{"id", "type", "familyName", "givenName"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := mustDefinition(t, sphereonDefinition(t, tc.pd))
			input := decode(t, testshared.Read(t, sphereon, "dif_pe_examples", tc.input))
			var creds []any
			if strings.HasPrefix(tc.input, "vc/") {
				creds = []any{input} // "as a 1-element list"
			} else {
				creds = credentialsOf(t, input)
			}
			sel, err := d.Select(creds, SelectOptions{HolderDIDs: tc.holders})
			if err != nil {
				t.Fatal(err)
			}
			// Expected: descriptor -> $.verifiableCredential[0], format ldp_vc.
			if len(sel.Submission.DescriptorMap) != 1 {
				t.Fatalf("descriptor_map %+v", sel.Submission.DescriptorMap)
			}
			e := sel.Submission.DescriptorMap[0]
			if e.ID != tc.descriptor || e.PathNested == nil || joinPath(e.Path, e.PathNested.Path) != "$.verifiableCredential[0]" || e.PathNested.Format != "ldp_vc" {
				t.Fatalf("entry %+v / %+v", e, e.PathNested)
			}
			if len(sel.Credentials) != 1 || sel.Credentials[0].Index != 0 {
				t.Fatalf("credentials %+v", sel.Credentials)
			}
			presented := creds[0].(map[string]any)
			if tc.undisclosed != nil {
				lim := sel.Credentials[0].Limited
				if lim == nil {
					t.Fatal("limit_disclosure on a BBS+ credential: want a limited credential")
				}
				subj := lim["credentialSubject"].(map[string]any)
				for _, k := range tc.undisclosed {
					if _, ok := subj[k]; ok {
						t.Errorf("%s is disclosed", k)
					}
				}
				for _, k := range tc.disclosed {
					if _, ok := subj[k]; !ok {
						t.Errorf("%s is not disclosed", k)
					}
				}
				presented = lim
			}
			// The verifier's side, on what the wallet presents.
			holder := "did:example:holder"
			if tc.holders != nil {
				holder = tc.holders[0]
			}
			if _, hasProof := presented["proof"]; !hasProof {
				// Upstream's credential has no proof: selectable, but a
				// verifier wants an ldp_vc with one.
				_, err := d.Evaluate(sel.Submission, presentationSigned(tc.vpProof, holder, presented))
				wantCode(t, err, CodeFormatMismatch, "it has no proof")
				presented = clone(presented)
				presented["proof"] = map[string]any{"type": "Ed25519Signature2018"}
			}
			vp := presentationSigned(tc.vpProof, holder, presented)
			if _, err := d.Evaluate(sel.Submission, vp); err != nil {
				t.Fatalf("evaluate the selection: %v", err)
			}
			if tc.undisclosed != nil {
				// The whole credential discloses more than the fields ask for.
				_, err := d.Evaluate(sel.Submission, presentationSigned(tc.vpProof, holder, creds[0].(map[string]any)))
				wantCode(t, err, CodeLimitDisclosure, "credentialSubject."+tc.undisclosed[0], "which no field asks for")
			}
		})
	}
}

// presentation wraps credentials in a VP held (and, for the structure,
// signed) by holder. Proofs are placeholders: pex checks structure only.
func presentation(holder string, creds ...map[string]any) map[string]any {
	return presentationSigned("JcsEd25519Signature2020", holder, creds...)
}

func presentationSigned(proofType, holder string, creds ...map[string]any) map[string]any {
	list := make([]any, len(creds))
	for i, c := range creds {
		list[i] = c
	}
	return map[string]any{
		"@context":             []any{"https://www.w3.org/2018/credentials/v1"},
		"type":                 []any{"VerifiablePresentation"},
		"holder":               holder,
		"verifiableCredential": list,
		"proof":                map[string]any{"type": proofType, "verificationMethod": holder + "#key-1", "proofPurpose": "authentication"},
	}
}

// The negatives of those pairs.
func TestSphereonPairsNegative(t *testing.T) {
	t.Run("PermanentResidentCard with another schema uri", func(t *testing.T) {
		// Upstream: the descriptor's schema uri changed to
		// https://www.example.com/schema gives no match (UriEvaluation).
		raw := edit(t, sphereonDefinition(t, "pd-PermanentResidentCard.json"), func(v any) any {
			at(v, "input_descriptors", 0).(map[string]any)["schema"] = []any{map[string]any{"uri": "https://www.example.com/schema"}}
			return v
		})
		d := mustDefinition(t, raw)
		vc := decode(t, testshared.Read(t, sphereon, "dif_pe_examples", "vc", "vc-PermanentResidentCard.json"))
		_, err := d.Select([]any{vc}, SelectOptions{HolderDIDs: []string{"did:example:b34ca6cd37bbf23"}})
		wantCode(t, err, CodeNoMatch, `input descriptor "citizenship_input_1"`, "credentials[0]: input descriptor \"citizenship_input_1\", schema: the credential at credentials[0]: the credential's @context, type and credentialSchema name none of the schema URIs (https://www.example.com/schema)")
		// And the verifier refuses the same credential under the changed uri.
		sub := &Submission{ID: "s", DefinitionID: d.ID(), DescriptorMap: []Descriptor{{ID: "citizenship_input_1", Format: "ldp_vc", Path: "$.verifiableCredential[0]"}}}
		_, err = d.Evaluate(sub, presentationSigned("Ed25519Signature2018", "did:example:b34ca6cd37bbf23", vc.(map[string]any)))
		wantCode(t, err, CodeSchemaMismatch, "https://www.example.com/schema")
	})
	t.Run("PermanentResidentCard held by someone else", func(t *testing.T) {
		d := mustDefinition(t, sphereonDefinition(t, "pd-PermanentResidentCard.json"))
		vc := decode(t, testshared.Read(t, sphereon, "dif_pe_examples", "vc", "vc-PermanentResidentCard.json"))
		_, err := d.Select([]any{vc}, SelectOptions{HolderDIDs: []string{"did:example:someone-else"}})
		wantCode(t, err, CodeNoMatch, `constraints.is_holder[0]`, `the credential's subject "did:example:b34ca6cd37bbf23" is not the holder "did:example:someone-else"`)
	})
	t.Run("subject is not the issuer", func(t *testing.T) {
		d := mustDefinition(t, sphereonDefinition(t, "pd-simple-schema-subject-is-issuer.json"))
		vp := decode(t, edit(t, testshared.Read(t, sphereon, "dif_pe_examples", "vp", "vp-simple-subject-is-issuer.json"), func(v any) any {
			at(v, "verifiableCredential", 0).(map[string]any)["issuer"] = "did:example:other"
			return v
		}))
		_, err := d.Select(credentialsOf(t, vp), SelectOptions{})
		wantCode(t, err, CodeNoMatch, "the credential is not self-issued")
	})
	t.Run("age below the predicate", func(t *testing.T) {
		d := mustDefinition(t, sphereonDefinition(t, "pd-simple-schema-age-predicate.json"))
		vp := decode(t, edit(t, testshared.Read(t, sphereon, "dif_pe_examples", "vp", "vp-simple-age-predicate.json"), func(v any) any {
			at(v, "verifiableCredential", 0, "credentialSubject").(map[string]any)["age"] = 17
			return v
		}))
		_, err := d.Select(credentialsOf(t, vp), SelectOptions{})
		wantCode(t, err, CodeNoMatch, "Must be greater than or equal to 18")
	})
}

// isHolderEvaluationResults.json is upstream's expected output of its
// is_holder evaluation of pd_require_is_holder.json against
// vp_subject_is_holder.json: per input descriptor, "info" (required and
// met), "warn" (preferred, met) or "error" (not met, or a field_id that
// names no field). The definition as a whole is not valid here (two input
// descriptors share an id), so each descriptor is taken alone.
func TestIsHolderEvaluationResults(t *testing.T) {
	pdRaw := unwrap(t, testshared.Read(t, sphereon, "resources", "pd_require_is_holder.json"), "presentation_definition")
	if _, err := ParseDefinition(pdRaw); err == nil || !strings.Contains(err.Error(), `id "banking_input_2" is already used`) {
		t.Fatalf("whole definition: %v", err)
	}
	vp := decode(t, testshared.Read(t, sphereon, "dif_pe_examples", "vp", "vp_subject_is_holder.json"))
	holder := presentationHolder(vp.(map[string]any))
	if holder != "did:example:ebfeb1f712ebc6f1c276e12ec21" {
		t.Fatalf("holder %q", holder)
	}
	var results []struct {
		InputDescriptorPath string `json:"input_descriptor_path"`
		CredentialPath      string `json:"verifiable_credential_path"`
		Status              string `json:"status"`
	}
	if err := json.Unmarshal(testshared.Read(t, sphereon, "resources", "isHolderEvaluationResults.json"), &results); err != nil {
		t.Fatal(err)
	}
	if len(results) != 4 {
		t.Fatalf("%d results", len(results))
	}
	descriptors := decode(t, pdRaw).(map[string]any)["input_descriptors"].([]any)
	creds := credentialsOf(t, vp)
	for _, r := range results {
		t.Run(r.InputDescriptorPath, func(t *testing.T) {
			idx, _ := lookupSimple(strings.Replace(r.InputDescriptorPath, "$.input_descriptors", "$", 1), descriptorIndexes(len(descriptors)))
			raw, _ := json.Marshal(map[string]any{"id": "is-holder", "input_descriptors": []any{descriptors[idx.(int)]}})
			d, err := ParseDefinition(raw)
			if r.CredentialPath == "" {
				// "The field id missing": field_id "test" names no field.
				if r.Status != "error" || err == nil || !strings.Contains(err.Error(), `field_id "test" names no field`) {
					t.Fatalf("status %s, parse error %v", r.Status, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			cred, ok := lookupSimple(r.CredentialPath, any(creds))
			if !ok {
				t.Fatalf("no credential at %s", r.CredentialPath)
			}
			desc := &d.descriptors[0]
			if len(desc.isHolder) != 1 {
				t.Fatalf("%d is_holder directives", len(desc.isHolder))
			}
			h := &desc.isHolder[0]
			var submitted []FieldValue // the directive's fields, submitted
			for _, f := range h.fields {
				submitted = append(submitted, FieldValue{index: f})
			}
			reason := h.check(cred.(map[string]any), submitted, []string{holder})
			switch r.Status {
			case "info":
				if !h.required || reason != "" {
					t.Fatalf("required %v, reason %q", h.required, reason)
				}
			case "warn":
				if h.required || reason != "" {
					t.Fatalf("required %v, reason %q", h.required, reason)
				}
			case "error":
				if reason == "" {
					t.Fatal("met")
				}
			default:
				t.Fatalf("status %s", r.Status)
			}
		})
	}
}

func descriptorIndexes(n int) any {
	out := make([]any, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// sample-implementation/presentation_definition.json is not a valid
// definition (no id, the pre-v1 schema object); even read leniently its
// descriptors match nothing in vc-ld.json.
func TestDIFSampleImplementation(t *testing.T) {
	dir := testshared.Path(t, "vectors", "pex", "dif-spec", "sample-implementation")
	raw := testshared.ReadFile(t, filepath.Join(dir, "presentation_definition.json"))
	if _, err := ParseDefinition(raw); err == nil || !strings.Contains(err.Error(), "id is required") {
		t.Fatalf("error %v", err)
	}
	withID := edit(t, raw, func(v any) any { v.(map[string]any)["id"] = "sample"; return v })
	if _, err := ParseDefinition(withID); err == nil || !strings.Contains(err.Error(), "v1.0.0 schema") {
		t.Fatalf("with an id: %v", err)
	}
	// Leniently: the same fields in a v2 definition (the filter "type":
	// "date" is not JSON Schema; a date is a string).
	lenient := mustDefinition(t, []byte(`{"id":"sample","input_descriptors":[
		{"id":"banking_input","constraints":{"fields":[{"path":["$.issuer","$.vc.issuer","$.iss"],"filter":{"type":"string","pattern":"did:example:123|did:example:456"}}]}},
		{"id":"citizenship_input","constraints":{"fields":[{"path":["$.credentialSubject.birth_date","$.vc.credentialSubject.birth_date","$.birth_date"],"filter":{"type":"string"}}]}}]}`))
	vc := decode(t, testshared.ReadFile(t, filepath.Join(dir, "vc-ld.json")))
	_, err := lenient.Select([]any{vc}, SelectOptions{})
	wantCode(t, err, CodeNoMatch, `input descriptor "banking_input"`, "Invalid type. Expected: string, given: object")
	if _, reason := lenient.descriptors[1].candidate(0, vc, &SelectOptions{}); !strings.Contains(reason, "none of its paths") {
		t.Errorf("citizenship_input: %q", reason)
	}
}

// Regression observations: of the sphereon-pex-4.1.0 rows that pair a
// definition with the generic vp_general.json, those where @sphereon/pex
// found nothing find nothing here either (where the definition loads).
func TestSphereonObservedNoMatch(t *testing.T) {
	var rows []struct {
		PD            string            `json:"pd"`
		Input         string            `json:"input"`
		DescriptorMap []json.RawMessage `json:"descriptor_map"`
	}
	base := testshared.Path(t, "vectors", "pex")
	if err := json.Unmarshal(testshared.ReadFile(t, filepath.Join(base, "sphereon-pex-4.1.0-observed-results.json")), &rows); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, r := range rows {
		if !strings.HasSuffix(r.Input, "vp_general.json") || len(r.DescriptorMap) > 0 {
			continue
		}
		d, err := ParseDefinition(unwrap(t, testshared.ReadFile(t, filepath.Join(base, r.PD)), "presentation_definition"))
		if err != nil {
			continue // refused at load (see TestParseDefinitionSphereonVectors)
		}
		vp := decode(t, testshared.ReadFile(t, filepath.Join(base, r.Input)))
		if sel, err := d.Select(credentialsOf(t, vp), SelectOptions{}); err == nil {
			t.Errorf("%s: selected %+v", r.PD, sel.Credentials)
		}
		checked++
	}
	if checked < 5 {
		t.Fatalf("checked %d rows", checked)
	}
}

func clone(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
