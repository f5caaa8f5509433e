package main

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/loginwithiota/verifier/testwallet"
)

// pexDefinitions are added to the shipped config the way an operator adds
// definitions: several input descriptors, nested submission_requirements,
// format restrictions, and filters on dates, numbers, enums and patterns.
const pexDefinitions = `
  - id: pex-acceptance
    name: Application
    submission_requirements:
      - name: Identity
        rule: all
        from: A
      - name: Qualification
        rule: pick
        count: 1
        from_nested:
          - rule: pick
            min: 1
            max: 2
            from: B
          - rule: all
            from: C
    input_descriptors:
      - id: id-card
        group: [A]
        format:
          ldp_vc:
            proof_type: [JcsEd25519Signature2020]
        constraints:
          fields:
            - path: ["$.type"]
              filter: {type: string, pattern: "^VerifiableId$"}
            - path: ["$.credentialSubject.birthDate"]
              filter: {type: string, format: date, formatMaximum: "2007-01-01"}
            - path: ["$.credentialSubject.nationality"]
              filter: {type: string, enum: [NL, BE, DE]}
      - id: diploma
        group: [B]
        constraints:
          fields:
            - path: ["$.type"]
              filter: {type: string, const: Diploma}
            - path: ["$.credentialSubject.degree"]
              filter: {type: string, enum: [BSc, MSc, PhD]}
            - path: ["$.credentialSubject.gpa"]
              filter: {type: number, minimum: 7}
      - id: employment
        group: [B]
        constraints:
          fields:
            - path: ["$.type"]
              filter: {type: string, const: Employment}
            - path: ["$.credentialSubject.employer"]
              filter: {type: string, pattern: "^Example "}
            - path: ["$.credentialSubject.since"]
              filter: {type: string, format: date, formatMinimum: "2000-01-01"}
      - id: license
        group: [B]
        constraints:
          fields:
            - path: ["$.type"]
              filter: {type: string, const: DrivingLicense}
            - path: ["$.credentialSubject.category"]
              filter: {type: string, enum: [A, B, C]}
      - id: membership
        group: [C]
        constraints:
          fields:
            - path: ["$.type"]
              filter: {type: string, const: Membership}
            - path: ["$.credentialSubject.number"]
              filter: {type: string, pattern: "^M-[0-9]{6}$"}
            - path: ["$.credentialSubject.level"]
              filter: {type: integer, minimum: 2, maximum: 5}
  - id: pex-formats
    format:
      ldp_vp:
        proof_type: [JcsEd25519Signature2020]
    input_descriptors:
      - id: ed25519-only
        format:
          ldp_vc:
            proof_type: [Ed25519Signature2020]
        constraints:
          fields:
            - path: ["$.type"]
              filter: {type: string, pattern: "^VerifiableId$"}
`

// pexPeople is an issuer, a holder, and one valid credential of each kind
// pex-acceptance asks for.
type pexPeople struct {
	issuer, holder *testwallet.Party
	creds          map[string]map[string]any
}

func newPEXPeople(t *testing.T) pexPeople {
	t.Helper()
	p := pexPeople{issuer: testwallet.NewParty(), holder: testwallet.NewParty(), creds: map[string]map[string]any{}}
	for name, c := range map[string]testwallet.Credential{
		"id-card":    {Types: []string{"VerifiableId"}, Subject: map[string]any{"birthDate": "1990-04-17", "nationality": "NL"}},
		"diploma":    {Types: []string{"Diploma"}, Subject: map[string]any{"degree": "MSc", "gpa": 8.1}},
		"employment": {Types: []string{"Employment"}, Subject: map[string]any{"employer": "Example Logistics B.V.", "since": "2019-09-01"}},
		"license":    {Types: []string{"DrivingLicense"}, Subject: map[string]any{"category": "B"}},
		"membership": {Types: []string{"Membership"}, Subject: map[string]any{"number": "M-123456", "level": 3}},
		"library":    {Types: []string{"LibraryCard"}, Subject: map[string]any{"number": "L-1"}},
	} {
		p.creds[name] = p.issue(t, c)
	}
	return p
}

func (p pexPeople) issue(t *testing.T, c testwallet.Credential) map[string]any {
	t.Helper()
	vc, err := p.issuer.Issue(p.holder.DID, c)
	if err != nil {
		t.Fatal(err)
	}
	return vc
}

