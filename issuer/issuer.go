package issuer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/oauth"
)

// Config is everything the issuer needs; cmd/issuer (or the verifier's
// demo) fills it.
type Config struct {
	// Identifier is the Credential Issuer Identifier: "a case sensitive
	// URL using the https scheme that contains scheme, host and,
	// optionally, port number and path components, but no query or
	// fragment components". http is accepted for loopback hosts (tests,
	// the quickstart).
	Identifier string
	Signer     Signer
	// Configurations are credential_configurations_supported, in order.
	Configurations []Configuration
	// Display is the issuer's display (name, locale, logo).
	Display []map[string]any
	// Keys resolves the DIDs of kid key proofs (did:key, did:jwk).
	Keys did.Resolver

	OfferLifetime      time.Duration // pre-authorized code and offer (default 10m)
	TokenLifetime      time.Duration // access token (default 5m)
	NonceLifetime      time.Duration // c_nonce (default 5m)
	CredentialLifetime time.Duration // issued credentials without their own (default 1 year)
	// ProofMaxAge is how old a key proof's iat may be (default 5m);
	// ProofClockSkew how far in the future (default 1m).
	ProofMaxAge, ProofClockSkew time.Duration
	// MaxTxCodeTries wrong tx_code tries kill a code (default 5).
	MaxTxCodeTries int
	// DemoClaims are the claims of demo offers; DemoConfigurations their
	// configurations (default: the first one).
	DemoClaims         map[string]any
	DemoConfigurations []string

	Now    func() time.Time
	Logger *slog.Logger
}

// Issuer is the protocol core; its methods are the endpoints.
type Issuer struct {
	cfg     Config
	store   Store
	log     *slog.Logger
	configs map[string]*Configuration
	alg     string
}

// New checks cfg, fills defaults and signs a sample credential of every
// configuration (a configuration that cannot sign fails the start, not
// the first wallet).
func New(cfg Config, store Store) (*Issuer, error) {
	if store == nil {
		return nil, errors.New("issuer: no store")
	}
	if err := checkIdentifier(cfg.Identifier); err != nil {
		return nil, err
	}
	if err := cfg.Signer.validate(); err != nil {
		return nil, err
	}
	if cfg.Keys == nil {
		return nil, errors.New("issuer: no DID resolver for key proofs")
	}
	if len(cfg.Configurations) == 0 {
		return nil, errors.New("issuer: no credential configurations")
	}
	defaults(&cfg)
	iss := &Issuer{cfg: cfg, store: store, log: cfg.Logger, configs: map[string]*Configuration{}, alg: cfg.Signer.Alg()}
	for i := range iss.cfg.Configurations {
		c := &iss.cfg.Configurations[i]
		if err := c.normalize(iss.alg); err != nil {
			return nil, fmt.Errorf("issuer: %w", err)
		}
		if _, dup := iss.configs[c.ID]; dup {
			return nil, fmt.Errorf("issuer: credential configuration %s is defined twice", c.ID)
		}
		iss.configs[c.ID] = c
		if err := iss.selfTest(c); err != nil {
			return nil, fmt.Errorf("issuer: credential configuration %s cannot be issued: %w", c.ID, err)
		}
	}
	if len(iss.cfg.DemoConfigurations) == 0 {
		iss.cfg.DemoConfigurations = []string{iss.cfg.Configurations[0].ID}
	}
	for _, id := range iss.cfg.DemoConfigurations {
		if iss.configs[id] == nil {
			return nil, fmt.Errorf("issuer: demo configuration %s is not a credential configuration", id)
		}
	}
	if iss.cfg.DemoClaims == nil {
		iss.cfg.DemoClaims = map[string]any{}
	}
	if err := iss.checkClaims(iss.cfg.DemoConfigurations, iss.cfg.DemoClaims); err != nil {
		return nil, fmt.Errorf("issuer: demo claims: %s", oauth.From(err).Description())
	}
	return iss, nil
}

func defaults(c *Config) {
	set := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	set(&c.OfferLifetime, 10*time.Minute)
	set(&c.TokenLifetime, 5*time.Minute)
	set(&c.NonceLifetime, 5*time.Minute)
	set(&c.CredentialLifetime, 365*24*time.Hour)
	set(&c.ProofMaxAge, 5*time.Minute)
	set(&c.ProofClockSkew, time.Minute)
	if c.MaxTxCodeTries <= 0 {
		c.MaxTxCodeTries = 5
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	c.Identifier = strings.TrimRight(c.Identifier, "/")
}

// checkIdentifier enforces §12.2.1 (https, no query or fragment), with
// http for loopback hosts only.
func checkIdentifier(id string) error {
	u, err := url.Parse(id)
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("issuer: the credential issuer identifier %q must be an https URL without query or fragment", id)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !IsLoopback(u.Hostname()) {
			return fmt.Errorf("issuer: the credential issuer identifier %q must use https (http only on a loopback host)", id)
		}
	default:
		return fmt.Errorf("issuer: the credential issuer identifier %q must be an https URL", id)
	}
	return nil
}

// IsLoopback reports whether host is localhost or a loopback address.
func IsLoopback(host string) bool {
	switch host {
	case "localhost", "::1":
		return true
	}
	return strings.HasPrefix(host, "127.")
}

// Identifier is the Credential Issuer Identifier.
func (iss *Issuer) Identifier() string { return iss.cfg.Identifier }

// Signer is the issuer's key and DID.
func (iss *Issuer) Signer() Signer { return iss.cfg.Signer }

// Ready reports whether the store answers.
func (iss *Issuer) Ready(ctx context.Context) error { return iss.store.Ping(ctx) }

// Now is the issuer's clock.
func (iss *Issuer) Now() time.Time { return iss.cfg.Now() }

// url is an endpoint under the identifier.
func (iss *Issuer) url(path string) string { return iss.cfg.Identifier + path }

// selfTest issues a credential of c to a throwaway holder.
func (iss *Issuer) selfTest(c *Configuration) error {
	claims := map[string]any{}
	for _, cl := range c.Claims {
		claims[cl.Name] = "sample"
	}
	for k, v := range iss.cfg.DemoClaims {
		claims[k] = v
	}
	in := &issueInput{config: c, claims: claims, signer: iss.cfg.Signer, now: iss.cfg.Now(), lifetime: iss.lifetime(c),
		holder: holder{DID: "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}}
	_, err := formats[c.Format].issue(context.Background(), in)
	return err
}

func (iss *Issuer) lifetime(c *Configuration) time.Duration {
	if c.Lifetime > 0 {
		return c.Lifetime
	}
	return iss.cfg.CredentialLifetime
}
