package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/loginwithiota/verifier/pex"
)

// Config is the whole file. Every key but presentation_definitions is optional.
type Config struct {
	Listen    string  `yaml:"listen"`
	PublicURL string  `yaml:"public_url"`
	Redis     Redis   `yaml:"redis"`
	Session   Session `yaml:"session"`
	OID4VP    OID4VP  `yaml:"oid4vp"`
	Policy    Policy  `yaml:"policy"`
	HTTP      HTTP    `yaml:"http"`
	Log       Log     `yaml:"log"`
	Web       Web     `yaml:"web"`

	// Proof suites, JSON-LD and DID resolution: see ldp.go.
	JSONLD JSONLD `yaml:"jsonld"`
	DIDs   DIDs   `yaml:"dids"`
	Proofs Proofs `yaml:"proofs"`
	// Credential status checks: see iota.go.
	Status Status `yaml:"status"`
	// Bounds on the work of one wallet answer: see verification.go.
	Verification Verification `yaml:"verification"`

	PresentationDefinitions []map[string]any `yaml:"presentation_definitions"`

	// Definitions holds the compiled presentation_definitions, filled by Validate.
	Definitions []Definition `yaml:"-"`
}

// Session sets how long logins live.
type Session struct {
	// Lifetime is how long a wallet has to answer.
	Lifetime Duration `yaml:"lifetime"`
	// Retention is how long a record (and its claims) is kept after it expires.
	Retention Duration `yaml:"retention"`
}

// OID4VP shapes the authorization requests handed to wallets.
type OID4VP struct {
	// Scheme of the cross-device request URI (openid4vp:// or openid://).
	Scheme string `yaml:"scheme"`
	// CrossDeviceResponseMode is post (the profile's) or direct_post (OID4VP 1.0).
	CrossDeviceResponseMode string `yaml:"cross_device_response_mode"`
	// SameDeviceResponseMode is form_post (the profile's) or direct_post
	// (OID4VP 1.0: the browser comes back with a one-time response_code).
	SameDeviceResponseMode string `yaml:"same_device_response_mode"`
	// SameDeviceWalletURL is where same-device links point (a wallet's
	// authorization endpoint); empty means the Scheme.
	SameDeviceWalletURL string `yaml:"same_device_wallet_url"`
	// DefinitionByValue puts the definition in the request instead of presentation_definition_uri.
	DefinitionByValue bool `yaml:"definition_by_value"`
	// ReturnURL is where a same-device login sends the browser when it ends;
	// empty means the verifier's own result page. session_id is appended.
	ReturnURL string `yaml:"return_url"`
}

// Policy tunes the verification checks.
type Policy struct {
	// ClockSkew is tolerated on validity periods and proof creation times.
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
	Level  string `yaml:"level"`  // debug, info, warn, error
	Format string `yaml:"format"` // text or json
}

// Definition is one compiled presentation definition with our policy keys.
type Definition struct {
	PEX *pex.Definition
	// TrustedIssuers, when set, narrows the accepted issuers to these DIDs.
	TrustedIssuers []string
	// AllowWarnings starts the service although the definition has
	// warnings (an unknown JSON Schema keyword, proof type or alg).
	AllowWarnings bool
}

// Duration reads "5m", "90s" etc.
type Duration time.Duration

