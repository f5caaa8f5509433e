package config

import (
	"os"
	"strings"
	"testing"
	"time"
)

const minimal = `presentation_definitions:
  - id: verifiable-id
    input_descriptors:
      - id: verifiable-id-credential
        format: {ldp_vc: {proof_type: [JcsEd25519Signature2020]}}
        constraints:
          fields:
            - path: ["$.type"]
              filter: {type: string, pattern: VerifiableId}
`

// TestMinimal: a config that holds only presentation_definitions starts with defaults.
func TestMinimal(t *testing.T) {
	c, err := Parse([]byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:8080" || c.Session.Lifetime.Std() != 5*time.Minute || c.HTTP.MaxBodyBytes != 256<<10 ||
		c.OID4VP.CrossDeviceResponseMode != "post" || c.OID4VP.SameDeviceResponseMode != "form_post" || c.Redis.KeyPrefix != "liota:" {
		t.Fatalf("defaults: %+v", c)
	}
	if len(c.Definitions) != 1 || c.Definitions[0].PEX.ID() != "verifiable-id" {
		t.Fatalf("definitions: %+v", c.Definitions)
	}
}

// TestShipped: the repository's config.yaml loads and defines verifiable-id
// after the profile's example.
func TestShipped(t *testing.T) {
	c, err := Load("../config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, d := range c.Definitions {
		if d.PEX.ID() == "verifiable-id" {
			found = true
			js := string(d.PEX.JSON())
			for _, want := range []string{"JcsEd25519Signature2020", `"$.type"`, "VerifiableId"} {
				if !strings.Contains(js, want) {
					t.Errorf("verifiable-id lacks %s: %s", want, js)
				}
			}
		}
	}
	if !found {
		t.Fatal("no verifiable-id definition")
	}
}

func TestTrustedIssuersStayOurs(t *testing.T) {
	c, err := Parse([]byte(strings.Replace(minimal, "  - id: verifiable-id\n", "  - id: verifiable-id\n    trusted_issuers: [\"did:key:z6MkExample\"]\n", 1)))
	if err != nil {
		t.Fatal(err)
	}
	d := c.Definitions[0]
	if len(d.TrustedIssuers) != 1 || strings.Contains(string(d.PEX.JSON()), "trusted_issuers") {
		t.Fatalf("trusted_issuers leaked into the definition wallets see: %s", d.PEX.JSON())
	}
}

func TestErrors(t *testing.T) {
	cases := []struct{ name, yaml, want string }{
		{"unknown key", "listne: x\n" + minimal, "listne"},
		{"no definitions", "listen: 127.0.0.1:1\n", "presentation_definitions"},
		{"bad duration", "session: {lifetime: soon}\n" + minimal, "soon"},
		{"short lifetime", "session: {lifetime: 10ms}\n" + minimal, "session.lifetime"},
		{"bad mode", "oid4vp: {cross_device_response_mode: fragment}\n" + minimal, "cross_device_response_mode"},
		{"bad public url", "public_url: ftp://x\n" + minimal, "public_url"},
		{"bad redis url", "redis: {url: \"http://x\"}\n" + minimal, "redis.url"},
		{"bad log level", "log: {level: loud}\n" + minimal, "log.level"},
		{"duplicate id", minimal + strings.TrimPrefix(minimal, "presentation_definitions:\n"), "duplicate"},
		{"bad trusted issuers", strings.Replace(minimal, "  - id: verifiable-id\n", "  - id: verifiable-id\n    trusted_issuers: [42]\n", 1), "trusted_issuers"},
		{"broken definition", "presentation_definitions:\n  - id: broken\n    input_descriptors: []\n", `"broken"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want mention of %q", err, tc.want)
			}
		})
	}
}

func TestLoadNamesTheFile(t *testing.T) {
	p := t.TempDir() + "/bad.yaml"
	if err := os.WriteFile(p, []byte("listen: [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(p); err == nil || !strings.Contains(err.Error(), "bad.yaml") {
		t.Fatalf("err %v", err)
	}
}
