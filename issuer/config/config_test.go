package config

import (
	"strings"
	"testing"
)

func TestEmptyFileIsDefaults(t *testing.T) {
	c, err := Parse(nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:8081" || len(c.CredentialConfigurations) != 4 || c.Key.DID != "key" || c.Offers.TxCodeTries != 5 || c.SDJWT.Iss != "did" {
		t.Fatalf("%+v", c)
	}
	if sd := c.CredentialConfigurations[3]; sd.ID != "VerifiableId_SD_JWT" || sd.Format != "dc+sd-jwt" || sd.VCT != "VerifiableId" {
		t.Fatalf("the SD-JWT VC configuration: %+v", sd)
	}
	if got := c.Demo.Configurations; len(got) != 2 || got[0] != "VerifiableId" || got[1] != "VerifiableId_SD_JWT" {
		t.Fatalf("demo configurations %v", got)
	}
	// Configurations of one's own: the demo offers the first, as before.
	own, err := Parse([]byte("credential_configurations:\n  - {id: a, format: jwt_vc_json, types: [X]}\n"))
	if err != nil || len(own.Demo.Configurations) != 0 {
		t.Fatalf("%v %v", err, own.Demo.Configurations)
	}
}

// TestErrorsNameKeyPaths: strict decoding and validation both say which key.
func TestErrorsNameKeyPaths(t *testing.T) {
	for yamlText, want := range map[string]string{
		"listen: x\nkey:\n  fiel: k.json\n": "key.fiel: unknown key (line 3)",
		"offers:\n  lifetime: 10\n":         "offers.lifetime: want a duration",
		"offers:\n  lifetime: 48h\n":        "offers.lifetime: must be between 1s and 24h",
		"key:\n  type: RSA\n":               "key.type:",
		"credential_configurations:\n  - id: a\n    format: ldp_vc\n    types: [X]\n  - id: b\n    format: mso_mdoc\n    types: [X]\n": "credential_configurations[1].format:",
		"credential_configurations:\n  - id: a\n    format: ldp_vc\n    types: [X]\n    proof_typ: x\n":                                "credential_configurations[0].proof_typ: unknown key (line 5)",
		"credential_configurations:\n  - id: a\n    format: ldp_vc\n    types: [X]\n    claims:\n      - name: id\n":                   "credential_configurations[0].claims[0].name:",
		"demo:\n  configurations: [Nope]\n":                              "demo.configurations[0]:",
		"api:\n  key: short\n":                                           "api.key:",
		"sd_jwt:\n  iss: web\n":                                          "sd_jwt.iss:",
		"credential_configurations:\n  - id: a\n    format: dc+sd-jwt\n": "credential_configurations[0].vct:",
		"credential_configurations:\n  - id: a\n    format: dc+sd-jwt\n    vct: V\n    types: [X]\n":                                "credential_configurations[0].types:",
		"credential_configurations:\n  - id: a\n    format: jwt_vc_json\n    types: [X]\n    vct: V\n":                              "credential_configurations[0].vct:",
		"credential_configurations:\n  - id: a\n    format: dc+sd-jwt\n    vct: V\n    proof_type: eddsa-rdfc-2022\n":               "credential_configurations[0].proof_type:",
		"credential_configurations:\n  - id: a\n    format: dc+sd-jwt\n    vct: V\n    claims:\n      - {name: a, sd: sometimes}\n": "credential_configurations[0].claims[0].sd:",
		"credential_configurations:\n  - id: a\n    format: ldp_vc\n    types: [X]\n    claims:\n      - {name: a, sd: never}\n":    "credential_configurations[0].claims[0].sd:",
	} {
		_, err := Parse([]byte(yamlText))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want %q", yamlText, err, want)
		}
	}
}