// pexOutcome is what the wallet and the website saw.
type pexOutcome struct {
	code   int
	err    oauthError // when code != 200
	status status
}

// pexAnswer answers a fresh session of definition with creds in one VP;
// entries maps each input descriptor id to its credential's index, in
// order; format, when set, replaces the credentials' declared format.
func pexAnswer(t *testing.T, s *site, definition string, holder *testwallet.Party, creds []map[string]any, format string, entries ...any) pexOutcome {
	t.Helper()
	c := s.start(definition, "cross-device")
	r, err := testwallet.ParseRequest(context.Background(), http.DefaultClient, c.AuthorizationRequest)
	if err != nil {
		t.Fatal(err)
	}
	vp, err := holder.Present(creds, r.Nonce, r.ClientID)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	var idx []int
	for i := 0; i < len(entries); i += 2 {
		ids = append(ids, entries[i].(string))
		idx = append(idx, entries[i+1].(int))
	}
	sub := testwallet.Submission(r.DefinitionID(), ids, idx)
	if format != "" {
		for _, e := range sub["descriptor_map"].([]any) {
			e.(map[string]any)["path_nested"].(map[string]any)["format"] = format
		}
	}
	resp, body, err := testwallet.Post(context.Background(), http.DefaultClient, r.ResponseURI, testwallet.Answer{VPToken: vp, Submission: sub, State: r.State})
	if err != nil {
		t.Fatal(err)
	}
	out := pexOutcome{code: resp.StatusCode, status: s.status(c)}
	if resp.StatusCode != http.StatusOK {
		out.err = decodeError(t, body)
	}
	return out
}

