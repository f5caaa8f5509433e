package issuer

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/loginwithiota/verifier/did"
	didkey "github.com/loginwithiota/verifier/did/key"
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
	// SDJWTIssuer is how dc+sd-jwt credentials name their issuer:
	// SDJWTIssuerDID (the default: iss the DID, kid its key) or
	// SDJWTIssuerURL (iss the Identifier, the key in the JWT VC Issuer
	// Metadata, which verifiers fetch over https only).
	SDJWTIssuer string

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
	switch cfg.SDJWTIssuer {
	case "":
		cfg.SDJWTIssuer = SDJWTIssuerDID
	case SDJWTIssuerDID, SDJWTIssuerURL:
	default:
		return nil, fmt.Errorf("issuer: SD-JWT issuer %q is not %s or %s", cfg.SDJWTIssuer, SDJWTIssuerDID, SDJWTIssuerURL)
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
	if iss.cfg.SDJWTIssuer == SDJWTIssuerURL && iss.HasSDJWT() && !strings.HasPrefix(iss.cfg.Identifier, "https://") {
		iss.log.Warn("SD-JWT VCs name this issuer by its http identifier: verifiers fetch " + WellKnownJWTVCIssuer + " over https only, so only a test verifier will find the key")
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
	_, err := formats[c.Format].issue(context.Background(), iss.input(c, claims, sampleHolder))
	return err
}

// sampleHolder is the throwaway holder of selfTest (the did:key of the
// all-zero Ed25519 seed).
var sampleHolder = func() holder {
	pub := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)).Public().(ed25519.PublicKey)
	jwk, _ := publicJWK(pub)
	id, _ := didkey.FromEd25519(pub)
	return holder{DID: id, Key: jwk}
}()

// input is what a format needs to issue a credential of c.
func (iss *Issuer) input(c *Configuration, claims map[string]any, h holder) *issueInput {
	return &issueInput{config: c, claims: claims, holder: h, signer: iss.cfg.Signer, now: iss.cfg.Now(),
		lifetime: iss.lifetime(c), identifier: iss.cfg.Identifier, sdIss: iss.cfg.SDJWTIssuer}
}

// HasSDJWT reports whether a configuration is dc+sd-jwt (the issuer then
// serves its JWT VC Issuer Metadata).
func (iss *Issuer) HasSDJWT() bool {
	return slices.ContainsFunc(iss.cfg.Configurations, func(c Configuration) bool { return c.Format == FormatSDJWT })
}

// JWTVCIssuerMetadata is the document at /.well-known/jwt-vc-issuer (SD-JWT
// VC §5.2): "issuer: REQUIRED. The Issuer identifier, which MUST be
// identical to the iss value in the JWT"; "jwks: OPTIONAL. Issuer's JSON
// Web Key Set". Its one key, named by its thumbprint, verifies the
// SD-JWT VCs issued with SDJWTIssuerURL.
func (iss *Issuer) JWTVCIssuerMetadata() (map[string]any, error) {
	jwk, err := iss.cfg.Signer.PublicJWK()
	if err != nil {
		return nil, err
	}
	kid, err := iss.cfg.Signer.Thumbprint()
	if err != nil {
		return nil, err
	}
	jwk["kid"], jwk["alg"], jwk["use"] = kid, iss.alg, "sig"
	return map[string]any{"issuer": iss.cfg.Identifier, "jwks": map[string]any{"keys": []any{jwk}}}, nil
}

func (iss *Issuer) lifetime(c *Configuration) time.Duration {
	if c.Lifetime > 0 {
		return c.Lifetime
	}
	return iss.cfg.CredentialLifetime
}
