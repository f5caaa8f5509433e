package pex

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
)

func selectedIDs(sel *Selection) []string {
	var ids []string
	for _, e := range sel.Submission.DescriptorMap {
		ids = append(ids, e.ID)
	}
	return ids
}

func selectedIndexes(sel *Selection) []int {
	var idx []int
	for _, c := range sel.Credentials {
		idx = append(idx, c.Index)
	}
	return idx
}

// TestSelectRequirements: the smallest set of descriptors that meets the
// requirements, from what the wallet holds.
func TestSelectRequirements(t *testing.T) {
	all := groupsWallet()
	without := func(kinds ...string) []any {
		var out []any
		for i, k := range groupKinds {
			if !containsString(kinds, k) {
				out = append(out, all[i])
			}
		}
		return out
	}
	cases := []struct {
		name, reqs string
		wallet     []any
		want       []string // descriptor ids chosen, in definition order
		code       string
		fragments  []string
	}{
		{"no requirements: every descriptor", "", all, groupKinds, "", nil},
		{"no requirements, one missing", "", without("c1"), nil, CodeNoMatch,
			[]string{`no credential satisfies input descriptor "c1"`, `credentials[0]: input descriptor "c1", constraints.fields[0]: the value in the credential at credentials[0] does not satisfy the filter`, "and 2 more"}},
		{"pick 1 of two nested: the first that fits", `[{"rule":"pick","count":1,"from_nested":[{"rule":"all","from":"A"},{"rule":"pick","count":2,"from":"B"}]}]`, all, []string{"a1", "a2"}, "", nil},
		{"pick 1 of two nested, A incomplete", `[{"rule":"pick","count":1,"from_nested":[{"rule":"all","from":"A"},{"rule":"pick","count":2,"from":"B"}]}]`, without("a2"), []string{"b1", "b2"}, "", nil},
		{"pick min 2, one missing", `[{"rule":"pick","min":2,"from":"B"}]`, without("b1"), []string{"b2", "b3"}, "", nil},
		{"pick max only: one anyway", `[{"rule":"pick","max":2,"from":"B"}]`, all, []string{"a1"}, "", nil},
		{"two requirements", `[{"rule":"all","from":"A"},{"rule":"pick","count":1,"from":"C"}]`, all, []string{"a1", "a2", "c1"}, "", nil},
		{"all from A, one missing", `[{"rule":"all","from":"A"}]`, without("a2"), nil, CodeRequirementNotMet,
			[]string{`no choice of the wallet's credentials meets the submission requirements: submission_requirements[0]: rule "all" from group "A": 1 of its 2 input descriptors answered; not answered: "a2"`,
				`; input descriptor "a2": credentials[0]`}},
		{"count 2 with max 1 elsewhere", `[{"rule":"pick","count":2,"from":"B"},{"rule":"pick","max":1,"from":"B"}]`, all, nil, CodeRequirementNotMet, []string{"submission_requirements[0]"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := groupsDefinition(t, tc.reqs)
			sel, err := d.Select(tc.wallet, SelectOptions{HolderDIDs: []string{alice}})
			if tc.code != "" {
				wantCode(t, err, tc.code, tc.fragments...)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := selectedIDs(sel); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("chose %v, want %v", got, tc.want)
			}
			if _, err := d.Evaluate(sel.Submission, selectedVP(t, sel, tc.wallet, alice)); err != nil {
				t.Fatalf("evaluate the selection: %v", err)
			}
		})
	}
}

