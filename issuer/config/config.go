package config

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"gopkg.in/yaml.v3"
)

// Config is the whole file; every key is optional.
type Config struct {
	Listen    string `yaml:"listen"`
	PublicURL string `yaml:"public_url"`
	Redis     Redis  `yaml:"redis"`
	Key       Key    `yaml:"key"`
	API       API    `yaml:"api"`
	Demo      Demo   `yaml:"demo"`

	Offers      Offers           `yaml:"offers"`
	Tokens      Lifetime         `yaml:"tokens"`
	Nonces      Lifetime         `yaml:"nonces"`
	Credentials Lifetime         `yaml:"credentials"`
	Proofs      Proofs           `yaml:"proofs"`
	HTTP        HTTP             `yaml:"http"`
	Log         Log              `yaml:"log"`
	Display     []map[string]any `yaml:"display"`
	SDJWT       SDJWT            `yaml:"sd_jwt"`

	CredentialConfigurations []CredentialConfiguration `yaml:"credential_configurations"`

	// dir is the config file's directory: relative paths start there.
	dir string
}

// Redis selects the Redis store when URL is set.
type Redis struct {
	URL       string `yaml:"url"`
	KeyPrefix string `yaml:"key_prefix"`
}

// Key is the issuer's key and DID.
type Key struct {
	// File holds the private JWK; generated on first start.
	File string `yaml:"file"`
	// Type is Ed25519 or P-256.
	Type string `yaml:"type"`
	// DID is the method the issuer speaks as: key, jwk or web.
	DID string `yaml:"did"`
}

// API is the operator API.
type API struct {
	// Key authenticates POST /api/v1/offers; empty turns the API off.
	// Prefer the ISSUER_API_KEY environment variable to writing it here.
	Key string `yaml:"key"`
}

// Demo is the demo page that hands out test credentials.
type Demo struct {
	Enabled        bool           `yaml:"enabled"`
	Claims         map[string]any `yaml:"claims"`
	Configurations []string       `yaml:"configurations"`
}

// SDJWT is how dc+sd-jwt credentials name their issuer.
type SDJWT struct {
	// Iss is did (iss the issuer's DID, kid its key: verifiers resolve
	// it) or url (iss the public URL, the key at /.well-known/jwt-vc-issuer:
	// verifiers fetch it over https only).
	Iss string `yaml:"iss"`
}

// Offers: how long an offer and its pre-authorized code live, and how
// many wrong tx_codes kill it.
type Offers struct {
	Lifetime    Duration `yaml:"lifetime"`
	TxCodeTries int      `yaml:"tx_code_tries"`
}

// Lifetime is a section with one lifetime.
type Lifetime struct {
	Lifetime Duration `yaml:"lifetime"`
}

// Proofs bound key proofs' iat.
type Proofs struct {
	MaxAge    Duration `yaml:"max_age"`
	ClockSkew Duration `yaml:"clock_skew"`
}

// HTTP sets server limits.
type HTTP struct {
	MaxBodyBytes    int64    `yaml:"max_body_bytes"`
	ReadTimeout     Duration `yaml:"read_timeout"`
	WriteTimeout    Duration `yaml:"write_timeout"`
	IdleTimeout     Duration `yaml:"idle_timeout"`
	ShutdownTimeout Duration `yaml:"shutdown_timeout"`
}

// Log sets the logger.
type Log struct {
	Level  string `yaml:"level"`
	Format string `yaml:"format"`
}

// CredentialConfiguration is one entry of credential_configurations.
type CredentialConfiguration struct {
	ID        string           `yaml:"id"`
	Format    string           `yaml:"format"`
	Scope     string           `yaml:"scope"`
	ProofType string           `yaml:"proof_type"`
	Types     []string         `yaml:"types"`
	VCT       string           `yaml:"vct"`
	Contexts  []string         `yaml:"contexts"`
	Display   []map[string]any `yaml:"display"`
	Claims    []Claim          `yaml:"claims"`
	Lifetime  Duration         `yaml:"lifetime"`
}

// Claim describes a credentialSubject member.
type Claim struct {
	Name      string           `yaml:"name"`
	Mandatory bool             `yaml:"mandatory"`
	Display   []map[string]any `yaml:"display"`
	// SD is always (the default) or never: whether a dc+sd-jwt credential
	// makes the claim selectively disclosable.
	SD string `yaml:"sd"`
}

// Duration reads "5m", "90s".
type Duration time.Duration

// UnmarshalYAML parses a Go duration.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	var s string
	if err := n.Decode(&s); err != nil {
		return fmt.Errorf("line %d: want a duration like \"5m\"", n.Line)
	}
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 {
		return fmt.Errorf("line %d: want a duration like \"5m\", got %q", n.Line, s)
	}
	*d = Duration(v)
	return nil
}

// Std is the time.Duration.
func (d Duration) Std() time.Duration { return time.Duration(d) }

// Load reads, decodes strictly, fills defaults and validates path.
func Load(path string) (*Config, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	c, err := Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	c.dir = filepath.Dir(path)
	return c, nil
}

// Parse decodes a file's bytes.
func Parse(raw []byte) (*Config, error) {
	var c Config
	if err := decodeStrict(raw, &c); err != nil {
		return nil, err
	}
	c.defaults()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// KeyFile is key.file, relative to the config file's directory.
func (c *Config) KeyFile() string {
	if filepath.IsAbs(c.Key.File) || c.dir == "" {
		return c.Key.File
	}
	return filepath.Join(c.dir, c.Key.File)
}

// CheckPublicURL validates a public URL given by flag or environment.
func CheckPublicURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("public_url %q must be an http(s) URL without query or fragment", s)
	}
	return nil
}