// TestPEXThroughTheService: definitions from the config file decide, as the
// spec does, which presentations log in.
func TestPEXThroughTheService(t *testing.T) {
	p := startProgram(t, "memory", pexDefinitions)
	s := newSite(t, p)
	pp := newPEXPeople(t)
	with := func(changes map[string]testwallet.Credential) map[string]map[string]any {
		out := map[string]map[string]any{}
		for k, v := range pp.creds {
			out[k] = v
		}
		for k, c := range changes {
			out[k] = pp.issue(t, c)
		}
		return out
	}
	underage := with(map[string]testwallet.Credential{"id-card": {Types: []string{"VerifiableId"}, Subject: map[string]any{"birthDate": "2010-03-01", "nationality": "NL"}}})
	foreign := with(map[string]testwallet.Credential{"id-card": {Types: []string{"VerifiableId"}, Subject: map[string]any{"birthDate": "1990-04-17", "nationality": "US"}}})
	lowGPA := with(map[string]testwallet.Credential{"diploma": {Types: []string{"Diploma"}, Subject: map[string]any{"degree": "MSc", "gpa": 6.5}}})
	unknownDegree := with(map[string]testwallet.Credential{"diploma": {Types: []string{"Diploma"}, Subject: map[string]any{"degree": "MBA", "gpa": 8}}})
	badNumber := with(map[string]testwallet.Credential{"membership": {Types: []string{"Membership"}, Subject: map[string]any{"number": "X-1", "level": 3}}})
	fractionalLevel := with(map[string]testwallet.Credential{"membership": {Types: []string{"Membership"}, Subject: map[string]any{"number": "M-123456", "level": 2.5}}})
	tooHighLevel := with(map[string]testwallet.Credential{"membership": {Types: []string{"Membership"}, Subject: map[string]any{"number": "M-123456", "level": 6}}})
	earlyJob := with(map[string]testwallet.Credential{"employment": {Types: []string{"Employment"}, Subject: map[string]any{"employer": "Example Logistics B.V.", "since": "1999-12-31"}}})
	otherEmployer := with(map[string]testwallet.Credential{"employment": {Types: []string{"Employment"}, Subject: map[string]any{"employer": "Other B.V.", "since": "2019-09-01"}}})

	type entry = []any
	cases := []struct {
		name       string
		definition string
		creds      map[string]map[string]any
		present    []string // credentials in the VP, in order
		entries    entry    // descriptor id, index into present, ...
		format     string
		want       []string // "" : verified; else fragments of the error description
	}{
		// submission_requirements: all from A, and exactly one of (1–2 of B) and (all of C).
		{"identity and a diploma", "pex-acceptance", pp.creds, []string{"id-card", "diploma"}, entry{"id-card", 0, "diploma", 1}, "", nil},
		{"identity, diploma and job (max 2 of B)", "pex-acceptance", pp.creds, []string{"id-card", "diploma", "employment"}, entry{"id-card", 0, "diploma", 1, "employment", 2}, "", nil},
		{"identity and membership", "pex-acceptance", pp.creds, []string{"id-card", "membership"}, entry{"id-card", 0, "membership", 1}, "", nil},
		{"both branches of a pick 1", "pex-acceptance", pp.creds, []string{"id-card", "diploma", "membership"}, entry{"id-card", 0, "diploma", 1, "membership", 2}, "",
			[]string{`submission_requirements[1] ("Qualification"): rule "pick" with count 1 from_nested: 2 of its 2 requirements met`}},
		{"three of B (max 2)", "pex-acceptance", pp.creds, []string{"id-card", "diploma", "employment", "license"}, entry{"id-card", 0, "diploma", 1, "employment", 2, "license", 3}, "",
			[]string{`from_nested: 0 of its 2 requirements met`, `from_nested[0]: rule "pick" with min 1, max 2 from group "B": 3 of its 3 input descriptors answered`}},
		{"identity alone", "pex-acceptance", pp.creds, []string{"id-card"}, entry{"id-card", 0}, "", []string{`("Qualification")`, "0 of its 2 requirements met"}},
		{"no identity", "pex-acceptance", pp.creds, []string{"diploma"}, entry{"diploma", 0}, "",
			[]string{`submission_requirements[0] ("Identity"): rule "all" from group "A": 0 of its 1 input descriptors answered; not answered: "id-card"`}},
		// filters: dates, numbers, enums, patterns.
		{"under age (date)", "pex-acceptance", underage, []string{"id-card", "diploma"}, entry{"id-card", 0, "diploma", 1}, "",
			[]string{`input descriptor "id-card", constraints.fields[1]`, "$.credentialSubject.birthDate: Must be on or before 2007-01-01 (formatMaximum)"}},
		{"nationality not listed (enum)", "pex-acceptance", foreign, []string{"id-card", "diploma"}, entry{"id-card", 0, "diploma", 1}, "",
			[]string{`input descriptor "id-card", constraints.fields[2]`, "must be one of the following"}},
		{"GPA too low (number)", "pex-acceptance", lowGPA, []string{"id-card", "diploma"}, entry{"id-card", 0, "diploma", 1}, "",
			[]string{`input descriptor "diploma", constraints.fields[2]`, "$.credentialSubject.gpa: Must be greater than or equal to 7"}},
		{"degree not listed (enum)", "pex-acceptance", unknownDegree, []string{"id-card", "diploma"}, entry{"id-card", 0, "diploma", 1}, "",
			[]string{`input descriptor "diploma", constraints.fields[1]`}},
		{"membership number (pattern)", "pex-acceptance", badNumber, []string{"id-card", "membership"}, entry{"id-card", 0, "membership", 1}, "",
			[]string{`input descriptor "membership", constraints.fields[1]`, "Does not match pattern '^M-[0-9]{6}$'"}},
		{"level not an integer", "pex-acceptance", fractionalLevel, []string{"id-card", "membership"}, entry{"id-card", 0, "membership", 1}, "",
			[]string{"constraints.fields[2]", "Invalid type. Expected: integer, given: number"}},
		{"level above maximum", "pex-acceptance", tooHighLevel, []string{"id-card", "membership"}, entry{"id-card", 0, "membership", 1}, "",
			[]string{"constraints.fields[2]", "Must be less than or equal to 5"}},
		{"job too early (date minimum)", "pex-acceptance", earlyJob, []string{"id-card", "employment"}, entry{"id-card", 0, "employment", 1}, "",
			[]string{`input descriptor "employment", constraints.fields[2]`, "Must be on or after 2000-01-01 (formatMinimum)"}},
		{"other employer (pattern)", "pex-acceptance", otherEmployer, []string{"id-card", "employment"}, entry{"id-card", 0, "employment", 1}, "",
			[]string{"Does not match pattern '^Example '"}},
		{"wrong credential for a descriptor", "pex-acceptance", pp.creds, []string{"id-card", "library"}, entry{"id-card", 0, "diploma", 1}, "",
			[]string{`input descriptor "diploma", constraints.fields[0]`, "at $.verifiableCredential[1]"}},
		// formats.
		{"credential proof type not allowed", "pex-formats", pp.creds, []string{"id-card"}, entry{"ed25519-only", 0}, "",
			[]string{`input descriptor "ed25519-only"`, `proof type "JcsEd25519Signature2020" is not allowed (allowed for ldp_vc: Ed25519Signature2020)`}},
		{"declared format not the allowed one", "pex-acceptance", pp.creds, []string{"id-card", "diploma"}, entry{"id-card", 0, "diploma", 1}, "di_vc",
			[]string{`input descriptor "id-card"`, "format di_vc is not allowed by the presentation definition (allowed: ldp_vc)"}},
		{"unsupported format", "pex-acceptance", pp.creds, []string{"id-card", "diploma"}, entry{"id-card", 0, "diploma", 1}, "vc+sd-jwt",
			[]string{`format "vc+sd-jwt" is not supported`}},
		{"JWT format, but a JSON-LD credential", "pex-acceptance", pp.creds, []string{"id-card", "diploma"}, entry{"id-card", 0, "diploma", 1}, "jwt_vc_json",
			[]string{`the object is not jwt_vc_json: not a JWT`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var creds []map[string]any
			for _, name := range tc.present {
				creds = append(creds, tc.creds[name])
			}
			out := pexAnswer(t, s, tc.definition, pp.holder, creds, tc.format, tc.entries...)
			if len(tc.want) == 0 {
				if out.code != http.StatusOK || out.status.Status != "verified" || out.status.Result == nil || len(out.status.Result.Credentials) != len(creds) {
					t.Fatalf("answer %d %+v, status %+v", out.code, out.err, out.status)
				}
				return
			}
			if out.code != http.StatusBadRequest || out.err.Reason != "presentation_definition_not_satisfied" {
				t.Fatalf("answer %d %+v", out.code, out.err)
			}
			for _, w := range tc.want {
				if !strings.Contains(out.err.Description, w) {
					t.Errorf("description %q lacks %q", out.err.Description, w)
				}
			}
			if st := out.status; st.Status != "failed" || st.Error == nil || st.Error.Description != out.err.Description {
				t.Fatalf("status %+v", st)
			}
		})
	}
}