// TestSelect: candidates, the submission's shape, and the features.
func TestSelect(t *testing.T) {
	aliceName := ldCredential(issuer, alice, map[string]any{"name": "Alice", "age": 30, "extra": "x"}, jcs)
	aliceAge := ldCredential(issuer, alice, map[string]any{"age": 30}, jcs)
	bobName := ldCredential(issuer, bob, map[string]any{"name": "Bob"}, jcs)
	aliceBBS := ldCredential(issuer, alice, map[string]any{"name": "Alice", "age": 30, "extra": "x"}, bbs)
	two := func(a, b string) string {
		return `{"id":"d","input_descriptors":[{"id":"a","constraints":` + a + `},{"id":"b","constraints":` + b + `}]}`
	}
	nameC := `{"fields":[{"id":"n","path":["$.credentialSubject.name"]}]}`
	ageC := `{"fields":[{"id":"g","path":["$.credentialSubject.age"],"filter":{"type":"number","minimum":18}}]}`
	cases := []struct {
		name      string
		def       string
		wallet    []any
		opts      SelectOptions
		want      []int    // credentials presented, by input index
		limited   []bool   // per presented credential: cut down
		code      string   // "" for success
		fragments []string // of the error, or of the notes
	}{
		{"one credential answers both", two(nameC, ageC), []any{aliceName}, SelectOptions{}, []int{0}, []bool{false}, "", nil},
		{"first candidate, then reuse", two(nameC, ageC), []any{aliceAge, aliceName}, SelectOptions{}, []int{1}, []bool{false}, "", nil},
		{"not an object", two(nameC, ageC), []any{"eyJ...", aliceName}, SelectOptions{}, []int{1}, []bool{false}, "", nil},
		{"same_subject moves to another candidate",
			`{"id":"d","input_descriptors":[{"id":"a","constraints":{"fields":[{"id":"n","path":["$.credentialSubject.name"]}],"same_subject":[{"field_id":["n","g"],"directive":"required"}]}},{"id":"b","constraints":{"fields":[{"id":"g","path":["$.credentialSubject.age"]}]}}]}`,
			[]any{bobName, aliceAge}, SelectOptions{}, nil, nil, CodeSameSubject, []string{"differs"}},
		{"same_subject satisfied by backtracking",
			`{"id":"d","input_descriptors":[{"id":"a","constraints":{"fields":[{"id":"n","path":["$.credentialSubject.name"]}],"same_subject":[{"field_id":["n","g"],"directive":"required"}]}},{"id":"b","constraints":{"fields":[{"id":"g","path":["$.credentialSubject.age"],"filter":{"type":"number","maximum":40}}]}}]}`,
			[]any{bobName, aliceAge, aliceName}, SelectOptions{}, []int{2}, []bool{false}, "", nil}, // aliceName answers both
		{"is_holder: only the holder's credential", `{"id":"d","input_descriptors":[{"id":"a","constraints":{"fields":[{"id":"n","path":["$.credentialSubject.name"]}],"is_holder":[{"field_id":["n"],"directive":"required"}]}}]}`,
			[]any{bobName, aliceName}, SelectOptions{HolderDIDs: []string{alice}}, []int{1}, []bool{false}, "", nil},
		{"is_holder without holder DIDs", `{"id":"d","input_descriptors":[{"id":"a","constraints":{"fields":[{"id":"n","path":["$.credentialSubject.name"]}],"is_holder":[{"field_id":["n"],"directive":"required"}]}}]}`,
			[]any{aliceName}, SelectOptions{}, nil, nil, CodeNoMatch, []string{"no holder is known"}},
		{"status: a revoked credential is skipped", `{"id":"d","input_descriptors":[{"id":"a","constraints":{"statuses":{"revoked":{"directive":"disallowed"}},"fields":[{"path":["$.credentialSubject.name"]}]}}]}`,
			[]any{bobName, aliceName}, SelectOptions{Status: func(c map[string]any, _ []string) (Status, error) {
				if c["credentialSubject"].(map[string]any)["id"] == bob {
					return StatusRevoked, nil
				}
				return StatusActive, nil
			}}, []int{1}, []bool{false}, "", nil},
		{"limit_disclosure required, full-document proof", `{"id":"d","input_descriptors":[{"id":"a","constraints":{"limit_disclosure":"required","fields":[{"path":["$.credentialSubject.age"]}]}}]}`,
			[]any{aliceName}, SelectOptions{}, nil, nil, CodeNoMatch, []string{`limit_disclosure is "required" and its proof (JcsEd25519Signature2020) cannot disclose selectively`}},
		{"limit_disclosure required, full disclosure allowed", `{"id":"d","input_descriptors":[{"id":"a","constraints":{"limit_disclosure":"required","fields":[{"path":["$.credentialSubject.age"]}]}}]}`,
			[]any{aliceName}, SelectOptions{AllowFullDisclosure: true}, []int{0}, []bool{false}, "", []string{"not enforced"}},
		{"limit_disclosure required, BBS+", `{"id":"d","input_descriptors":[{"id":"a","constraints":{"limit_disclosure":"required","fields":[{"path":["$.credentialSubject.age"]}]}}]}`,
			[]any{aliceName, aliceBBS}, SelectOptions{}, []int{1}, []bool{true}, "", nil},
		{"a limited copy per limiting descriptor", two(`{"limit_disclosure":"required","fields":[{"path":["$.credentialSubject.age"]}]}`, nameC),
			[]any{aliceBBS}, SelectOptions{}, []int{0, 0}, []bool{true, false}, "", nil},
		{"credential format restricted", `{"id":"d","input_descriptors":[{"id":"a","format":{"ldp_vc":{"proof_type":["Ed25519Signature2020"]}},"constraints":{}}]}`,
			[]any{aliceName}, SelectOptions{}, nil, nil, CodeNoMatch, []string{`proof type "JcsEd25519Signature2020" is not allowed (allowed for ldp_vc: Ed25519Signature2020)`}},
		{"presentation format not accepted", `{"id":"d","format":{"di_vp":{"proof_type":["DataIntegrityProof"]}},"input_descriptors":[{"id":"a","constraints":{}}]}`,
			[]any{aliceName}, SelectOptions{}, nil, nil, CodeNoMatch, []string{"the definition does not accept presentation format ldp_vp (allowed: di_vp)"}},
		{"presentation format chosen", `{"id":"d","format":{"di_vp":{"proof_type":["DataIntegrityProof"]}},"input_descriptors":[{"id":"a","constraints":{}}]}`,
			[]any{aliceName}, SelectOptions{PresentationFormat: "di_vp"}, []int{0}, []bool{false}, "", nil},
		{"presentation proof type not accepted", `{"id":"d","format":{"ldp_vp":{"proof_type":["Ed25519Signature2020"]}},"input_descriptors":[{"id":"a","constraints":{}}]}`,
			[]any{aliceName}, SelectOptions{PresentationProofType: jcs}, nil, nil, CodeNoMatch, []string{"does not accept ldp_vp presentations signed with JcsEd25519Signature2020"}},
		{"unsupported presentation format", `{"id":"d","input_descriptors":[{"id":"a","constraints":{}}]}`,
			[]any{aliceName}, SelectOptions{PresentationFormat: "jwt_vp"}, nil, nil, CodeFormatMismatch, []string{`presentation format "jwt_vp" is not a supported`}},
		{"no credentials", `{"id":"d","input_descriptors":[{"id":"a","constraints":{}}]}`, nil, SelectOptions{}, nil, nil, CodeNoMatch, []string{"there are no credentials"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := mustDefinition(t, []byte(tc.def))
			wallet := decode(t, mustJSON(t, tc.wallet))
			creds, _ := wallet.([]any)
			sel, err := d.Select(creds, tc.opts)
			if tc.code != "" {
				wantCode(t, err, tc.code, tc.fragments...)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := selectedIndexes(sel); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("presented %v, want %v", got, tc.want)
			}
			for i, c := range sel.Credentials {
				if (c.Limited != nil) != tc.limited[i] {
					t.Errorf("credential %d limited: %v", i, c.Limited != nil)
				}
			}
			var notes []string
			for _, n := range sel.Notes {
				notes = append(notes, n.Text)
			}
			for _, f := range tc.fragments {
				if !strings.Contains(strings.Join(notes, "\n"), f) {
					t.Errorf("notes %q lack %q", notes, f)
				}
			}
			holder := alice
			vp := selectedVP(t, sel, creds, holder)
			if pf := tc.opts.PresentationFormat; pf == "di_vp" {
				vp.(map[string]any)["proof"].(map[string]any)["type"] = "DataIntegrityProof"
			}
			if _, err := d.EvaluateWith(sel.Submission, vp, Options{Status: tc.opts.Status}); err != nil {
				t.Fatalf("evaluate the selection: %v", err)
			}
		})
	}
}

