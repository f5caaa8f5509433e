package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/loginwithiota/verifier/dcql"
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
	// Operations: metrics, the audit log, abuse limits (ops.go).
	Metrics Metrics `yaml:"metrics"`
	Audit   Audit   `yaml:"audit"`
	Limits  Limits  `yaml:"limits"`
	OIDC    OIDC    `yaml:"oidc"`
	// SD-JWT VC trust and key binding: see sdjwt.go.
	SDJWT SDJWT `yaml:"sd_jwt"`
	// Signed webhooks on every login's end: see webhooks.go.
	Webhooks Webhooks `yaml:"webhooks"`

	PresentationDefinitions []map[string]any `yaml:"presentation_definitions"`
	// DCQLQueries are OID4VP 1.0 DCQL queries, each named by the id of the
	// definition it belongs to: beside the presentation definition of
	// that id, or a definition of its own (dcql.go).
	DCQLQueries []map[string]any `yaml:"dcql_queries"`

	// Definitions holds the compiled presentation_definitions and
	// dcql_queries, filled by Validate.
	Definitions []Definition `yaml:"-"`

	// root is the file as YAML nodes, for the lines of errors found after
	// decoding; file is its name.
	root *yaml.Node
	file string
}

// Session sets how long logins live.
type Session struct {
	// Lifetime is how long a wallet has to answer.
	Lifetime Duration `yaml:"lifetime"`
	// Retention is how long a record (and its claims) is kept after it expires.
	Retention Duration `yaml:"retention"`
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
	// TrustedProxies are the addresses or CIDR ranges of reverse proxies
	// in front of the service: only from them is X-Forwarded-For believed
	// (the client address of rate limits). Empty: the connection's address.
	TrustedProxies []string `yaml:"trusted_proxies"`
}

// Log sets the logger.
type Log struct {
	Level  string `yaml:"level"`  // debug, info, warn, error
	Format string `yaml:"format"` // text or json
}

// Definition is one compiled definition with our policy keys: a
// presentation definition, a DCQL query, or both for the same credential.
type Definition struct {
	// ID names it (the presentation definition's id, or the DCQL item's).
	ID string
	// PEX is nil for a definition that is only a DCQL query.
	PEX *pex.Definition
	// DCQL is its DCQL query, nil when it has none; DCQLJSON the query as
	// requests carry it; DCQLDerived tells that it was derived from the
	// presentation definition (dcql: derive).
	DCQL        *dcql.Query
	DCQLJSON    json.RawMessage
	DCQLDerived bool
	// TrustedIssuers, when set, narrows the accepted issuers to these DIDs.
	TrustedIssuers []string
	// AllowWarnings starts the service although the definition has
	// warnings (an unknown JSON Schema keyword, proof type or alg).
	AllowWarnings bool
	// Protocols are the request dialects a login on it may ask for, its
	// default first; empty: oid4vp.protocol (oid4vp.go).
	Protocols []string
}

// Duration reads "5m", "90s" etc.
type Duration time.Duration

// UnmarshalYAML parses a Go duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	var s string
	if err := n.Decode(&s); err != nil || n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: want a duration like \"5m\"", n.Line)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("line %d: want a duration like \"5m\" or \"90s\", got %q", n.Line, s)
	}
	*d = Duration(v)
	return nil
}

// Std returns the time.Duration.
func (d Duration) Std() time.Duration { return time.Duration(d) }

// Options tune Load and Parse.
type Options struct {
	// DefinitionsOptional accepts a file without presentation_definitions
	// (`verifier verify` checks credentials without any).
	DefinitionsOptional bool
}

// Load reads, decodes strictly, applies defaults and validates the file.
// Its errors are *Error naming the file, the line and the key path.
func Load(path string) (*Config, error) { return LoadWith(path, Options{}) }

// LoadWith is Load with options.
func LoadWith(path string, o Options) (*Config, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	c, err := parse(raw, o)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.File = path
			return nil, e
		}
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	c.file = path
	return c, nil
}

// Parse decodes YAML bytes strictly (unknown keys are errors), then applies
// defaults and validates.
func Parse(raw []byte) (*Config, error) { return parse(raw, Options{}) }

