package config

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/PaesslerAG/jsonpath"
	"golang.org/x/crypto/bcrypt"
)

// OIDC is the OpenID Provider (docs/oidc.md): websites and identity brokers
// log in with OpenID Connect, and the login step is a verifiable
// presentation. Off unless enabled.
type OIDC struct {
	Enabled bool `yaml:"enabled"`
	// Issuer is the issuer URL, or a path under public_url (default "/oidc").
	// Discovery is at {issuer}/.well-known/openid-configuration.
	Issuer string `yaml:"issuer"`
	// CodeLifetime bounds an authorization code (default 1m);
	// AccessTokenLifetime and IDTokenLifetime their tokens (default 10m);
	// LoginLifetime how long an authorization request waits for the
	// wallet (default 15m; longer than session.lifetime).
	CodeLifetime        Duration `yaml:"code_lifetime"`
	AccessTokenLifetime Duration `yaml:"access_token_lifetime"`
	IDTokenLifetime     Duration `yaml:"id_token_lifetime"`
	LoginLifetime       Duration `yaml:"login_lifetime"`
	// PairwiseSecret keys the pairwise subjects (HMAC-SHA256), at least 32
	// bytes; or PairwiseSecretFile names a file holding it. Required when a
	// client uses subject: pairwise. Changing it changes every pairwise sub.
	PairwiseSecret     string   `yaml:"pairwise_secret"`
	PairwiseSecretFile string   `yaml:"pairwise_secret_file"`
	Keys               OIDCKeys `yaml:"keys"`
	// Scopes are the credential scopes: each names the presentation
	// definition a login asks for and how its claims are mapped.
	Scopes  []OIDCScope  `yaml:"scopes"`
	Clients []OIDCClient `yaml:"clients"`
}

// OIDCKeys are the ID token signing keys.
type OIDCKeys struct {
	// Files are PEM private keys (PKCS#8, P-256 or Ed25519): the first
	// signs, the others stay in the key set for tokens they signed. Empty:
	// keys are generated and kept in the store, shared by instances.
	Files []string `yaml:"files"`
	// Algorithm of generated keys: ES256 (default) or EdDSA.
	Algorithm string `yaml:"algorithm"`
	// Rotation: a generated key signs this long (default 720h), and is
	// published a tenth of it before and until a day after.
	Rotation Duration `yaml:"rotation"`
}

// OIDCScope is one credential scope.
type OIDCScope struct {
	Name string `yaml:"name"`
	// Definition is the presentation definition it triggers (default: Name).
	Definition string `yaml:"definition"`
	// ACR goes into the ID token's acr (default
	// urn:loginwithiota:definition:{definition}).
	ACR string `yaml:"acr"`
	// Claims map a claim name to a JSONPath into each credential the
	// definition matched ($.credentialSubject.firstName); the first
	// credential where it finds a value gives it. Nothing else of the
	// credentials reaches a token.
	Claims map[string]string `yaml:"claims"`
}

// OIDCClient is one relying party.
type OIDCClient struct {
	ID   string `yaml:"id"`
	Name string `yaml:"name"` // shown on the login page
	// SecretHash is the bcrypt hash of the client secret (confidential
	// client); empty: a public client, which must use PKCE (S256).
	SecretHash string `yaml:"secret_hash"`
	// RedirectURIs match exactly: https, or http on a loopback host.
	RedirectURIs           []string `yaml:"redirect_uris"`
	PostLogoutRedirectURIs []string `yaml:"post_logout_redirect_uris"`
	// Scopes are the credential scopes it may ask for, and "vc" for the vc
	// claim (issuers and types of the credentials).
	Scopes []string `yaml:"scopes"`
	// DefaultScope is used when a request names no credential scope.
	DefaultScope string `yaml:"default_scope"`
	// Subject is public (the holder's DID, default) or pairwise.
	Subject string `yaml:"subject"`
	// SectorIdentifier is the host pairwise subjects are computed for
	// (default: the one host of the redirect URIs).
	SectorIdentifier string `yaml:"sector_identifier"`
}

// VCScope is the scope that asks for the vc claim.
const VCScope = "vc"

// reservedScopes are OpenID Connect's own and ours; credential scopes take
// other names.
var reservedScopes = []string{"openid", "profile", "email", "address", "phone", "offline_access", VCScope}

// reservedClaims are set by the provider; a mapping may not name them.
var reservedClaims = []string{"iss", "sub", "aud", "exp", "iat", "nbf", "jti", "auth_time", "nonce", "acr", "amr",
	"azp", "at_hash", "c_hash", "sid", "client_id", "scope", VCScope}

