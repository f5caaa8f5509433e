package dcql_test

import (
	"testing"

	"github.com/loginwithiota/verifier/dcql"
)

// FuzzDCQL parses hostile queries and evaluates hostile vp_tokens (read
// as dcql 3.0.0-shaped credentials) against them: never a panic, every
// failure an *dcql.Error.
func FuzzDCQL(f *testing.F) {
	f.Add([]byte(pidQuery), []byte(`{"pid":[{"credential_format":"dc+sd-jwt","vct":"urn:pid","claims":{"age_over_18":true}}]}`))
	f.Add([]byte(`{"credentials":[{"id":"a","format":"mso_mdoc","meta":{"doctype_value":"d"},"claims":[{"path":["n","e"],"values":[1,"x",true]}]}]}`),
		[]byte(`{"a":[{"credential_format":"mso_mdoc","doctype":"d","namespaces":{"n":{"e":1}}}]}`))
	f.Add([]byte(`{"credentials":[{"id":"a","format":"dc+sd-jwt","meta":{"vct_values":["v"]},"claims":[{"path":["x",null,0,"y"]}]}]}`),
		[]byte(`{"a":[{"credential_format":"dc+sd-jwt","vct":"v","claims":{"x":[[{"y":1}]]}}]}`))
	f.Fuzz(func(t *testing.T, query, token []byte) {
		q, err := dcql.Parse(query)
		if err != nil {
			if dcql.Code(err) == "" {
				t.Fatalf("not a *dcql.Error: %v", err)
			}
			return
		}
		raw, _, err := dcql.DecodeVPToken(token, 8)
		if err != nil {
			if dcql.Code(err) == "" {
				t.Fatalf("not a *dcql.Error: %v", err)
			}
			return
		}
		vp := map[string][]dcql.Credential{}
		for id, items := range raw {
			for _, it := range items {
				m, _ := it.(map[string]any)
				c := dcql.Credential{HolderBound: true}
				c.Format, _ = m["credential_format"].(string)
				c.VCT, _ = m["vct"].(string)
				c.Doctype, _ = m["doctype"].(string)
				c.Claims, _ = m["claims"].(map[string]any)
				if ns, ok := m["namespaces"].(map[string]any); ok {
					c.Claims = ns
				}
				vp[id] = append(vp[id], c)
			}
		}
		res, err := q.Evaluate(vp, dcql.Options{StrictDisclosure: true})
		if err != nil {
			if dcql.Code(err) == "" {
				t.Fatalf("not a *dcql.Error: %v", err)
			}
			return
		}
		for _, m := range res.Matches {
			_ = dcql.SelectClaims(vp[m.QueryID][m.Index].Claims, q.ByID(m.QueryID), m.ClaimSet)
		}
	})
}