// UnmarshalYAML parses a Go duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	var s string
	if err := n.Decode(&s); err != nil {
		return fmt.Errorf("line %d: want a duration like \"5m\": %w", n.Line, err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*d = Duration(v)
	return nil
}

// Std returns the time.Duration.
func (d Duration) Std() time.Duration { return time.Duration(d) }

// Load reads, decodes strictly, applies defaults and validates the file.
func Load(path string) (*Config, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	c, err := Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	return c, nil
}

// Parse decodes YAML bytes strictly (unknown keys are errors), then applies
// defaults and validates.
func Parse(raw []byte) (*Config, error) {
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	c.ApplyDefaults()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// ApplyDefaults fills every unset key.
func (c *Config) ApplyDefaults() {
	if c.Listen == "" {
		c.Listen = "127.0.0.1:8080"
	}
	c.Redis.applyDefaults() // redis.go
	if c.Session.Lifetime == 0 {
		c.Session.Lifetime = Duration(5 * time.Minute)
	}
	if c.Session.Retention == 0 {
		c.Session.Retention = Duration(10 * time.Minute)
	}
	if c.OID4VP.Scheme == "" {
		c.OID4VP.Scheme = "openid4vp://"
	}
	if c.OID4VP.CrossDeviceResponseMode == "" {
		c.OID4VP.CrossDeviceResponseMode = "post"
	}
	if c.OID4VP.SameDeviceResponseMode == "" {
		c.OID4VP.SameDeviceResponseMode = "form_post"
	}
	if c.Policy.ClockSkew == 0 {
		c.Policy.ClockSkew = Duration(time.Minute)
	}
	if c.HTTP.MaxBodyBytes == 0 {
		c.HTTP.MaxBodyBytes = 256 << 10
	}
	if c.HTTP.ReadTimeout == 0 {
		c.HTTP.ReadTimeout = Duration(15 * time.Second)
	}
	if c.HTTP.WriteTimeout == 0 {
		c.HTTP.WriteTimeout = Duration(30 * time.Second)
	}
	if c.HTTP.IdleTimeout == 0 {
		c.HTTP.IdleTimeout = Duration(2 * time.Minute)
	}
	if c.HTTP.ShutdownTimeout == 0 {
		c.HTTP.ShutdownTimeout = Duration(15 * time.Second)
	}
	if c.Log.Level == "" {
		c.Log.Level = "info"
	}
	if c.Log.Format == "" {
		c.Log.Format = "text"
	}
	c.applyLDPDefaults()  // ldp.go
	c.applyIOTADefaults() // iota.go
	c.Verification.applyDefaults()
	c.Web.applyDefaults()
}

// Validate checks every key and compiles the presentation definitions.
func (c *Config) Validate() error {
	if c.PublicURL != "" {
		if err := checkBaseURL(c.PublicURL); err != nil {
			return fmt.Errorf("public_url: %w", err)
		}
	}
	if err := c.Redis.validate(); err != nil { // redis.go
		return err
	}
	if c.Session.Lifetime.Std() < time.Second {
		return fmt.Errorf("session.lifetime: must be at least 1s")
	}
	if c.Session.Retention.Std() < 0 {
		return fmt.Errorf("session.retention: must not be negative")
	}
	switch c.OID4VP.CrossDeviceResponseMode {
	case "post", "direct_post":
	default:
		return fmt.Errorf("oid4vp.cross_device_response_mode: want post or direct_post, got %q", c.OID4VP.CrossDeviceResponseMode)
	}
	switch c.OID4VP.SameDeviceResponseMode {
	case "form_post", "direct_post":
	default:
		return fmt.Errorf("oid4vp.same_device_response_mode: want form_post or direct_post, got %q", c.OID4VP.SameDeviceResponseMode)
	}
	if !strings.HasSuffix(c.OID4VP.Scheme, "://") {
		return fmt.Errorf("oid4vp.scheme: want a scheme like openid4vp://, got %q", c.OID4VP.Scheme)
	}
	if u := c.OID4VP.SameDeviceWalletURL; u != "" {
		if _, err := url.Parse(u); err != nil {
			return fmt.Errorf("oid4vp.same_device_wallet_url: %w", err)
		}
	}
	if u := c.OID4VP.ReturnURL; u != "" {
		if err := checkBaseURL(u); err != nil {
			return fmt.Errorf("oid4vp.return_url: %w", err)
		}
	}
	if c.HTTP.MaxBodyBytes < 1024 {
		return fmt.Errorf("http.max_body_bytes: must be at least 1024")
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("log.level: want debug, info, warn or error, got %q", c.Log.Level)
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		return fmt.Errorf("log.format: want text or json, got %q", c.Log.Format)
	}
	if err := c.Web.validate(); err != nil {
		return err
	}
	if err := c.validateLDP(); err != nil { // ldp.go
		return err
	}
	if err := c.validateIOTA(); err != nil { // iota.go
		return err
	}
	if err := c.Verification.validate(); err != nil {
		return err
	}
	return c.compileDefinitions()
}

func checkBaseURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("want an absolute http(s) URL, got %q", s)
	}
	return nil
}

// compileDefinitions turns each YAML item into a compiled pex.Definition,
// taking out our own policy keys first.
func (c *Config) compileDefinitions() error {
	if len(c.PresentationDefinitions) == 0 {
		return fmt.Errorf("presentation_definitions: at least one definition is required")
	}
	seen := map[string]bool{}
	c.Definitions = c.Definitions[:0]
	for i, item := range c.PresentationDefinitions {
		name := fmt.Sprintf("presentation_definitions[%d]", i)
		if id, ok := item["id"].(string); ok && id != "" {
			name = fmt.Sprintf("presentation_definitions[%d] (id %q)", i, id)
		}
		def := Definition{}
		rest := make(map[string]any, len(item))
		for k, v := range item {
			rest[k] = v
		}
		if aw, ok := rest["allow_warnings"]; ok {
			b, isBool := aw.(bool)
			if !isBool {
				return fmt.Errorf("%s: allow_warnings: want true or false", name)
			}
			def.AllowWarnings = b
			delete(rest, "allow_warnings")
		}
		if ti, ok := rest["trusted_issuers"]; ok {
			list, err := stringList(ti)
			if err != nil {
				return fmt.Errorf("%s: trusted_issuers: %w", name, err)
			}
			def.TrustedIssuers = list
			delete(rest, "trusted_issuers")
		}
		raw, err := json.Marshal(rest)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		pd, err := pex.ParseDefinition(raw)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if seen[pd.ID()] {
			return fmt.Errorf("%s: duplicate id", name)
		}
		seen[pd.ID()] = true
		def.PEX = pd
		c.Definitions = append(c.Definitions, def)
	}
	return nil
}

func stringList(v any) ([]string, error) {
	items, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("want a list of DIDs")
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		s, ok := it.(string)
		if !ok || !strings.HasPrefix(s, "did:") {
			return nil, fmt.Errorf("want DIDs, got %v", it)
		}
		out = append(out, s)
	}
	return out, nil
}
