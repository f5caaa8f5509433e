package config

import (
	"fmt"
	"slices"
	"time"

	"github.com/loginwithiota/verifier/issuer"
	"github.com/loginwithiota/verifier/issuer/issuerkey"
)

// defaults fills what the file leaves out.
func (c *Config) defaults() {
	str := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	dur := func(d *Duration, v time.Duration) {
		if *d == 0 {
			*d = Duration(v)
		}
	}
	str(&c.Listen, "127.0.0.1:8081")
	str(&c.Redis.KeyPrefix, "liota-issuer:")
	str(&c.Key.File, "issuer-key.json")
	str(&c.Key.Type, issuerkey.TypeEd25519)
	str(&c.Key.DID, issuerkey.MethodKey)
	dur(&c.Offers.Lifetime, 10*time.Minute)
	if c.Offers.TxCodeTries == 0 {
		c.Offers.TxCodeTries = 5
	}
	dur(&c.Tokens.Lifetime, 5*time.Minute)
	dur(&c.Nonces.Lifetime, 5*time.Minute)
	dur(&c.Credentials.Lifetime, 365*24*time.Hour)
	dur(&c.Proofs.MaxAge, 5*time.Minute)
	dur(&c.Proofs.ClockSkew, time.Minute)
	if c.HTTP.MaxBodyBytes == 0 {
		c.HTTP.MaxBodyBytes = 64 << 10
	}
	dur(&c.HTTP.ReadTimeout, 10*time.Second)
	dur(&c.HTTP.WriteTimeout, 15*time.Second)
	dur(&c.HTTP.IdleTimeout, 60*time.Second)
	dur(&c.HTTP.ShutdownTimeout, 10*time.Second)
	str(&c.Log.Level, "info")
	str(&c.Log.Format, "text")
	str(&c.SDJWT.Iss, issuer.SDJWTIssuerDID)
	if len(c.Display) == 0 {
		c.Display = []map[string]any{{"name": "Login with IOTA test issuer", "locale": "en"}}
	}
	if len(c.CredentialConfigurations) == 0 {
		c.CredentialConfigurations = DefaultConfigurations()
		if len(c.Demo.Configurations) == 0 {
			c.Demo.Configurations = DefaultDemoConfigurations()
		}
	}
	if c.Demo.Claims == nil {
		c.Demo.Claims = map[string]any{"givenName": "Jane", "familyName": "Doe", "birthDate": "1993-04-08"}
	}
}

// DefaultDemoConfigurations are what demo offers carry with the default
// configurations: the profile's ldp_vc (every login dialect takes it) and
// the SD-JWT VC (OID4VP 1.0 logins with the shipped DCQL query).
func DefaultDemoConfigurations() []string { return []string{"VerifiableId", "VerifiableId_SD_JWT"} }

// DefaultConfigurations are a VerifiableId as each format and proof this
// issuer makes: the Login-with-IOTA profile's (ldp_vc with
// JcsEd25519Signature2020) first, the SD-JWT VC (vct VerifiableId, every
// claim selectively disclosable) last.
func DefaultConfigurations() []CredentialConfiguration {
	claims := []Claim{
		{Name: "givenName", Display: []map[string]any{{"name": "Given name", "locale": "en"}}},
		{Name: "familyName", Display: []map[string]any{{"name": "Family name", "locale": "en"}}},
		{Name: "birthDate", Display: []map[string]any{{"name": "Date of birth", "locale": "en"}}},
	}
	display := func(name string) []map[string]any {
		return []map[string]any{{"name": name, "locale": "en", "description": "A test identity credential with made-up claims"}}
	}
	return []CredentialConfiguration{
		{ID: "VerifiableId", Format: issuer.FormatLDPVC, ProofType: issuer.ProofJcsEd25519, Types: []string{"VerifiableId"},
			Display: display("Verifiable ID"), Claims: claims},
		{ID: "VerifiableId_DataIntegrity", Format: issuer.FormatLDPVC, ProofType: issuer.ProofEdDSARDFC, Types: []string{"VerifiableId"},
			Display: display("Verifiable ID (Data Integrity)"), Claims: claims},
		{ID: "VerifiableId_JWT", Format: issuer.FormatJWTVC, Types: []string{"VerifiableId"},
			Display: display("Verifiable ID (JWT)"), Claims: claims},
		{ID: "VerifiableId_SD_JWT", Format: issuer.FormatSDJWT, VCT: "VerifiableId",
			Display: display("Verifiable ID (SD-JWT VC)"), Claims: claims},
	}
}

