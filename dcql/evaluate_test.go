package dcql_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/loginwithiota/verifier/dcql"
)

func mustParse(t testing.TB, s string) *dcql.Query {
	t.Helper()
	q, err := dcql.Parse([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func wantCode(t *testing.T, err error, code, member string) {
	t.Helper()
	e, ok := err.(*dcql.Error)
	if !ok || e.Code != code || (member != "" && e.Member != member) {
		t.Fatalf("%v, want %s at %q", err, code, member)
	}
}

const pidQuery = `{"credentials":[
 {"id":"pid","format":"dc+sd-jwt","meta":{"vct_values":["urn:pid"]},
  "claims":[{"id":"gn","path":["given_name"]},{"id":"fn","path":["family_name"]},{"id":"loc","path":["address","locality"]},{"id":"age","path":["age_over_18"],"values":[true]}],
  "claim_sets":[["age"],["gn","fn"]]},
 {"id":"email","format":"jwt_vc_json","meta":{"type_values":[["VerifiableCredential","EmailCredential"]]},"require_cryptographic_holder_binding":false,
  "claims":[{"path":["credentialSubject","email"]}]}],
 "credential_sets":[{"options":[["pid"]]},{"options":[["email"]],"required":false}]}`

func pidCred(claims map[string]any) dcql.Credential {
	return dcql.Credential{Format: "dc+sd-jwt", VCT: "urn:pid", Claims: claims, HolderBound: true}
}

func TestEvaluateFailsClosed(t *testing.T) {
	q := mustParse(t, pidQuery)
	good := pidCred(map[string]any{"vct": "urn:pid", "age_over_18": true})
	email := dcql.Credential{Format: "jwt_vc_json", Types: []string{"VerifiableCredential", "EmailCredential"},
		Claims: map[string]any{"credentialSubject": map[string]any{"email": "x@example.org"}}}
	for _, tc := range []struct {
		name   string
		token  map[string][]dcql.Credential
		code   string
		member string
	}{
		{"unknown id", map[string][]dcql.Credential{"pid": {good}, "ghost": {good}}, dcql.CodeUnknownQuery, "vp_token"},
		{"two without multiple", map[string][]dcql.Credential{"pid": {good, good}}, dcql.CodeMultiple, "vp_token.pid"},
		{"empty array", map[string][]dcql.Credential{"pid": {}}, dcql.CodeMalformedVPToken, "vp_token.pid"},
		{"wrong format", map[string][]dcql.Credential{"pid": {{Format: "jwt_vc_json", Claims: good.Claims, HolderBound: true}}}, dcql.CodeFormat, "vp_token.pid[0]"},
		{"wrong vct", map[string][]dcql.Credential{"pid": {{Format: "dc+sd-jwt", VCT: "urn:other", Claims: good.Claims, HolderBound: true}}}, dcql.CodeMeta, "vp_token.pid[0]"},
		{"not holder bound", map[string][]dcql.Credential{"pid": {{Format: "dc+sd-jwt", VCT: "urn:pid", Claims: good.Claims}}}, dcql.CodeHolderBinding, "vp_token.pid[0]"},
		{"no claim set", map[string][]dcql.Credential{"pid": {pidCred(map[string]any{"given_name": "E"})}}, dcql.CodeClaims, "vp_token.pid[0]"},
		{"value differs", map[string][]dcql.Credential{"pid": {pidCred(map[string]any{"age_over_18": false})}}, dcql.CodeClaims, "vp_token.pid[0]"},
		{"value of another type", map[string][]dcql.Credential{"pid": {pidCred(map[string]any{"age_over_18": "true"})}}, dcql.CodeClaims, "vp_token.pid[0]"},
		{"required set missing", map[string][]dcql.Credential{"email": {email}}, dcql.CodeCredentialSets, "credential_sets[0]"},
		{"email of the wrong type", map[string][]dcql.Credential{"pid": {good}, "email": {{Format: "jwt_vc_json", Types: []string{"VerifiableCredential"}, Claims: email.Claims}}}, dcql.CodeMeta, "vp_token.email[0]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := q.Evaluate(tc.token, dcql.Options{})
			wantCode(t, err, tc.code, tc.member)
		})
	}
	// A good answer: the pid by its first claim set, the optional email
	// without holder binding.
	res, err := q.Evaluate(map[string][]dcql.Credential{"pid": {good}, "email": {email}}, dcql.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := &dcql.Result{Matches: []dcql.Match{{QueryID: "pid", Index: 0, ClaimSet: 0}, {QueryID: "email", Index: 0, ClaimSet: -1}},
		Sets: []dcql.SetResult{{Required: true, Option: 0}, {Required: false, Option: 0}}}
	if !reflect.DeepEqual(res, want) {
		t.Fatalf("%+v", res)
	}
	res, err = q.Evaluate(map[string][]dcql.Credential{"pid": {pidCred(map[string]any{"given_name": "E", "family_name": "M"})}}, dcql.Options{})
	if err != nil || res.Matches[0].ClaimSet != 1 || res.Sets[1].Option != -1 {
		t.Fatalf("%v %+v", err, res)
	}
}

func TestWithoutCredentialSetsAllAreRequired(t *testing.T) {
	q := mustParse(t, `{"credentials":[{"id":"a","format":"dc+sd-jwt","meta":{"vct_values":["v"]}},{"id":"b","format":"dc+sd-jwt","meta":{"vct_values":["v"]}}]}`)
	c := dcql.Credential{Format: "dc+sd-jwt", VCT: "v", HolderBound: true}
	_, err := q.Evaluate(map[string][]dcql.Credential{"a": {c}}, dcql.Options{})
	wantCode(t, err, dcql.CodeMissing, "vp_token")
	if _, err := q.Evaluate(map[string][]dcql.Credential{"a": {c}, "b": {c}}, dcql.Options{}); err != nil {
		t.Fatal(err)
	}
	// aka_vcts are types too.
	q = mustParse(t, `{"credentials":[{"id":"a","format":"dc+sd-jwt","meta":{"vct_values":["urn:eudi:pid"]}}]}`)
	c = dcql.Credential{Format: "dc+sd-jwt", VCT: "urn:eudi:pid:de:1", AKAVCTs: []string{"urn:eudi:pid"}, HolderBound: true}
	if _, err := q.Evaluate(map[string][]dcql.Credential{"a": {c}}, dcql.Options{}); err != nil {
		t.Fatal(err)
	}
}

func TestStrictDisclosure(t *testing.T) {
	q := mustParse(t, `{"credentials":[{"id":"pid","format":"dc+sd-jwt","meta":{"vct_values":["urn:pid"]},
		"claims":[{"path":["address","locality"]},{"path":["nationalities",null]}]}]}`)
	claims := map[string]any{"address": map[string]any{"locality": "Köln"}, "nationalities": []any{"DE"}, "birthdate": "1964"}
	c := pidCred(claims)
	// address as a whole (a flat disclosure), an element, and the array's
	// own recursive disclosure all lead to or lie in what was asked.
	c.Disclosed = [][]any{{"address"}, {"nationalities"}, {"nationalities", 0}}
	strict := dcql.Options{StrictDisclosure: true}
	if _, err := q.Evaluate(map[string][]dcql.Credential{"pid": {c}}, strict); err != nil {
		t.Fatal(err)
	}
	c.Disclosed = append(c.Disclosed, []any{"birthdate"})
	_, err := q.Evaluate(map[string][]dcql.Credential{"pid": {c}}, strict)
	wantCode(t, err, dcql.CodeUndisclosedRequest, "vp_token.pid[0]")
	if _, err := q.Evaluate(map[string][]dcql.Credential{"pid": {c}}, dcql.Options{}); err != nil {
		t.Fatal(err)
	}
	// No claims asked: no selectively disclosed claim is wanted at all.
	q = mustParse(t, `{"credentials":[{"id":"pid","format":"dc+sd-jwt","meta":{"vct_values":["urn:pid"]}}]}`)
	_, err = q.Evaluate(map[string][]dcql.Credential{"pid": {c}}, strict)
	wantCode(t, err, dcql.CodeUndisclosedRequest, "")
}

func TestTrustedAuthorities(t *testing.T) {
	q := mustParse(t, `{"credentials":[{"id":"a","format":"dc+sd-jwt","meta":{"vct_values":["v"]},
		"trusted_authorities":[{"type":"aki","values":["s9tIpPmhxdiuNkHMEWNpYim8S8Y"]}]}]}`)
	c := dcql.Credential{Format: "dc+sd-jwt", VCT: "v", HolderBound: true}
	token := map[string][]dcql.Credential{"a": {c}}
	if _, err := q.Evaluate(token, dcql.Options{}); err != nil {
		t.Fatal("trusted_authorities is a hint unless required:", err)
	}
	_, err := q.Evaluate(token, dcql.Options{RequireTrustedAuthorities: true})
	wantCode(t, err, dcql.CodeTrustedAuthority, "vp_token.a[0]")
	c.Authorities = []dcql.TrustedAuthorityValue{{Type: "aki", Value: "s9tIpPmhxdiuNkHMEWNpYim8S8Y"}}
	if _, err := q.Evaluate(map[string][]dcql.Credential{"a": {c}}, dcql.Options{RequireTrustedAuthorities: true}); err != nil {
		t.Fatal(err)
	}
}

func TestDecodeVPToken(t *testing.T) {
	tok, keys, err := dcql.DecodeVPToken([]byte(` {"b":["eyJ.a.b~"],"a":[{"@context":[]},"x"]}`), 0)
	if err != nil || !reflect.DeepEqual(keys, []string{"a", "b"}) || len(tok["a"]) != 2 {
		t.Fatalf("%v %v %v", tok, keys, err)
	}
	for _, bad := range []string{`[]`, `"eyJ"`, `{"a":"x"}`, `{"a":[]}`, `{"a":[1]}`, `{"a":[null]}`, `{`, ``,
		`{"a":[` + repeat(`[`, 70) + repeat(`]`, 70) + `]}`} {
		_, _, err := dcql.DecodeVPToken([]byte(bad), 0)
		wantCode(t, err, dcql.CodeMalformedVPToken, "vp_token")
	}
	_, _, err = dcql.DecodeVPToken([]byte(`{"a":["1","2"],"b":["3"]}`), 2)
	wantCode(t, err, dcql.CodeTooLarge, "vp_token")
}

func repeat(s string, n int) string {
	out := ""
	for range n {
		out += s
	}
	return out
}

// TestClaimsPathPointerExample is OpenID4VP 1.0 §7.4.
func TestClaimsPathPointerExample(t *testing.T) {
	var cred map[string]any
	if err := json.Unmarshal([]byte(specCredential), &cred); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path dcql.Path
		want string
	}{
		{dcql.Path{"name"}, `["Arthur Dent"]`},
		{dcql.Path{"address"}, `[{"locality":"Milliways","postal_code":"12345","street_address":"42 Market Street"}]`},
		{dcql.Path{"address", "street_address"}, `["42 Market Street"]`},
		{dcql.Path{"degrees", nil, "type"}, `["Bachelor of Science","Master of Science"]`},
		{dcql.Path{"nationalities", 1}, `["Betelgeusian"]`},
	} {
		got, err := tc.path.Select(cred)
		b, _ := json.Marshal(got)
		if err != nil || string(b) != tc.want {
			t.Errorf("%v: %s %v, want %s", tc.path, b, err, tc.want)
		}
	}
	for _, p := range []dcql.Path{{"name", "first"}, {"degrees", "type"}, {"address", nil}, {"nationalities", 2}, {"missing"}, {"degrees", nil, "missing"}, {1.5}} {
		if got, err := p.Select(cred); err == nil {
			t.Errorf("%v selects %v", p, got)
		}
	}
}

const specCredential = `{
  "name": "Arthur Dent",
  "address": {"street_address": "42 Market Street", "locality": "Milliways", "postal_code": "12345"},
  "degrees": [
    {"type": "Bachelor of Science", "university": "University of Betelgeuse"},
    {"type": "Master of Science", "university": "University of Betelgeuse"}
  ],
  "nationalities": ["British", "Betelgeusian"]
}`

func TestFormats(t *testing.T) {
	q := mustParse(t, `{"credentials":[{"id":"a","format":"vc+sd-jwt","meta":{"vct_values":["v"]}},{"id":"b","format":"ac_vc","meta":{"x":1}}],
		"credential_sets":[{"options":[["a"],["b"]]}]}`)
	if _, err := q.Evaluate(map[string][]dcql.Credential{"a": {{Format: "vc+sd-jwt", VCT: "v", HolderBound: true}}}, dcql.Options{}); err != nil {
		t.Fatal(err)
	}
	_, err := q.Evaluate(map[string][]dcql.Credential{"a": {{Format: "vc+sd-jwt", VCT: "w", HolderBound: true}}}, dcql.Options{})
	wantCode(t, err, dcql.CodeMeta, "vp_token.a[0]")
	_, err = q.Evaluate(map[string][]dcql.Credential{"b": {{Format: "ac_vc", HolderBound: true}}}, dcql.Options{})
	wantCode(t, err, dcql.CodeFormat, "vp_token.b[0]")
	if _, err := dcql.Parse([]byte(`{"credentials":[{"id":"a","format":"vc+sd-jwt","meta":{}}]}`)); err == nil {
		t.Fatal("vc+sd-jwt without vct_values")
	}
}
