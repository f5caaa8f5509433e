package pex

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// ldCredential is a JSON-LD credential with a placeholder proof of the given
// type ("DataIntegrityProof bbs-2023" sets a cryptosuite too).
func ldCredential(issuer, subject string, claims map[string]any, proofType string) map[string]any {
	subj := map[string]any{}
	if subject != "" {
		subj["id"] = subject
	}
	for k, v := range claims {
		subj[k] = v
	}
	proof := map[string]any{"type": proofType, "proofPurpose": "assertionMethod", "verificationMethod": issuer + "#key-1"}
	if t, suite, ok := strings.Cut(proofType, " "); ok {
		proof["type"], proof["cryptosuite"] = t, suite
	}
	return map[string]any{
		"@context":          []any{"https://www.w3.org/2018/credentials/v1", "https://example.org/contexts/claims/v1"},
		"type":              []any{"VerifiableCredential", "ExampleCredential"},
		"issuer":            issuer,
		"issuanceDate":      "2024-01-01T00:00:00Z",
		"credentialSchema":  map[string]any{"id": "https://example.org/schemas/example.json", "type": "JsonSchema"},
		"credentialSubject": subj,
		"proof":             proof,
	}
}

// entries maps descriptor ids to $.verifiableCredential[i] of one VP.
func entries(defID string, pairs ...any) *Submission {
	s := &Submission{ID: "s", DefinitionID: defID}
	for i := 0; i < len(pairs); i += 2 {
		id, idx := pairs[i].(string), pairs[i+1].(int)
		s.DescriptorMap = append(s.DescriptorMap, Descriptor{ID: id, Format: "ldp_vp", Path: "$",
			PathNested: &Descriptor{ID: id, Format: "ldp_vc", Path: fmt.Sprintf("$.verifiableCredential[%d]", idx)}})
	}
	return s
}

const (
	alice  = "did:example:alice"
	bob    = "did:example:bob"
	issuer = "did:example:issuer"
	jcs    = "JcsEd25519Signature2020"
	bbs    = "BbsBlsSignatureProof2020"
)

func statusIs(s Status) StatusFunc {
	return func(map[string]any, []string) (Status, error) { return s, nil }
}

