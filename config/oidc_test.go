package config

import (
	"strings"
	"testing"
	"time"
)

// oidcBase is an enabled section with one scope and one client; the tests
// replace one line of it at a time.
const oidcBase = `
oidc:
  enabled: true
  pairwise_secret: 0123456789abcdef0123456789abcdef
  scopes:
    - name: id-card
      definition: a
      claims:
        given_name: $.credentialSubject.firstName
  clients:
    - id: shop
      secret_hash: $2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy
      redirect_uris: [https://shop.example/callback]
      scopes: [id-card, vc]
      subject: pairwise
`

func TestOIDCConfig(t *testing.T) {
	tests := []struct {
		name     string
		old, new string // one line of oidcBase replaced
		yaml     string // else the whole section
		wantErr  string
		check    func(t *testing.T, c *Config)
	}{
		{name: "off by default", yaml: "\n", check: func(t *testing.T, c *Config) {
			if c.OIDC.Enabled || c.OIDC.Issuer != "/oidc" || c.OIDC.CodeLifetime.Std() != time.Minute || c.OIDC.Keys.Algorithm != "ES256" {
				t.Errorf("defaults %+v", c.OIDC)
			}
		}},
		{name: "disabled section is not validated", yaml: "oidc:\n  enabled: false\n  scopes: [{name: openid}]\n"},
		{name: "valid", check: func(t *testing.T, c *Config) {
			s, cl := c.OIDC.Scopes[0], c.OIDC.Clients[0]
			if s.ACR != "urn:loginwithiota:definition:a" || s.Claims["given_name"] != "$.credentialSubject.firstName" {
				t.Errorf("scope %+v", s)
			}
			if sector, err := cl.Sector(); err != nil || sector != "shop.example" {
				t.Errorf("sector %q, %v", sector, err)
			}
			if c.OIDC.LoginLifetime.Std() != 15*time.Minute || c.OIDC.Keys.Rotation.Std() != 720*time.Hour {
				t.Errorf("lifetimes %+v", c.OIDC)
			}
		}},
		{name: "public client", old: "      secret_hash: $2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy\n", new: ""},
		{name: "loopback http redirect", old: "[https://shop.example/callback]", new: "[http://127.0.0.1:8000/cb]"},
		{name: "issuer URL", old: "  enabled: true\n", new: "  enabled: true\n  issuer: https://login.example/oidc\n"},
		{name: "EdDSA", old: "  enabled: true\n", new: "  enabled: true\n  keys: {algorithm: EdDSA}\n"},

		{name: "unknown key", old: "  enabled: true\n", new: "  enabled: true\n  clients_secret: x\n", wantErr: "clients_secret"},
		{name: "http issuer elsewhere", old: "  enabled: true\n", new: "  enabled: true\n  issuer: http://login.example/oidc\n", wantErr: "oidc.issuer"},
		{name: "issuer without a path", old: "  enabled: true\n", new: "  enabled: true\n  issuer: https://login.example\n", wantErr: "oidc.issuer"},
		{name: "issuer //host", old: "  enabled: true\n", new: "  enabled: true\n  issuer: //login.example/oidc\n", wantErr: "oidc.issuer"},
		{name: "issuer with trailing slash", old: "  enabled: true\n", new: "  enabled: true\n  issuer: /oidc/\n", wantErr: "oidc.issuer"},
		{name: "RS256", old: "  enabled: true\n", new: "  enabled: true\n  keys: {algorithm: RS256}\n", wantErr: "oidc.keys.algorithm"},
		{name: "code lifetime over 10m", old: "  enabled: true\n", new: "  enabled: true\n  code_lifetime: 11m\n", wantErr: "oidc.code_lifetime"},
		{name: "no scopes", old: "    - name: id-card\n      definition: a\n      claims:\n        given_name: $.credentialSubject.firstName\n", new: "", wantErr: "oidc.scopes"},
		{name: "scope named openid", old: "name: id-card", new: "name: openid", wantErr: "oidc.scopes[0]: name"},
		{name: "scope with a space", old: "name: id-card", new: "name: id card", wantErr: "oidc.scopes[0]: name"},
		{name: "unknown definition", old: "definition: a", new: "definition: b", wantErr: `definition "b"`},
		{name: "reserved claim", old: "given_name: $", new: "sub: $", wantErr: `"sub" is set by the provider`},
		{name: "bad path", old: "$.credentialSubject.firstName", new: "credentialSubject.firstName", wantErr: "claims.given_name"},
		{name: "no clients", yaml: "oidc:\n  enabled: true\n  scopes: [{name: s, definition: a}]\n", wantErr: "oidc.clients"},
		{name: "duplicate client", old: "      subject: pairwise\n", new: "      subject: pairwise\n    - id: shop\n      redirect_uris: [https://x.example/cb]\n      scopes: [id-card]\n", wantErr: `oidc.clients[1]: id: want a unique`},
		{name: "plain secret", old: "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy", new: "s3cret", wantErr: "secret_hash"},
		{name: "weak bcrypt", old: "$2a$10$", new: "$2a$04$", wantErr: "cost 4"},
		{name: "http redirect", old: "[https://shop.example/callback]", new: "[http://shop.example/callback]", wantErr: "want https"},
		{name: "redirect with fragment", old: "[https://shop.example/callback]", new: "['https://shop.example/callback#x']", wantErr: "fragment"},
		{name: "no redirect", old: "[https://shop.example/callback]", new: "[]", wantErr: "redirect_uris"},
		{name: "unknown client scope", old: "[id-card, vc]", new: "[id-card, passport]", wantErr: `"passport" is not among oidc.scopes`},
		{name: "only vc", old: "[id-card, vc]", new: "[vc]", wantErr: "credential scope"},
		{name: "default scope not allowed", old: "      subject: pairwise\n", new: "      subject: pairwise\n      default_scope: vc\n", wantErr: "default_scope"},
		{name: "bad subject", old: "subject: pairwise", new: "subject: private", wantErr: "subject"},
		{name: "pairwise without secret", old: "  pairwise_secret: 0123456789abcdef0123456789abcdef\n", new: "", wantErr: "pairwise_secret"},
		{name: "short secret", old: "0123456789abcdef0123456789abcdef", new: "short", wantErr: "at least 32 bytes"},
		{name: "two hosts, no sector", old: "[https://shop.example/callback]", new: "[https://shop.example/cb, https://other.example/cb]", wantErr: "sector_identifier"},
		{name: "sector on public", old: "subject: pairwise", new: "subject: public\n      sector_identifier: shop.example", wantErr: "sector_identifier"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			section := tt.yaml
			if section == "" {
				section = oidcBase
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

func TestOIDCSector(t *testing.T) {
	for _, tc := range []struct{ sector, want string }{
		{"shop.example", "shop.example"}, {"https://Sector.Example/redirects.json", "sector.example"}, {"SHOP.example", "shop.example"},
	} {
		c := OIDCClient{SectorIdentifier: tc.sector}
		if got, err := c.Sector(); err != nil || got != tc.want {
			t.Errorf("Sector(%q) = %q, %v; want %q", tc.sector, got, err, tc.want)
		}
	}
}
