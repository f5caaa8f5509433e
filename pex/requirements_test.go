package pex

import (
	"encoding/json"
	"strings"
	"testing"
)

// groupsDefinition has input descriptors a1, a2 (group A), b1, b2, b3
// (group B), c1 (group C); each asks for a credential whose
// credentialSubject.kind is its own id.
func groupsDefinition(t *testing.T, requirements string) *Definition {
	t.Helper()
	var ds []string
	for _, d := range [][2]string{{"a1", "A"}, {"a2", "A"}, {"b1", "B"}, {"b2", "B"}, {"b3", "B"}, {"c1", "C"}} {
		ds = append(ds, `{"id":"`+d[0]+`","group":["`+d[1]+`"],"constraints":{"fields":[{"path":["$.credentialSubject.kind"],"filter":{"const":"`+d[0]+`"}}]}}`)
	}
	raw := `{"id":"g","input_descriptors":[` + strings.Join(ds, ",") + `]`
	if requirements != "" {
		raw += `,"submission_requirements":` + requirements
	}
	return mustDefinition(t, []byte(raw+`}`))
}

var groupKinds = []string{"a1", "a2", "b1", "b2", "b3", "c1"}

// groupsWallet holds one credential per kind, in groupKinds order.
func groupsWallet() []any {
	creds := make([]any, len(groupKinds))
	for i, k := range groupKinds {
		creds[i] = ldCredential(issuer, alice, map[string]any{"kind": k}, jcs)
	}
	return creds
}

// answer submits the named descriptors, each with its own credential.
func answerGroups(t *testing.T, ids ...string) (*Submission, any) {
	t.Helper()
	var pairs []any
	var creds []map[string]any
	for i, id := range ids {
		pairs = append(pairs, id, i)
		creds = append(creds, ldCredential(issuer, alice, map[string]any{"kind": id}, jcs))
	}
	var vp any
	if err := json.Unmarshal(mustJSON(t, presentation(alice, creds...)), &vp); err != nil {
		t.Fatal(err)
	}
	return entries("g", pairs...), vp
}

