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
	if c.Listen != "127.0.0.1:8081" || len(c.CredentialConfigurations) != 3 || c.Key.DID != "key" || c.Offers.TxCodeTries != 5 {
		t.Fatalf("%+v", c)
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
		"demo:\n  configurations: [Nope]\n": "demo.configurations[0]:",
		"api:\n  key: short\n":              "api.key:",
	} {
		_, err := Parse([]byte(yamlText))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want %q", yamlText, err, want)
		}
	}
}