// TestFeatures: each Feature of the spec's input evaluation, positive and
// negative, through Evaluate.
func TestFeatures(t *testing.T) {
	self := ldCredential(alice, alice, map[string]any{"age": 30}, jcs)
	aliceCred := ldCredential(issuer, alice, map[string]any{"age": 30, "name": "Alice"}, jcs)
	bobCred := ldCredential(issuer, bob, map[string]any{"age": 30, "name": "Bob"}, jcs)
	bbsCred := ldCredential(issuer, alice, map[string]any{"age": 30, "name": "Alice"}, bbs)
	bbsAgeOnly := ldCredential(issuer, alice, map[string]any{"age": 30}, bbs)
	bbsTrue := ldCredential(issuer, alice, map[string]any{"age": true}, bbs)
	bbsFalse := ldCredential(issuer, alice, map[string]any{"age": false}, bbs)
	jcsTrue := ldCredential(issuer, alice, map[string]any{"age": true}, jcs)
	diBBS := ldCredential(issuer, alice, map[string]any{"age": 30, "name": "Alice"}, "DataIntegrityProof bbs-2023")
	diSD := ldCredential(issuer, alice, map[string]any{"age": 30, "name": "Alice"}, "DataIntegrityProof ecdsa-sd-2023")
	diEdDSA := ldCredential(issuer, alice, map[string]any{"age": 30, "name": "Alice"}, "DataIntegrityProof eddsa-rdfc-2022")
	mixedProofs := clone(bbsCred)
	mixedProofs["proof"] = []any{bbsCred["proof"], map[string]any{"type": jcs}}
	noHolderVP := presentation(alice, aliceCred)
	delete(noHolderVP, "holder") // the holder is then the proof's verificationMethod's DID

	one := func(constraints string) string {
		return `{"id":"d","input_descriptors":[{"id":"a","constraints":` + constraints + `}]}`
	}
	ageField := `{"id":"age","path":["$.credentialSubject.age"],"filter":{"type":"integer","minimum":18}}`
	cases := []struct {
		name      string
		def       string
		vp        map[string]any
		sub       *Submission
		status    StatusFunc
		code      string   // "" for success
		fragments []string // of the error's Reason, or of the notes on success
	}{
		// subject_is_issuer
		{"subject_is_issuer required, self-issued", one(`{"subject_is_issuer":"required","fields":[` + ageField + `]}`), presentation(alice, self), entries("d", "a", 0), nil, "", nil},
		{"subject_is_issuer required, issued by another", one(`{"subject_is_issuer":"required","fields":[` + ageField + `]}`), presentation(alice, aliceCred), entries("d", "a", 0), nil, CodeSubjectIsIssuer,
			[]string{`input descriptor "a", constraints.subject_is_issuer`, "not self-issued"}},
		{"subject_is_issuer preferred, issued by another", one(`{"subject_is_issuer":"preferred","fields":[` + ageField + `]}`), presentation(alice, aliceCred), entries("d", "a", 0), nil, "",
			[]string{"subject_is_issuer (preferred) is not met"}},
		// is_holder
		{"is_holder required, subject is holder", one(`{"fields":[` + ageField + `],"is_holder":[{"field_id":["age"],"directive":"required"}]}`), presentation(alice, aliceCred), entries("d", "a", 0), nil, "", nil},
		{"is_holder required, holder from the proof", one(`{"fields":[` + ageField + `],"is_holder":[{"field_id":["age"],"directive":"required"}]}`), noHolderVP, entries("d", "a", 0), nil, "", nil},
		{"is_holder required, someone else's credential", one(`{"fields":[` + ageField + `],"is_holder":[{"field_id":["age"],"directive":"required"}]}`), presentation(alice, bobCred), entries("d", "a", 0), nil, CodeIsHolder,
			[]string{`constraints.is_holder[0]`, `subject "did:example:bob" is not the holder "did:example:alice"`}},
		{"is_holder preferred, someone else's credential", one(`{"fields":[` + ageField + `],"is_holder":[{"field_id":["age"],"directive":"preferred"}]}`), presentation(alice, bobCred), entries("d", "a", 0), nil, "",
			[]string{"is_holder[0] (preferred) is not met"}},
		{"is_holder on an absent optional field", one(`{"fields":[` + ageField + `,{"id":"x","path":["$.credentialSubject.x"],"optional":true}],"is_holder":[{"field_id":["x"],"directive":"required"}]}`), presentation(alice, bobCred), entries("d", "a", 0), nil, "", nil},
		// same_subject, across descriptors
		{"same_subject required, same subject", `{"id":"d","input_descriptors":[{"id":"a","constraints":{"fields":[{"id":"n1","path":["$.credentialSubject.name"]}],"same_subject":[{"field_id":["n1","n2"],"directive":"required"}]}},{"id":"b","constraints":{"fields":[{"id":"n2","path":["$.credentialSubject.age"]}]}}]}`,
			presentation(alice, aliceCred, bbsCred), entries("d", "a", 0, "b", 1), nil, "", nil},
		{"same_subject required, different subjects", `{"id":"d","input_descriptors":[{"id":"a","constraints":{"fields":[{"id":"n1","path":["$.credentialSubject.name"]}],"same_subject":[{"field_id":["n1","n2"],"directive":"required"}]}},{"id":"b","constraints":{"fields":[{"id":"n2","path":["$.credentialSubject.age"]}]}}]}`,
			presentation(alice, aliceCred, bobCred), entries("d", "a", 0, "b", 1), nil, CodeSameSubject,
			[]string{`input descriptor "a", constraints.same_subject[0]`, `input descriptor "b" differs from that of input descriptor "a"`}},
		{"same_subject preferred, different subjects", `{"id":"d","input_descriptors":[{"id":"a","constraints":{"fields":[{"id":"n1","path":["$.credentialSubject.name"]}],"same_subject":[{"field_id":["n1","n2"],"directive":"preferred"}]}},{"id":"b","constraints":{"fields":[{"id":"n2","path":["$.credentialSubject.age"]}]}}]}`,
			presentation(alice, aliceCred, bobCred), entries("d", "a", 0, "b", 1), nil, "", []string{"same_subject[0] (preferred) is not met"}},
		// statuses
		{"active required, no status check", one(`{"statuses":{"active":{"directive":"required"}}}`), presentation(alice, aliceCred), entries("d", "a", 0), nil, CodeStatus,
			[]string{`constraints.statuses`, `statuses.active is "required", but no credential status check is configured`}},
		{"active required, active", one(`{"statuses":{"active":{"directive":"required"}}}`), presentation(alice, aliceCred), entries("d", "a", 0), statusIs(StatusActive), "", nil},
		{"active required, suspended", one(`{"statuses":{"active":{"directive":"required"}}}`), presentation(alice, aliceCred), entries("d", "a", 0), statusIs(StatusSuspended), CodeStatus,
			[]string{`statuses.active is "required", but the credential's status is suspended`}},
		{"revoked disallowed, revoked", one(`{"statuses":{"revoked":{"directive":"disallowed"}}}`), presentation(alice, aliceCred), entries("d", "a", 0), statusIs(StatusRevoked), CodeStatus,
			[]string{`statuses.revoked is "disallowed", and the credential is revoked`}},
		{"revoked disallowed, unknown", one(`{"statuses":{"revoked":{"directive":"disallowed"}}}`), presentation(alice, aliceCred), entries("d", "a", 0), statusIs(StatusUnknown), CodeStatus,
			[]string{"status is unknown"}},
		{"revoked disallowed, active", one(`{"statuses":{"revoked":{"directive":"disallowed"}}}`), presentation(alice, aliceCred), entries("d", "a", 0), statusIs(StatusActive), "", nil},
		{"suspended required, suspended", one(`{"statuses":{"suspended":{"directive":"required"}}}`), presentation(alice, aliceCred), entries("d", "a", 0), statusIs(StatusSuspended), "", nil},
		{"only allowed, no status check", one(`{"statuses":{"active":{"directive":"allowed"},"revoked":{"directive":"allowed"}}}`), presentation(alice, aliceCred), entries("d", "a", 0), nil, "", nil},
		{"status check fails", one(`{"statuses":{"active":{"directive":"required"}}}`), presentation(alice, aliceCred), entries("d", "a", 0),
			func(map[string]any, []string) (Status, error) { return 0, errors.New("status list unreachable") }, CodeStatus, []string{"could not be checked: status list unreachable"}},
		// limit_disclosure
		{"limit_disclosure required, full-document proof", one(`{"limit_disclosure":"required","fields":[` + ageField + `]}`), presentation(alice, aliceCred), entries("d", "a", 0), nil, "",
			[]string{`limit_disclosure is "required", but the credential's proof (JcsEd25519Signature2020) cannot disclose selectively; not enforced`}},
		{"limit_disclosure required, BBS+ discloses more", one(`{"limit_disclosure":"required","fields":[` + ageField + `]}`), presentation(alice, bbsCred), entries("d", "a", 0), nil, CodeLimitDisclosure,
			[]string{"constraints.limit_disclosure", "discloses credentialSubject.name, which no field asks for"}},
		{"limit_disclosure required, BBS+ limited", one(`{"limit_disclosure":"required","fields":[` + ageField + `]}`), presentation(alice, bbsAgeOnly), entries("d", "a", 0), nil, "", nil},
		{"limit_disclosure preferred, BBS+ discloses more", one(`{"limit_disclosure":"preferred","fields":[` + ageField + `]}`), presentation(alice, bbsCred), entries("d", "a", 0), nil, "",
			[]string{`limit_disclosure is "preferred" and the credential discloses credentialSubject.name`}},
		{"limit_disclosure required, bbs-2023", one(`{"limit_disclosure":"required","fields":[` + ageField + `]}`), presentation(alice, diBBS), entries("d", "a", 0), nil, CodeLimitDisclosure, nil},
		{"limit_disclosure required, ecdsa-sd-2023", one(`{"limit_disclosure":"required","fields":[` + ageField + `]}`), presentation(alice, diSD), entries("d", "a", 0), nil, CodeLimitDisclosure, nil},
		{"limit_disclosure required, eddsa-rdfc-2022", one(`{"limit_disclosure":"required","fields":[` + ageField + `]}`), presentation(alice, diEdDSA), entries("d", "a", 0), nil, "", []string{"(DataIntegrityProof eddsa-rdfc-2022) cannot disclose"}},
		{"limit_disclosure required, BBS+ and a full proof", one(`{"limit_disclosure":"required","fields":[` + ageField + `]}`), presentation(alice, mixedProofs), entries("d", "a", 0), nil, "", []string{"not enforced"}},
		{"limit_disclosure required, a wildcard path asks for the subtree", one(`{"limit_disclosure":"required","fields":[{"path":["$.credentialSubject.*"]}]}`), presentation(alice, bbsCred), entries("d", "a", 0), nil, "", nil},
		// predicate
		{"predicate required, derived true", one(`{"fields":[{"path":["$.credentialSubject.age"],"filter":{"type":"integer","minimum":18},"predicate":"required"}]}`), presentation(alice, bbsTrue), entries("d", "a", 0), nil, "", nil},
		{"predicate required, derived false", one(`{"fields":[{"path":["$.credentialSubject.age"],"filter":{"type":"integer","minimum":18},"predicate":"required"}]}`), presentation(alice, bbsFalse), entries("d", "a", 0), nil, CodeFilterFailed,
			[]string{"the predicate (required) result in the credential is false"}},
		{"predicate required, value itself", one(`{"fields":[{"path":["$.credentialSubject.age"],"filter":{"type":"integer","minimum":18},"predicate":"required"}]}`), presentation(alice, aliceCred), entries("d", "a", 0), nil, "", nil},
		{"predicate, true under an issuer's signature", one(`{"fields":[{"path":["$.credentialSubject.age"],"filter":{"type":"integer","minimum":18},"predicate":"preferred"}]}`), presentation(alice, jcsTrue), entries("d", "a", 0), nil, CodeFilterFailed,
			[]string{"Invalid type. Expected: integer, given: boolean"}},
		// v1.0.0 schema
		{"schema uri in @context", `{"id":"d","input_descriptors":[{"id":"a","schema":[{"uri":"https://example.org/contexts/claims/v1"}]}]}`, presentation(alice, aliceCred), entries("d", "a", 0), nil, "", nil},
		{"schema uri is a type", `{"id":"d","input_descriptors":[{"id":"a","schema":[{"uri":"https://other.example/x"},{"uri":"ExampleCredential"}]}]}`, presentation(alice, aliceCred), entries("d", "a", 0), nil, "", nil},
		{"schema uri is the credentialSchema", `{"id":"d","input_descriptors":[{"id":"a","schema":[{"uri":"https://example.org/schemas/example.json"}]}]}`, presentation(alice, aliceCred), entries("d", "a", 0), nil, "", nil},
		{"schema uri matches nothing", `{"id":"d","input_descriptors":[{"id":"a","schema":[{"uri":"https://other.example/x"}]}]}`, presentation(alice, aliceCred), entries("d", "a", 0), nil, CodeSchemaMismatch,
			[]string{`input descriptor "a", schema`, "name none of the schema URIs (https://other.example/x)"}},
		{"required schema uri missing", `{"id":"d","input_descriptors":[{"id":"a","schema":[{"uri":"ExampleCredential"},{"uri":"https://other.example/x","required":true}]}]}`, presentation(alice, aliceCred), entries("d", "a", 0), nil, CodeSchemaMismatch,
			[]string{`schema "https://other.example/x" is required`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := mustDefinition(t, []byte(tc.def))
			res, err := d.EvaluateWith(tc.sub, decode(t, mustJSON(t, tc.vp)), Options{Status: tc.status})
			if tc.code != "" {
				wantCode(t, err, tc.code, tc.fragments...)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var notes []string
			for _, n := range res.Notes {
				notes = append(notes, n.Text)
			}
			all := strings.Join(notes, "\n")
			if len(tc.fragments) == 0 && len(notes) > 0 {
				t.Errorf("unexpected notes: %s", all)
			}
			for _, f := range tc.fragments {
				if !strings.Contains(all, f) {
					t.Errorf("notes %q do not contain %q", all, f)
				}
			}
		})
	}
}

// The status function gets the credential and the directive's types.
func TestStatusFuncInputs(t *testing.T) {
	d := mustDefinition(t, []byte(`{"id":"d","input_descriptors":[{"id":"a","constraints":{"statuses":{"active":{"directive":"required","type":["StatusList2021Entry"]},"revoked":{"directive":"disallowed","type":["RevocationBitmap2022","StatusList2021Entry"]}}}}]}`))
	cred := ldCredential(issuer, alice, nil, jcs)
	var gotTypes []string
	var gotCred map[string]any
	_, err := d.EvaluateWith(entries("d", "a", 0), decode(t, mustJSON(t, presentation(alice, cred))), Options{Status: func(c map[string]any, types []string) (Status, error) {
		gotCred, gotTypes = c, types
		return StatusActive, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(gotTypes, ",") != "StatusList2021Entry,RevocationBitmap2022" || gotCred["issuer"] != issuer {
		t.Fatalf("types %v, credential %v", gotTypes, gotCred["issuer"])
	}
	if StatusRevoked.String() != "revoked" || Status(9).String() != "Status(9)" {
		t.Error("Status.String")
	}
}

// Match.Fields carries what each field found, its id and intent_to_retain.
func TestMatchFields(t *testing.T) {
	d := mustDefinition(t, []byte(`{"id":"d","input_descriptors":[{"id":"a","constraints":{"fields":[
		{"id":"given","path":["$.credentialSubject.givenName","$.credentialSubject.name"],"intent_to_retain":true},
		{"path":["$.credentialSubject.nothing"],"optional":true},
		{"path":["$.credentialSubject.age"],"filter":{"type":"integer"}}]}}]}`))
	cred := ldCredential(issuer, alice, map[string]any{"age": 30, "name": "Alice"}, jcs)
	res, err := d.Evaluate(entries("d", "a", 0), decode(t, mustJSON(t, presentation(alice, cred))))
	if err != nil {
		t.Fatal(err)
	}
	f := res.Matches[0].Fields
	if len(f) != 2 || f[0].ID != "given" || f[0].Path != "$.credentialSubject.name" || f[0].Value != "Alice" || !f[0].IntentToRetain ||
		f[1].ID != "" || f[1].Path != "$.credentialSubject.age" || f[1].Value != 30.0 || f[1].IntentToRetain {
		t.Fatalf("fields %+v", f)
	}
}

// Date comparisons (ajv-formats' formatMinimum & co.) on date and date-time.
func TestDateBounds(t *testing.T) {
	cases := []struct {
		schema, value string
		ok            bool
		fragment      string
	}{
		{`{"type":"string","format":"date","formatMaximum":"2007-01-01"}`, `"1990-04-17"`, true, ""},
		{`{"type":"string","format":"date","formatMaximum":"2007-01-01"}`, `"2007-01-01"`, true, ""},
		{`{"type":"string","format":"date","formatMaximum":"2007-01-01"}`, `"2010-05-05"`, false, "Must be on or before 2007-01-01 (formatMaximum)"},
		{`{"type":"string","format":"date","formatExclusiveMaximum":"2007-01-01"}`, `"2007-01-01"`, false, "Must be before 2007-01-01 (formatExclusiveMaximum)"},
		{`{"type":"string","format":"date","formatMinimum":"2000-01-01"}`, `"1999-12-31"`, false, "Must be on or after 2000-01-01"},
		{`{"type":"string","format":"date","formatExclusiveMinimum":"2000-01-01"}`, `"2000-01-01"`, false, "Must be after 2000-01-01"},
		{`{"type":"string","format":"date","formatExclusiveMinimum":"2000-01-01"}`, `"2000-01-02"`, true, ""},
		{`{"type":"string","format":"date","formatMaximum":"2007-01-01"}`, `"not a date"`, false, "Does not match format 'date'"},
		{`{"type":"string","format":"date-time","formatMinimum":"2020-12-31T23:59:59.000Z"}`, `"2034-01-01T00:00:00Z"`, true, ""},
		{`{"type":"string","format":"date-time","formatMinimum":"2020-12-31T23:59:59.000Z"}`, `"2020-12-31T23:59:58+00:00"`, false, "Must be on or after 2020-12-31T23:59:59.000Z"},
		{`{"type":"string","format":"date-time","formatMinimum":"2020-12-31T23:59:59Z"}`, `"2021-01-01T00:59:58+01:00"`, false, "Must be on or after"},
		// The profile-compatibility rule applies: any element of an array of strings.
		{`{"type":"string","format":"date","formatMaximum":"2007-01-01"}`, `["2010-01-01","1990-01-01"]`, true, ""},
	}
	for _, tc := range cases {
		t.Run(tc.schema+" "+tc.value, func(t *testing.T) {
			got := mustFilter(t, tc.schema).check(decode(t, []byte(tc.value)))
			switch {
			case tc.ok && got != "":
				t.Fatalf("rejected: %s", got)
			case !tc.ok && !strings.Contains(got, tc.fragment):
				t.Fatalf("reason %q, want %q", got, tc.fragment)
			}
		})
	}
}

// Warnings name what is accepted but ignored.
func TestWarnings(t *testing.T) {
	d := mustDefinition(t, []byte(`{"id":"d","frame":{"@context":[]},
		"submission_requirements":[{"rule":"pick","from":"A"},{"rule":"all","count":1,"from":"A"}],
		"input_descriptors":[{"id":"a","group":["A"],"constraints":{"fields":[{"path":["$.credentialSubject.birthDate"],"filter":{"type":"string","format":"date","forrmatMaximum":"1999-05-16"}}]}}]}`))
	got := strings.Join(d.Warnings(), "\n")
	for _, want := range []string{
		"frame is ignored",
		`input descriptor "a", constraints.fields[0].filter: "forrmatMaximum" is not a JSON Schema draft 7 keyword and is ignored`,
		`submission_requirements[0]: rule "pick" without count, min or max is met by any number of inputs`,
		`submission_requirements[1]: count, min and max are ignored with rule "all"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("warnings %q lack %q", got, want)
		}
	}
	if w := mustDefinition(t, benchFile(t, "pd.json")).Warnings(); len(w) != 0 {
		t.Errorf("bench definition warnings: %v", w)
	}
}

func mustJSON(tb testing.TB, v any) []byte {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// Format designations: proof_type and, for Data Integrity, cryptosuite.
func TestFormatDesignations(t *testing.T) {
	rdfc := ldCredential(issuer, alice, nil, "DataIntegrityProof eddsa-rdfc-2022")
	jcs22 := ldCredential(issuer, alice, nil, "DataIntegrityProof eddsa-jcs-2022")
	sub := func(format string) *Submission {
		s := entries("d", "a", 0)
		s.DescriptorMap[0].PathNested.Format = format
		return s
	}
	cases := []struct {
		name, format, declared string
		cred                   map[string]any
		fragment               string // "" for success
	}{
		{"di_vc cryptosuite listed", `{"di_vc":{"proof_type":["DataIntegrityProof"],"cryptosuite":["eddsa-rdfc-2022"]}}`, "di_vc", rdfc, ""},
		{"di_vc cryptosuite not listed", `{"di_vc":{"proof_type":["DataIntegrityProof"],"cryptosuite":["eddsa-rdfc-2022"]}}`, "di_vc", jcs22, `cryptosuite "eddsa-jcs-2022" is not allowed (allowed for di_vc: eddsa-rdfc-2022)`},
		{"declared ldp_vc where di_vc is required", `{"di_vc":{"cryptosuite":["eddsa-rdfc-2022"]}}`, "ldp_vc", rdfc, "format ldp_vc is not allowed by the presentation definition (allowed: di_vc)"},
		{"ldp_vc proof type listed", `{"ldp_vc":{"proof_type":["DataIntegrityProof"]}}`, "ldp_vc", rdfc, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := mustDefinition(t, []byte(`{"id":"d","input_descriptors":[{"id":"a","format":`+tc.format+`,"constraints":{}}]}`))
			_, err := d.Evaluate(sub(tc.declared), decode(t, mustJSON(t, presentation(alice, tc.cred))))
			if tc.fragment == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantCode(t, err, CodeFormatMismatch, tc.fragment)
		})
	}
}
