package config

import (
	"strings"
	"testing"
	"time"
)

// Two secrets in Standard Webhooks' form (24 bytes each), for the tests only.
const (
	testSecretA = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	testSecretB = "whsec_QkFTRTY0c2VjcmV0LWZvci10ZXN0aW5nIQ=="
)

// webhooksBase is a section with one endpoint and one allowed host; the
// tests replace one part of it at a time.
const webhooksBase = `
webhooks:
  endpoints:
    - url: https://backend.example/hooks/login
      secrets: [` + testSecretA + `, ` + testSecretB + `]
      definitions: [a]
  allowed_hosts: [hooks.example.com]
  secrets: [` + testSecretA + `]
`

func TestWebhooksConfig(t *testing.T) {
	tests := []struct {
		name     string
		old, new string // one part of webhooksBase replaced
		yaml     string // else the whole section
		wantErr  string
		check    func(t *testing.T, c *Config)
	}{
		{name: "off by default", yaml: "\n", check: func(t *testing.T, c *Config) {
			w := c.Webhooks
			if w.Enabled() || w.Timeout.Std() != 10*time.Second || w.Retry.Horizon.Std() != 24*time.Hour || w.Retry.InitialInterval.Std() != 10*time.Second ||
				w.Retry.MaxInterval.Std() != time.Hour || w.Lease.Std() != time.Minute || w.Workers != 4 || !w.SessionIncludesResult() || w.LogRetention.Std() != 168*time.Hour {
				t.Errorf("defaults %+v", w)
			}
		}},
		{name: "valid", check: func(t *testing.T, c *Config) {
			w := c.Webhooks
			if !w.Enabled() || len(w.Endpoints) != 1 || !w.Endpoints[0].Includes() || w.Endpoints[0].Definitions[0] != "a" {
				t.Errorf("%+v", w)
			}
		}},
		{name: "without results", old: "      definitions: [a]\n", new: "      definitions: [a]\n      include_result: false\n", check: func(t *testing.T, c *Config) {
			if c.Webhooks.Endpoints[0].Includes() {
				t.Error("include_result: false is ignored")
			}
		}},
		{name: "all definitions", old: "      definitions: [a]\n", new: ""},
		{name: "wildcard and port hosts", old: "[hooks.example.com]", new: "['*.example.org', 'hooks.example.com:8443']"},
		{name: "private allowed", old: "https://backend.example/hooks/login", new: "http://127.0.0.1:9000/hooks",
			yaml: strings.Replace(webhooksBase, "https://backend.example/hooks/login", "http://127.0.0.1:9000/hooks", 1) + "  allow_http: true\n  allow_private_addresses: true\n"},

		{name: "private endpoint", old: "https://backend.example/hooks/login", new: "https://127.0.0.1/hooks", wantErr: "webhooks.endpoints[0].url: the host is not a public address"},
		{name: "metadata endpoint", old: "https://backend.example/hooks/login", new: "https://169.254.169.254/latest", wantErr: "not a public address"},
		{name: "localhost endpoint", old: "https://backend.example/hooks/login", new: "https://localhost:8443/hooks", wantErr: "local"},
		{name: "http endpoint", old: "https://backend.example/hooks/login", new: "http://backend.example/hooks", wantErr: "want an https URL"},
		{name: "credentials in URL", old: "https://backend.example/hooks/login", new: "https://u:p@backend.example/", wantErr: "user or password"},
		{name: "duplicate endpoint", old: "  allowed_hosts:", new: "    - url: https://backend.example/hooks/login\n      secrets: [" + testSecretA + "]\n  allowed_hosts:", wantErr: "configured twice"},
		{name: "no secret", old: "      secrets: [" + testSecretA + ", " + testSecretB + "]\n", new: "", wantErr: "webhooks.endpoints[0].secrets: want one secret"},
		{name: "three secrets", old: testSecretB + "]", new: testSecretB + ", " + testSecretA + "]", wantErr: "want one secret, or two"},
		{name: "bad secret", old: testSecretB + "]\n      definitions", new: "whsec_short]\n      definitions", wantErr: "webhooks.endpoints[0].secrets: [1]: a webhook secret"},
		{name: "unprefixed secret", old: testSecretB + "]\n      definitions", new: "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw]\n      definitions", wantErr: `starts with "whsec_"`},
		{name: "unknown definition", old: "[a]", new: "[b]", wantErr: `webhooks.endpoints[0].definitions[0]: no presentation definition has the id "b"`},
		{name: "private allowed host", old: "[hooks.example.com]", new: "['10.0.0.7']", wantErr: "webhooks.allowed_hosts[0]"},
		{name: "localhost allowed host", old: "[hooks.example.com]", new: "[localhost]", wantErr: "local"},
		{name: "URL as allowed host", old: "[hooks.example.com]", new: "['https://hooks.example.com/x']", wantErr: "want a host"},
		{name: "allowed hosts without secrets", old: "  secrets: [" + testSecretA + "]\n", new: "", wantErr: "webhooks.secrets"},
		{name: "secrets without allowed hosts", old: "  allowed_hosts: [hooks.example.com]\n", new: "", wantErr: "needs webhooks.allowed_hosts"},
		{name: "lease within timeout", yaml: webhooksBase + "  timeout: 30s\n  lease: 30s\n", wantErr: "webhooks.lease"},
		{name: "max below initial", yaml: webhooksBase + "  retry: {initial_interval: 1m, max_interval: 30s}\n", wantErr: "webhooks.retry.max_interval"},
		{name: "short operator key", yaml: webhooksBase + "  operator_key: short\n", wantErr: "webhooks.operator_key"},
		{name: "unknown key", yaml: webhooksBase + "  retries: 3\n", wantErr: "webhooks.retries"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			section := tt.yaml
			if section == "" {
				section = webhooksBase
				if tt.old != "" && !strings.Contains(section, tt.old) {
					t.Fatalf("the base has no %q", tt.old)
				}
				section = strings.Replace(section, tt.old, tt.new, 1)
			}
			c, err := Parse([]byte(section + oneDefinition))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one naming %s", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") {
					t.Errorf("the error shows a secret: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.check != nil {
				tt.check(t, c)
			}
		})
	}
}