var scopeName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]*$`)

func (o *OIDC) applyDefaults() {
	if o.Issuer == "" {
		o.Issuer = "/oidc"
	}
	defaults := map[*Duration]time.Duration{&o.CodeLifetime: time.Minute, &o.AccessTokenLifetime: 10 * time.Minute,
		&o.IDTokenLifetime: 10 * time.Minute, &o.LoginLifetime: 15 * time.Minute, &o.Keys.Rotation: 720 * time.Hour}
	for d, v := range defaults {
		if *d == 0 {
			*d = Duration(v)
		}
	}
	if o.Keys.Algorithm == "" {
		o.Keys.Algorithm = "ES256"
	}
	for i := range o.Scopes {
		s := &o.Scopes[i]
		if s.Definition == "" {
			s.Definition = s.Name
		}
		if s.ACR == "" {
			s.ACR = "urn:loginwithiota:definition:" + s.Definition
		}
	}
	for i := range o.Clients {
		if o.Clients[i].Subject == "" {
			o.Clients[i].Subject = "public"
		}
	}
}

// validate checks the section when it is enabled; definitions are the
// presentation_definitions items, for the ids the scopes name.
func (o *OIDC) validate(definitions []map[string]any) error {
	if !o.Enabled {
		return nil
	}
	if err := o.validateProvider(); err != nil {
		return err
	}
	scopes, err := o.validateScopes(definitions)
	if err != nil {
		return err
	}
	pairwise := false
	seen := map[string]bool{}
	for i, c := range o.Clients {
		where := fmt.Sprintf("oidc.clients[%d]", i)
		if c.ID != "" {
			where = fmt.Sprintf("oidc.clients[%d] (id %q)", i, c.ID)
		}
		if c.ID == "" || seen[c.ID] {
			return fmt.Errorf("%s: id: want a unique, non-empty id", where)
		}
		seen[c.ID] = true
		if err := c.validate(scopes); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		pairwise = pairwise || c.Subject == "pairwise"
	}
	if len(o.Clients) == 0 {
		return fmt.Errorf("oidc.clients: at least one client is required when oidc is enabled")
	}
	switch {
	case o.PairwiseSecret != "" && o.PairwiseSecretFile != "":
		return fmt.Errorf("oidc: set pairwise_secret or pairwise_secret_file, not both")
	case o.PairwiseSecret != "" && len(o.PairwiseSecret) < 32:
		return fmt.Errorf("oidc.pairwise_secret: want at least 32 bytes")
	case pairwise && o.PairwiseSecret == "" && o.PairwiseSecretFile == "":
		return fmt.Errorf("oidc: a client uses subject: pairwise, so pairwise_secret or pairwise_secret_file is required")
	}
	return nil
}

func (o *OIDC) validateProvider() error {
	if strings.HasPrefix(o.Issuer, "/") {
		if u, err := url.Parse(o.Issuer); err != nil || u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(o.Issuer, "/") || strings.HasPrefix(o.Issuer, "//") {
			return fmt.Errorf("oidc.issuer: want a path like /oidc or an absolute URL, got %q", o.Issuer)
		}
	} else if err := checkIssuerURL(o.Issuer); err != nil {
		return fmt.Errorf("oidc.issuer: %w", err)
	}
	for name, d := range map[string]Duration{"code_lifetime": o.CodeLifetime, "access_token_lifetime": o.AccessTokenLifetime,
		"id_token_lifetime": o.IDTokenLifetime, "login_lifetime": o.LoginLifetime} {
		if d.Std() < time.Second {
			return fmt.Errorf("oidc.%s: must be at least 1s", name)
		}
	}
	if o.CodeLifetime.Std() > 10*time.Minute {
		// RFC 6749 §4.1.2: "A maximum authorization code lifetime of 10
		// minutes is RECOMMENDED."
		return fmt.Errorf("oidc.code_lifetime: at most 10m (RFC 6749 §4.1.2)")
	}
	switch o.Keys.Algorithm {
	case "ES256", "EdDSA":
	default:
		return fmt.Errorf("oidc.keys.algorithm: want ES256 or EdDSA, got %q", o.Keys.Algorithm)
	}
	if o.Keys.Rotation.Std() < time.Hour {
		return fmt.Errorf("oidc.keys.rotation: must be at least 1h")
	}
	return nil
}

// validateScopes returns the credential scope names.
func (o *OIDC) validateScopes(definitions []map[string]any) (map[string]bool, error) {
	ids := map[string]bool{}
	for _, d := range definitions {
		if id, ok := d["id"].(string); ok {
			ids[id] = true
		}
	}
	names := map[string]bool{}
	for i, s := range o.Scopes {
		where := fmt.Sprintf("oidc.scopes[%d]", i)
		if !scopeName.MatchString(s.Name) || slices.Contains(reservedScopes, s.Name) || names[s.Name] {
			return nil, fmt.Errorf("%s: name: want a unique scope name (letters, digits, . _ : -) other than %s, got %q",
				where, strings.Join(reservedScopes, ", "), s.Name)
		}
		names[s.Name] = true
		if !ids[s.Definition] {
			return nil, fmt.Errorf("%s (%s): definition %q is not among presentation_definitions", where, s.Name, s.Definition)
		}
		for claim, path := range s.Claims {
			if claim == "" || slices.Contains(reservedClaims, claim) {
				return nil, fmt.Errorf("%s (%s): claims: %q is set by the provider and cannot be mapped", where, s.Name, claim)
			}
			if _, err := jsonpath.New(path); err != nil || !strings.HasPrefix(path, "$") {
				return nil, fmt.Errorf("%s (%s): claims.%s: want a JSONPath like $.credentialSubject.firstName, got %q", where, s.Name, claim, path)
			}
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("oidc.scopes: at least one credential scope is required when oidc is enabled")
	}
	return names, nil
}

func (c OIDCClient) validate(scopes map[string]bool) error {
	if c.SecretHash != "" {
		cost, err := bcrypt.Cost([]byte(c.SecretHash))
		if err != nil {
			return fmt.Errorf("secret_hash: want a bcrypt hash ($2a$/$2b$/$2y$, see docs/oidc.md)")
		}
		if cost < 10 {
			return fmt.Errorf("secret_hash: bcrypt cost %d is below 10", cost)
		}
	}
	if len(c.RedirectURIs) == 0 {
		return fmt.Errorf("redirect_uris: at least one is required")
	}
	for _, u := range append(slices.Clone(c.RedirectURIs), c.PostLogoutRedirectURIs...) {
		if err := checkRedirectURI(u); err != nil {
			return err
		}
	}
	if len(c.Scopes) == 0 {
		return fmt.Errorf("scopes: at least one credential scope is required")
	}
	credential := false
	for _, s := range c.Scopes {
		if s != VCScope && !scopes[s] {
			return fmt.Errorf("scopes: %q is not among oidc.scopes", s)
		}
		credential = credential || s != VCScope
	}
	if !credential {
		return fmt.Errorf("scopes: at least one credential scope is required")
	}
	if c.DefaultScope != "" && (c.DefaultScope == VCScope || !slices.Contains(c.Scopes, c.DefaultScope)) {
		return fmt.Errorf("default_scope: %q is not one of the client's credential scopes", c.DefaultScope)
	}
	switch c.Subject {
	case "public":
		if c.SectorIdentifier != "" {
			return fmt.Errorf("sector_identifier: only for subject: pairwise")
		}
	case "pairwise":
		if _, err := c.Sector(); err != nil {
			return err
		}
	default:
		return fmt.Errorf("subject: want public or pairwise, got %q", c.Subject)
	}
	return nil
}

// Sector is the host pairwise subjects are computed for: sector_identifier
// (a host, or a URL whose host counts), else the one host of the redirect
// URIs (OpenID Connect Core §8.1).
func (c OIDCClient) Sector() (string, error) {
	if s := c.SectorIdentifier; s != "" {
		if u, err := url.Parse(s); err == nil && u.Host != "" {
			return strings.ToLower(u.Hostname()), nil
		}
		if strings.ContainsAny(s, "/:?#@ ") {
			return "", fmt.Errorf("sector_identifier: want a host like shop.example, got %q", s)
		}
		return strings.ToLower(s), nil
	}
	host := ""
	for _, r := range c.RedirectURIs {
		u, _ := url.Parse(r)
		if host != "" && strings.ToLower(u.Hostname()) != host {
			return "", fmt.Errorf("sector_identifier: the redirect URIs have several hosts, so name the sector")
		}
		host = strings.ToLower(u.Hostname())
	}
	return host, nil
}

func checkIssuerURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(s, "/") {
		return fmt.Errorf("want an absolute URL without query, fragment or trailing slash, got %q", s)
	}
	if u.Path == "" {
		// The provider's routes hang under the issuer's path, beside the verifier's.
		return fmt.Errorf("want a path, such as https://login.example/oidc, got %q", s)
	}
	// OpenID Connect Discovery §3: the issuer "MUST be a URL that uses the
	// https scheme"; http only for a loopback host, in development.
	if u.Scheme != "https" && !(u.Scheme == "http" && loopback(u.Hostname())) {
		return fmt.Errorf("want https (http only on a loopback host), got %q", s)
	}
	return nil
}

// checkRedirectURI: absolute, no fragment (RFC 6749 §3.1.2), https or http
// on a loopback host (RFC 8252 §7.3).
func checkRedirectURI(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Fragment != "" || strings.Contains(s, "#") {
		return fmt.Errorf("redirect URI %q: want an absolute URL without a fragment", s)
	}
	if u.Scheme != "https" && !(u.Scheme == "http" && loopback(u.Hostname())) {
		return fmt.Errorf("redirect URI %q: want https (http only on a loopback host)", s)
	}
	return nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
