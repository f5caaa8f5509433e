package dcql_test

import (
	"testing"

	"github.com/loginwithiota/verifier/dcql"
)

func TestParseSpecExample(t *testing.T) {
	// OpenID4VP 1.0 §6.5 (examples/query_lang/simple.json).
	q, err := dcql.Parse([]byte(`{"credentials":[{"id":"my_credential","format":"dc+sd-jwt",
		"meta":{"vct_values":["https://credentials.example.com/identity_credential"]},
		"claims":[{"path":["family_name"]},{"path":["given_name"]},{"path":["address","street_address"]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	cq := q.Credentials[0]
	if cq.ID != "my_credential" || cq.Multiple || !cq.RequireCryptographicHolderBinding || len(cq.Claims) != 3 ||
		cq.Meta.VCTValues[0] != "https://credentials.example.com/identity_credential" || q.CredentialSets != nil {
		t.Fatalf("%+v", q)
	}
	if p := cq.Claims[2].Path; len(p) != 2 || p[0] != "address" || p[1] != "street_address" {
		t.Fatalf("path %v", p)
	}
	q, err = dcql.Parse([]byte(`{"credentials":[{"id":"a","format":"dc+sd-jwt","meta":{"vct_values":["v"]},"multiple":true,
		"require_cryptographic_holder_binding":false,"claims":[{"path":["a",0,null]}]}],
		"credential_sets":[{"options":[["a"]],"required":false}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if cq := q.Credentials[0]; !cq.Multiple || cq.RequireCryptographicHolderBinding || cq.Claims[0].Path[1] != 0 || cq.Claims[0].Path[2] != nil {
		t.Fatalf("%+v", cq)
	}
	if q.CredentialSets[0].Required {
		t.Fatal("required: false lost")
	}
}

// TestParseMembers checks that errors name the member at fault.
func TestParseMembers(t *testing.T) {
	good := `{"id":"a","format":"dc+sd-jwt","meta":{"vct_values":["v"]}}`
	for _, tc := range []struct{ query, member string }{
		{`[]`, ""},
		{`{"credentials":[` + good + `,{"id":"b","format":"dc+sd-jwt","meta":{"vct_values":["v"]},"claims":[{"path":[]}]}]}`, "credentials[1].claims[0].path"},
		{`{"credentials":[` + good + `,{"id":"b","format":"dc+sd-jwt","meta":{"vct_values":["v"]},"claims":[{"path":["x",-2]}]}]}`, "credentials[1].claims[0].path[1]"},
		{`{"credentials":[` + good + `,` + good + `]}`, "credentials[1].id"},
		{`{"credentials":[{"id":"a","format":"dc+sd-jwt","meta":{"vct_values":[]}}]}`, "credentials[0].meta.vct_values"},
		{`{"credentials":[{"id":"a","format":"jwt_vc_json","meta":{"type_values":[["A"],[1]]}}]}`, "credentials[0].meta.type_values[1][0]"},
		{`{"credentials":[{"id":"a","format":"mso_mdoc","meta":{}}]}`, "credentials[0].meta.doctype_value"},
		{`{"credentials":[{"id":"a","format":"dc+sd-jwt","meta":{"vct_values":["v"]},"claims":[{"id":"x","path":["p"]}],"claim_sets":[["x","y"]]}]}`, "credentials[0].claim_sets[0][1]"},
		{`{"credentials":[` + good + `],"credential_sets":[{"options":[["a"],["b"]]}]}`, "credential_sets[0].options[1][0]"},
		{`{"credentials":[` + good + `],"credential_sets":[{"options":[["a"]],"required":"no"}]}`, "credential_sets[0].required"},
		{`{"credentials":[{"id":"a","format":"dc+sd-jwt","meta":{"vct_values":["v"]},"trusted_authorities":[{"values":["x"]}]}]}`, "credentials[0].trusted_authorities[0].type"},
		{`{"credentials":[{"id":"a","format":"dc+sd-jwt","meta":{"vct_values":["v"]},"claims":[{"path":["p"],"values":[1.25]}]}]}`, "credentials[0].claims[0].values[0]"},
		{`{"credentials":[` + good + `]} {}`, ""},
	} {
		_, err := dcql.Parse([]byte(tc.query))
		e, ok := err.(*dcql.Error)
		if !ok || e.Code != dcql.CodeInvalidQuery || e.Member != tc.member {
			t.Errorf("%s: %v, want member %q", tc.query, err, tc.member)
		}
	}
}