// Validate checks the values; each error names its key path.
func (c *Config) Validate() error {
	switch {
	case c.Listen == "":
		return fmt.Errorf("listen: must not be empty")
	case c.PublicURL != "" && CheckPublicURL(c.PublicURL) != nil:
		return fmt.Errorf("public_url: %w", CheckPublicURL(c.PublicURL))
	case c.Key.Type != issuerkey.TypeEd25519 && c.Key.Type != issuerkey.TypeP256:
		return fmt.Errorf("key.type: %q is not Ed25519 or P-256", c.Key.Type)
	case !slices.Contains([]string{issuerkey.MethodKey, issuerkey.MethodJWK, issuerkey.MethodWeb}, c.Key.DID):
		return fmt.Errorf("key.did: %q is not key, jwk or web", c.Key.DID)
	case c.API.Key != "" && len(c.API.Key) < 16:
		return fmt.Errorf("api.key: must be at least 16 characters (better: random, in ISSUER_API_KEY)")
	case c.Offers.TxCodeTries < 1 || c.Offers.TxCodeTries > 100:
		return fmt.Errorf("offers.tx_code_tries: must be 1 to 100")
	case !slices.Contains([]string{"debug", "info", "warn", "error"}, c.Log.Level):
		return fmt.Errorf("log.level: %q is not debug, info, warn or error", c.Log.Level)
	case c.Log.Format != "text" && c.Log.Format != "json":
		return fmt.Errorf("log.format: %q is not text or json", c.Log.Format)
	case c.SDJWT.Iss != issuer.SDJWTIssuerDID && c.SDJWT.Iss != issuer.SDJWTIssuerURL:
		return fmt.Errorf("sd_jwt.iss: %q is not did or url", c.SDJWT.Iss)
	case c.HTTP.MaxBodyBytes < 1<<10:
		return fmt.Errorf("http.max_body_bytes: must be at least 1024")
	}
	for name, d := range map[string]Duration{"offers.lifetime": c.Offers.Lifetime, "tokens.lifetime": c.Tokens.Lifetime,
		"nonces.lifetime": c.Nonces.Lifetime, "proofs.max_age": c.Proofs.MaxAge} {
		if d.Std() < time.Second || d.Std() > 24*time.Hour {
			return fmt.Errorf("%s: must be between 1s and 24h", name)
		}
	}
	ids := map[string]bool{}
	for i, cc := range c.CredentialConfigurations {
		at := fmt.Sprintf("credential_configurations[%d]", i)
		switch {
		case cc.ID == "":
			return fmt.Errorf("%s.id: required", at)
		case ids[cc.ID]:
			return fmt.Errorf("%s.id: %q is defined twice", at, cc.ID)
		case cc.Format != issuer.FormatJWTVC && cc.Format != issuer.FormatLDPVC && cc.Format != issuer.FormatSDJWT:
			return fmt.Errorf("%s.format: %q is not %s, %s or %s", at, cc.Format, issuer.FormatJWTVC, issuer.FormatLDPVC, issuer.FormatSDJWT)
		case cc.Format == issuer.FormatLDPVC && cc.ProofType != "" && cc.ProofType != issuer.ProofJcsEd25519 && cc.ProofType != issuer.ProofEdDSARDFC:
			return fmt.Errorf("%s.proof_type: %q is not %s or %s", at, cc.ProofType, issuer.ProofJcsEd25519, issuer.ProofEdDSARDFC)
		case cc.Format != issuer.FormatLDPVC && cc.ProofType != "":
			return fmt.Errorf("%s.proof_type: only for ldp_vc (a %s is signed with the key's alg)", at, cc.Format)
		case cc.Format == issuer.FormatLDPVC && c.Key.Type != issuerkey.TypeEd25519:
			return fmt.Errorf("%s.format: ldp_vc proofs need key.type Ed25519", at)
		case cc.Format == issuer.FormatSDJWT && cc.VCT == "":
			return fmt.Errorf("%s.vct: a dc+sd-jwt configuration needs a vct (e.g. VerifiableId)", at)
		case cc.Format == issuer.FormatSDJWT && (len(cc.Types) > 0 || len(cc.Contexts) > 0):
			return fmt.Errorf("%s.types: a dc+sd-jwt configuration names its type with vct, not types or contexts", at)
		case cc.Format != issuer.FormatSDJWT && cc.VCT != "":
			return fmt.Errorf("%s.vct: only for dc+sd-jwt (the W3C formats name their types with types)", at)
		case cc.Format != issuer.FormatSDJWT && len(cc.Types) == 0:
			return fmt.Errorf("%s.types: name at least one type (e.g. VerifiableId)", at)
		}
		ids[cc.ID] = true
		names := map[string]bool{}
		for j, cl := range cc.Claims {
			if cl.Name == "" || cl.Name == "id" || names[cl.Name] {
				return fmt.Errorf("%s.claims[%d].name: %q is empty, reserved (id is the holder) or repeated", at, j, cl.Name)
			}
			names[cl.Name] = true
			switch {
			case cc.Format != issuer.FormatSDJWT && cl.SD != "":
				return fmt.Errorf("%s.claims[%d].sd: only for dc+sd-jwt", at, j)
			case cl.SD != "" && cl.SD != issuer.SDAlways && cl.SD != issuer.SDNever:
				return fmt.Errorf("%s.claims[%d].sd: %q is not always or never", at, j, cl.SD)
			}
		}
	}
	for i, id := range c.Demo.Configurations {
		if !ids[id] {
			return fmt.Errorf("demo.configurations[%d]: %q is not a credential configuration", i, id)
		}
	}
	return nil
}