// TestPEXWalletSelection: the test wallet picks from what it holds with
// pex's selection, honouring the requirements, and logs in — on both stores.
func TestPEXWalletSelection(t *testing.T) {
	for _, store := range stores {
		t.Run(store, func(t *testing.T) {
			p := startProgram(t, store, pexDefinitions)
			s := newSite(t, p)
			pp := newPEXPeople(t)
			c := pp.creds
			w := &testwallet.Wallet{Holder: pp.holder, Credentials: []map[string]any{c["library"], c["membership"], c["diploma"], c["id-card"], c["employment"]}}
			start := s.start("pex-acceptance", "cross-device")
			resp, body, err := w.Login(context.Background(), start.AuthorizationRequest)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("login: %d %s", resp.StatusCode, body)
			}
			st := s.status(start)
			if st.Status != "verified" || st.Result == nil || len(st.Result.Credentials) != 2 {
				t.Fatalf("status %+v", st)
			}
			// The smallest answer: the id card, and the first qualification
			// that meets "pick 1".
			if !contains(st.Result.Credentials[0].Type, "VerifiableId") || !contains(st.Result.Credentials[1].Type, "Diploma") {
				t.Fatalf("presented %+v", st.Result.Credentials)
			}
			// Without an id card nothing meets "all from A": the wallet says why.
			w.Credentials = []map[string]any{c["diploma"], c["membership"]}
			start = s.start("pex-acceptance", "cross-device")
			_, _, err = w.Login(context.Background(), start.AuthorizationRequest)
			if err == nil || !strings.Contains(err.Error(), `submission_requirements[0] ("Identity")`) {
				t.Fatalf("login without an id card: %v", err)
			}
			if st := s.status(start); st.Status != "pending" {
				t.Fatalf("status %+v", st)
			}
		})
	}
}
