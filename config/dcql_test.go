package config

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const dcqlSD = `dcql_queries:
  - id: verifiable-id
    credentials:
      - id: sd
        format: dc+sd-jwt
        meta: {vct_values: [VerifiableId]}
        claims:
          - path: [givenName]
`

// A DCQL query beside a presentation definition of the same id, and one
// of its own with its policy keys.
func TestDCQLQueries(t *testing.T) {
	c, err := Parse([]byte(minimal + dcqlSD + `  - id: pid
    trusted_issuers: [https://issuer.example.org/]
    protocol: "1.0"
    credentials:
      - {id: p, format: dc+sd-jwt, meta: {vct_values: [urn:eudi:pid:1]}, claims: [{path: [age_over_18], values: [true]}]}
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Definitions) != 2 {
		t.Fatalf("definitions %+v", c.Definitions)
	}
	vid, pid := c.Definitions[0], c.Definitions[1]
	if vid.ID != "verifiable-id" || vid.PEX == nil || vid.DCQL == nil || vid.DCQL.Credentials[0].ID != "sd" {
		t.Fatalf("merged %+v", vid)
	}
	if pid.PEX != nil || pid.DCQL == nil || pid.TrustedIssuers[0] != "https://issuer.example.org/" || pid.Protocols[0] != "1.0" ||
		!strings.Contains(string(pid.DCQLJSON), `"values":[true]`) {
		t.Fatalf("DCQL only %+v", pid)
	}
	if c, err := Parse([]byte(dcqlSD)); err != nil || len(c.Definitions) != 1 {
		t.Fatalf("a file with DCQL queries only: %v", err)
	}
}

// Errors name the file, the line and the member.
func TestDCQLErrors(t *testing.T) {
	cases := []struct{ name, yaml, want string }{
		{"member", minimal + strings.Replace(dcqlSD, "meta: {vct_values: [VerifiableId]}", "meta: {vct_values: []}", 1),
			"cfg.yaml:15: dcql_queries[0].credentials[0].meta.vct_values: "},
		{"claims path", minimal + strings.Replace(dcqlSD, "path: [givenName]", "path: []", 1),
			"cfg.yaml:17: dcql_queries[0].credentials[0].claims[0].path: "},
		{"format", minimal + strings.Replace(strings.Replace(dcqlSD, "format: dc+sd-jwt\n        meta: {vct_values: [VerifiableId]}", "format: mso_mdoc\n        meta: {doctype_value: org.iso.18013.5.1.mDL}", 1), "path: [givenName]", "path: [org.iso.18013.5.1, given_name]", 1),
			`cfg.yaml:14: dcql_queries[0].credentials[0].format: "mso_mdoc" is not verified by this build`},
		{"no id", minimal + strings.Replace(dcqlSD, "  - id: verifiable-id\n", "  - name: x\n", 1), "cfg.yaml:11: dcql_queries[0].id: "},
		{"policy on the merged item", minimal + strings.Replace(dcqlSD, "  - id: verifiable-id\n", "  - id: verifiable-id\n    trusted_issuers: [did:key:x]\n", 1),
			"cfg.yaml:12: dcql_queries[0].trusted_issuers: set it on the presentation definition"},
		{"derive what cannot be said", strings.Replace(minimal, "  - id: verifiable-id\n", "  - id: verifiable-id\n    dcql: derive\n", 1) +
			"            - path: [\"$.credentialSubject.age\"]\n              filter: {type: number, minimum: 18}\n",
			"cfg.yaml:12: presentation_definitions[0].input_descriptors[0].constraints.fields[1].filter: dcql: derive: filter keyword \"minimum\" cannot be said in DCQL"},
		{"dcql other than derive", strings.Replace(minimal, "  - id: verifiable-id\n", "  - id: verifiable-id\n    dcql: yes\n", 1),
			"cfg.yaml:3: presentation_definitions[0].dcql: want derive"},
		{"client_id_prefix", "oid4vp:\n  client_id_prefix: openid_federation\n" + minimal, `cfg.yaml:2: oid4vp.client_id_prefix: client identifier prefix "openid_federation" is not supported`},
		{"x509 without chain", "oid4vp:\n  client_id_prefix: x509_hash\n" + minimal, "cfg.yaml:2: oid4vp.client_id_prefix: x509_hash needs signing.certificate_chain_file"},
		{"enc", "oid4vp:\n  encrypted_response_enc: [A192GCM]\n" + minimal, `cfg.yaml:2: oid4vp.encrypted_response_enc[0]: want A128GCM or A256GCM`},
		{"kb window", "sd_jwt:\n  kb_max_age: 2h\n" + minimal, "cfg.yaml:2: sd_jwt.kb_max_age: want between 1s and 1h"},
	}
	dir := t.TempDir()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, "cfg.yaml")
			if err := os.WriteFile(p, []byte(tc.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Load(p)
			if err == nil {
				t.Fatal("no error")
			}
			got := strings.TrimPrefix(err.Error(), dir+"/")
			if !strings.HasPrefix(got, tc.want) {
				t.Errorf("got  %s\nwant %s…", got, tc.want)
			}
		})
	}
}

// dcql: derive: the DCQL query that says what a simple presentation
// definition says.
func TestDeriveDCQL(t *testing.T) {
	c, err := Parse([]byte(`presentation_definitions:
  - id: degree
    dcql: derive
    format: {jwt_vc: {alg: [EdDSA]}, jwt_vp: {alg: [EdDSA]}}
    input_descriptors:
      - id: d
        constraints:
          fields:
            - path: ["$.vc.type"]
              filter: {type: string, pattern: "^UniversityDegree$"}
            - path: ["$['vc']['credentialSubject']['degree']"]
              filter: {type: string, const: MSc}
            - path: ["$.credentialSubject.nickname"]
              optional: true
      - id: id-card
        format: {ldp_vc: {proof_type: [Ed25519Signature2020]}, vc+sd-jwt: {}}
        constraints:
          fields:
            - path: ["$.type"]
              filter: {type: array, contains: {const: VerifiableId}}
            - path: ["$.credentialSubject.givenName"]
`))
	if err != nil {
		t.Fatal(err)
	}
	var got any
	_ = json.Unmarshal(c.Definitions[0].DCQLJSON, &got)
	want := `{"credential_sets":[{"options":[["d-jwt"]]},{"options":[["id-card-ldp"],["id-card-sdjwt"]]}],"credentials":[` +
		`{"claims":[{"path":["credentialSubject","degree"],"values":["MSc"]}],"format":"jwt_vc_json","id":"d-jwt","meta":{"type_values":[["UniversityDegree"]]}},` +
		`{"claims":[{"path":["credentialSubject","givenName"]}],"format":"ldp_vc","id":"id-card-ldp","meta":{"type_values":[["VerifiableId"]]}},` +
		`{"claims":[{"path":["givenName"]}],"format":"dc+sd-jwt","id":"id-card-sdjwt","meta":{"vct_values":["VerifiableId"]}}]}`
	if b, _ := json.Marshal(got); string(b) != want {
		t.Fatalf("derived\n%s\nwant\n%s", b, want)
	}
	if !c.Definitions[0].DCQLDerived {
		t.Fatal("not marked derived")
	}
}