// TestSubmissionRequirements: all/pick, count/min/max, from/from_nested,
// nested, several top-level requirements (all must be met).
func TestSubmissionRequirements(t *testing.T) {
	cases := []struct {
		name, reqs string
		answered   []string
		code       string // "" for success
		fragments  []string
	}{
		{"none: all required", "", groupKinds, "", nil},
		{"none: one missing", "", []string{"a1", "a2", "b1", "b2", "b3"}, CodeDescriptorMissing, []string{`input descriptor "c1" has no descriptor_map entry`}},
		{"all from A", `[{"rule":"all","from":"A"}]`, []string{"a1", "a2"}, "", nil},
		{"all from A, and more", `[{"rule":"all","from":"A"}]`, []string{"a1", "a2", "b1"}, "", nil},
		{"all from A, one short", `[{"name":"Transcripts","rule":"all","from":"A"}]`, []string{"a1", "b1"}, CodeRequirementNotMet,
			[]string{`submission_requirements[0] ("Transcripts"): rule "all" from group "A": 1 of its 2 input descriptors answered; not answered: "a2"`}},
		{"pick count 2 from B", `[{"rule":"pick","count":2,"from":"B"}]`, []string{"b1", "b3"}, "", nil},
		{"pick count 2 from B, one", `[{"rule":"pick","count":2,"from":"B"}]`, []string{"b1"}, CodeRequirementNotMet,
			[]string{`rule "pick" with count 2 from group "B": 1 of its 3 input descriptors answered ("b1")`}},
		{"pick count 2 from B, three", `[{"rule":"pick","count":2,"from":"B"}]`, []string{"b1", "b2", "b3"}, CodeRequirementNotMet, []string{"3 of its 3"}},
		{"pick min 2 from B", `[{"rule":"pick","min":2,"from":"B"}]`, []string{"b1", "b2", "b3"}, "", nil},
		{"pick min 2 from B, one", `[{"rule":"pick","min":2,"from":"B"}]`, []string{"b2"}, CodeRequirementNotMet, []string{"with min 2"}},
		{"pick max 1 from B, none", `[{"rule":"pick","max":1,"from":"B"}]`, []string{"a1"}, "", nil},
		{"pick max 1 from B, two", `[{"rule":"pick","max":1,"from":"B"}]`, []string{"b1", "b2"}, CodeRequirementNotMet, []string{"with max 1", "2 of its 3"}},
		{"pick min 1 max 2 from B", `[{"rule":"pick","min":1,"max":2,"from":"B"}]`, []string{"b2"}, "", nil},
		{"pick min 1 max 2 from B, three", `[{"rule":"pick","min":1,"max":2,"from":"B"}]`, []string{"b1", "b2", "b3"}, CodeRequirementNotMet, []string{"with min 1, max 2"}},
		{"pick min 1 max 2 from B, none", `[{"rule":"pick","min":1,"max":2,"from":"B"}]`, []string{"c1"}, CodeRequirementNotMet, []string{"0 of its 3"}},
		{"nested pick 1: A", `[{"rule":"pick","count":1,"from_nested":[{"rule":"all","from":"A"},{"rule":"pick","count":2,"from":"B"}]}]`, []string{"a1", "a2"}, "", nil},
		{"nested pick 1: B", `[{"rule":"pick","count":1,"from_nested":[{"rule":"all","from":"A"},{"rule":"pick","count":2,"from":"B"}]}]`, []string{"b1", "b3"}, "", nil},
		{"nested pick 1: both", `[{"rule":"pick","count":1,"from_nested":[{"rule":"all","from":"A"},{"rule":"pick","count":2,"from":"B"}]}]`, []string{"a1", "a2", "b1", "b2"}, CodeRequirementNotMet,
			[]string{`submission_requirements[0]: rule "pick" with count 1 from_nested: 2 of its 2 requirements met`}},
		{"nested pick 1: neither", `[{"rule":"pick","count":1,"from_nested":[{"rule":"all","from":"A"},{"rule":"pick","count":2,"from":"B"}]}]`, []string{"a1", "b1"}, CodeRequirementNotMet,
			[]string{"0 of its 2 requirements met", `submission_requirements[0].from_nested[0]: rule "all" from group "A"`}},
		{"nested all", `[{"rule":"all","from_nested":[{"rule":"all","from":"A"},{"rule":"pick","min":1,"from":"C"}]}]`, []string{"a1", "a2", "c1"}, "", nil},
		{"nested all, one not met", `[{"rule":"all","from_nested":[{"rule":"all","from":"A"},{"rule":"pick","min":1,"from":"C"}]}]`, []string{"a1", "a2"}, CodeRequirementNotMet,
			[]string{"1 of its 2 requirements met", `from_nested[1]: rule "pick" with min 1 from group "C": 0 of its 1`}},
		{"three levels: left", `[{"rule":"pick","count":1,"from_nested":[{"rule":"all","from_nested":[{"rule":"all","from":"A"},{"rule":"pick","min":1,"from":"C"}]},{"rule":"pick","count":3,"from":"B"}]}]`, []string{"a1", "a2", "c1"}, "", nil},
		{"three levels: right", `[{"rule":"pick","count":1,"from_nested":[{"rule":"all","from_nested":[{"rule":"all","from":"A"},{"rule":"pick","min":1,"from":"C"}]},{"rule":"pick","count":3,"from":"B"}]}]`, []string{"b1", "b2", "b3"}, "", nil},
		{"three levels: incomplete", `[{"rule":"pick","count":1,"from_nested":[{"rule":"all","from_nested":[{"rule":"all","from":"A"},{"rule":"pick","min":1,"from":"C"}]},{"rule":"pick","count":3,"from":"B"}]}]`, []string{"a1", "a2", "b1"}, CodeRequirementNotMet,
			[]string{`from_nested[0].from_nested[1]: rule "pick" with min 1 from group "C"`}},
		{"two top-level requirements", `[{"rule":"all","from":"A"},{"rule":"pick","count":1,"from":"B"}]`, []string{"a1", "a2", "b3"}, "", nil},
		{"two top-level requirements, second not met", `[{"rule":"all","from":"A"},{"rule":"pick","count":1,"from":"B"}]`, []string{"a1", "a2"}, CodeRequirementNotMet, []string{"submission_requirements[1]"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := groupsDefinition(t, tc.reqs)
			sub, vp := answerGroups(t, tc.answered...)
			_, err := d.Evaluate(sub, vp)
			if tc.code == "" {
				if err != nil {
					t.Fatal(err)
				}
			} else {
				wantCode(t, err, tc.code, tc.fragments...)
			}
			// The wallet's side finds an answer whenever one exists, and it
			// passes the same evaluation.
			sel, err := d.Select(groupsWallet(), SelectOptions{HolderDIDs: []string{alice}})
			if err != nil {
				t.Fatalf("select: %v", err)
			}
			if _, err := d.Evaluate(sel.Submission, selectedVP(t, sel, groupsWallet(), alice)); err != nil {
				t.Fatalf("evaluate the selection: %v", err)
			}
		})
	}
	// An entry that does not satisfy its descriptor fails even if the
	// requirements do not need it.
	d := groupsDefinition(t, `[{"rule":"pick","min":1,"from":"B"}]`)
	sub, vp := answerGroups(t, "b1", "b2")
	sub.DescriptorMap[1].PathNested.Path = "$.verifiableCredential[0]" // b1's credential for b2
	_, err := d.Evaluate(sub, vp)
	wantCode(t, err, CodeFilterFailed, `input descriptor "b2"`)
}

// selectedVP makes the presentation a wallet would sign for sel.
func selectedVP(t *testing.T, sel *Selection, creds []any, holder string) any {
	t.Helper()
	var list []map[string]any
	for _, c := range sel.Credentials {
		cred := creds[c.Index].(map[string]any)
		if c.Limited != nil {
			cred = c.Limited
		}
		list = append(list, cred)
	}
	return decode(t, mustJSON(t, presentation(holder, list...)))
}