func parse(raw []byte, o Options) (*Config, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(raw, &root); err != nil {
		return nil, syntaxError(err)
	}
	c := Config{root: &root}
	if len(root.Content) > 0 {
		if err := decode(&root, reflect.ValueOf(&c).Elem(), ""); err != nil {
			return nil, err
		}
	}
	c.ApplyDefaults()
	if err := c.validate(o); err != nil {
		return nil, located(&root, err)
	}
	return &c, nil
}

// yamlLine is the line yaml.v3 names in a syntax error.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

func syntaxError(err error) error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{Line: line, Msg: "not valid YAML: " + msg[len(m[0]):]}
	}
	return &Error{Msg: "not valid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

// Locate places an error found after loading at its line in the file: an
// error about one of the file's definitions (the verifier's strict checks
// name it: presentation definition "id") at the member it is about, one
// that starts with a key path (dids.pinned[0]: …, from setting the
// sections up) at that key. Other errors are returned as they are.
func (c *Config) Locate(err error) error {
	if err == nil || c.root == nil {
		return err
	}
	m := definitionNamed.FindStringSubmatch(err.Error())
	if m == nil {
		if keyPrefix.MatchString(err.Error()) {
			if e, ok := located(c.root, err).(*Error); ok {
				e.File = c.file
				return e
			}
		}
		return err
	}
	id, uerr := strconv.Unquote(m[1])
	if uerr != nil {
		return err
	}
	for _, d := range c.Definitions {
		if d.ID == id {
			e, ok := located(c.root, fmt.Errorf("%s: %s", c.itemOf(id), err.Error())).(*Error)
			if !ok {
				return err
			}
			e.File = c.file
			return e
		}
	}
	return err
}

var definitionNamed = regexp.MustCompile(`presentation definition ("(?:[^"\\]|\\.)*")`)

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
	c.OID4VP.applyDefaults() // oid4vp.go
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
	c.Limits.applyDefaults()
	c.OIDC.applyDefaults() // oidc.go
	c.SDJWT.applyDefaults()
	c.Webhooks.applyDefaults() // webhooks.go
}

// Validate checks every key and compiles the presentation definitions.
func (c *Config) Validate() error { return c.validate(Options{}) }

func (c *Config) validate(o Options) error {
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
	if err := c.OID4VP.validate(); err != nil { // oid4vp.go
		return err
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
	if err := c.validateOps(); err != nil { // ops.go
		return err
	}
	if err := c.SDJWT.validate(); err != nil { // sdjwt.go
		return err
	}
	if err := c.OIDC.validate(c.PresentationDefinitions); err != nil { // oidc.go
		return err
	}
	if err := c.Webhooks.validate(c.PresentationDefinitions); err != nil { // webhooks.go
		return err
	}
	if err := c.compileDefinitions(o.DefinitionsOptional); err != nil {
		return err
	}
	return c.compileDCQL() // dcql.go
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
func (c *Config) compileDefinitions(optional bool) error {
	if len(c.PresentationDefinitions) == 0 && len(c.DCQLQueries) == 0 && !optional {
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
		var err error
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
		if p, ok := rest["protocol"]; ok {
			if def.Protocols, err = protocolList(p); err != nil {
				return fmt.Errorf("%s: protocol: %w", name, err)
			}
			delete(rest, "protocol")
		}
		if ti, ok := rest["trusted_issuers"]; ok {
			list, err := stringList(ti)
			if err != nil {
				return fmt.Errorf("%s: trusted_issuers: %w", name, err)
			}
			def.TrustedIssuers = list
			delete(rest, "trusted_issuers")
		}
		if d, ok := rest["dcql"]; ok { // dcql.go
			if d != "derive" {
				return fmt.Errorf("presentation_definitions[%d].dcql: want derive (a DCQL query made from this definition), or a dcql_queries item of the same id", i)
			}
			def.DCQLDerived = true
			delete(rest, "dcql")
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
		def.PEX, def.ID = pd, pd.ID()
		c.Definitions = append(c.Definitions, def)
	}
	return nil
}

// stringList reads trusted_issuers: DIDs, or https URLs (SD-JWT VC
// issuers, compared exactly: identity-wasm writes iss with a trailing
// slash, and the list must too).
func stringList(v any) ([]string, error) {
	items, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("want a list of DIDs or https URLs")
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		s, ok := it.(string)
		if !ok || !strings.HasPrefix(s, "did:") && !strings.HasPrefix(s, "https://") {
			return nil, fmt.Errorf("want DIDs or https URLs, got %v", it)
		}
		out = append(out, s)
	}
	return out, nil
}
