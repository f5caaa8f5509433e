package dcql_test

import (
	"encoding/json"
	"testing"

	"github.com/loginwithiota/verifier/dcql"
)

func TestSelectClaims(t *testing.T) {
	var cred map[string]any
	if err := json.Unmarshal([]byte(specCredential), &cred); err != nil {
		t.Fatal(err)
	}
	cq := func(s string) *dcql.CredentialQuery {
		q := mustParse(t, `{"credentials":[{"id":"a","format":"dc+sd-jwt","meta":{"vct_values":["v"]}`+s+`}]}`)
		return &q.Credentials[0]
	}
	for _, tc := range []struct {
		name, query string
		set         int
		want        string
	}{
		{"one member", `,"claims":[{"path":["name"]}]`, -1, `{"name":"Arthur Dent"}`},
		{"nested members merge", `,"claims":[{"path":["address","street_address"]},{"path":["address","locality"]}]`, -1,
			`{"address":{"locality":"Milliways","street_address":"42 Market Street"}}`},
		{"a whole object", `,"claims":[{"path":["address"]}]`, -1, `{"address":{"locality":"Milliways","postal_code":"12345","street_address":"42 Market Street"}}`},
		{"every element's member", `,"claims":[{"path":["degrees",null,"type"]}]`, -1, `{"degrees":[{"type":"Bachelor of Science"},{"type":"Master of Science"}]}`},
		{"an index and null together", `,"claims":[{"path":["degrees",null,"type"]},{"path":["degrees",1,"university"]}]`, -1,
			`{"degrees":[{"type":"Bachelor of Science"},{"type":"Master of Science","university":"University of Betelgeuse"}]}`},
		{"one element", `,"claims":[{"path":["nationalities",1]}]`, -1, `{"nationalities":["Betelgeusian"]}`},
		{"values filter", `,"claims":[{"path":["degrees",null,"type"],"values":["Master of Science"]}]`, -1, `{"degrees":[{"type":"Master of Science"}]}`},
		{"claim set 1 only", `,"claims":[{"id":"n","path":["name"]},{"id":"c","path":["nationalities"]}],"claim_sets":[["n"],["c"]]`, 1,
			`{"nationalities":["British","Betelgeusian"]}`},
		{"missing claims leave nothing", `,"claims":[{"path":["email"]}]`, -1, `{}`},
		{"no claims: all of them", ``, -1, `{"address":{"locality":"Milliways","postal_code":"12345","street_address":"42 Market Street"},` +
			`"degrees":[{"type":"Bachelor of Science","university":"University of Betelgeuse"},{"type":"Master of Science","university":"University of Betelgeuse"}],` +
			`"name":"Arthur Dent","nationalities":["British","Betelgeusian"]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := dcql.SelectClaims(cred, cq(tc.query), tc.set)
			b, _ := json.Marshal(got)
			if string(b) != tc.want {
				t.Fatalf("got  %s\nwant %s", b, tc.want)
			}
		})
	}
	// The result is a copy: changing it leaves the credential alone.
	got := dcql.SelectClaims(cred, cq(`,"claims":[{"path":["address"]}]`), -1)
	got["address"].(map[string]any)["locality"] = "Earth"
	if cred["address"].(map[string]any)["locality"] != "Milliways" {
		t.Fatal("SelectClaims shares the credential's maps")
	}
}