// The submission Select builds: a fresh UUID, one entry per descriptor,
// "$" then "$.verifiableCredential[i]".
func TestSelectSubmissionShape(t *testing.T) {
	d := mustDefinition(t, benchFile(t, "pd.json"))
	vp := decode(t, benchFile(t, "vp3-jcs.json"))
	creds := credentialsOf(t, vp)
	sel, err := d.Select(creds, SelectOptions{HolderDIDs: []string{"did:example:holder"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []Descriptor{
		{ID: "employee", Format: "ldp_vp", Path: "$", PathNested: &Descriptor{ID: "employee", Format: "ldp_vc", Path: "$.verifiableCredential[0]"}},
		{ID: "degree", Format: "ldp_vp", Path: "$", PathNested: &Descriptor{ID: "degree", Format: "ldp_vc", Path: "$.verifiableCredential[0]"}},
	}
	if !reflect.DeepEqual(sel.Submission.DescriptorMap, want) || sel.Submission.DefinitionID != "employee-login" {
		t.Fatalf("submission %+v", sel.Submission)
	}
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(sel.Submission.ID) {
		t.Errorf("id %q", sel.Submission.ID)
	}
	again, _ := d.Select(creds, SelectOptions{})
	if again.Submission.ID == sel.Submission.ID {
		t.Error("the same submission id twice")
	}
	if len(sel.Credentials) != 1 || !reflect.DeepEqual(sel.Credentials[0].DescriptorIDs, []string{"employee", "degree"}) {
		t.Fatalf("credentials %+v", sel.Credentials)
	}
	// It round-trips through the wire form.
	if _, err := ParseSubmission(mustJSON(t, sel.Submission)); err != nil {
		t.Fatal(err)
	}
}