// Issuer converts the file's parts into the issuer's Config (without
// identifier, signer, resolver, clock and logger, which cmd wires).
func (c *Config) Issuer() issuer.Config {
	cfg := issuer.Config{
		Display:            c.Display,
		OfferLifetime:      c.Offers.Lifetime.Std(),
		TokenLifetime:      c.Tokens.Lifetime.Std(),
		NonceLifetime:      c.Nonces.Lifetime.Std(),
		CredentialLifetime: c.Credentials.Lifetime.Std(),
		ProofMaxAge:        c.Proofs.MaxAge.Std(),
		ProofClockSkew:     c.Proofs.ClockSkew.Std(),
		MaxTxCodeTries:     c.Offers.TxCodeTries,
		DemoClaims:         c.Demo.Claims,
		DemoConfigurations: c.Demo.Configurations,
		SDJWTIssuer:        c.SDJWT.Iss,
	}
	for _, cc := range c.CredentialConfigurations {
		ic := issuer.Configuration{ID: cc.ID, Format: cc.Format, Scope: cc.Scope, ProofType: cc.ProofType,
			Types: cc.Types, VCT: cc.VCT, Contexts: cc.Contexts, Display: cc.Display, Lifetime: cc.Lifetime.Std()}
		for _, cl := range cc.Claims {
			ic.Claims = append(ic.Claims, issuer.Claim{Name: cl.Name, Mandatory: cl.Mandatory, Display: cl.Display, SD: cl.SD})
		}
		cfg.Configurations = append(cfg.Configurations, ic)
	}
	return cfg
}
