package issuer

import (
	"fmt"
	"slices"
	"time"
)

// Configuration is one entry of credential_configurations_supported: what
// the issuer can issue under that id.
type Configuration struct {
	// ID is the configuration's key in the metadata and the offer.
	ID string
	// Format is FormatJWTVC, FormatLDPVC or FormatSDJWT.
	Format string
	// Scope is the metadata's scope value (default: ID).
	Scope string
	// Types are credential_definition.type; "VerifiableCredential" is
	// added first when missing. Not for dc+sd-jwt.
	Types []string
	// VCT is an SD-JWT VC's vct (dc+sd-jwt only, required there).
	VCT string
	// Contexts are the credential's @context (ldp_vc: default after the
	// proof type's data model; jwt_vc_json: the VC 1.1 context).
	Contexts []string
	// ProofType is how an ldp_vc is secured: ProofJcsEd25519 (the
	// Login-with-IOTA profile's) or ProofEdDSARDFC (a Data Integrity
	// eddsa-rdfc-2022 proof).
	ProofType string
	// Display is credential_metadata.display (name, locale, description, …).
	Display []map[string]any
	// Claims describe credentialSubject's members, in order.
	Claims []Claim
	// Lifetime of an issued credential (0: the issuer's default).
	Lifetime time.Duration
}

// Claim is one claims description (credential_metadata.claims): a member
// of credentialSubject.
type Claim struct {
	Name      string
	Mandatory bool
	Display   []map[string]any
	// SD is whether a dc+sd-jwt credential makes the claim selectively
	// disclosable: SDAlways (the default) or SDNever (in the clear), the
	// words of SD-JWT VC Type Metadata's sd. Not for the W3C formats.
	SD string
}

// Selective disclosure of a claim (Claim.SD).
const (
	SDAlways = "always"
	SDNever  = "never"
)

// Proof types of ldp_vc configurations.
const (
	ProofJcsEd25519 = "JcsEd25519Signature2020"
	ProofEdDSARDFC  = "eddsa-rdfc-2022"
)

// Credential data model contexts.
const (
	ContextVC11 = "https://www.w3.org/2018/credentials/v1"
	ContextVC20 = "https://www.w3.org/ns/credentials/v2"
)

// normalize fills defaults and checks c against the signer's algorithm.
func (c *Configuration) normalize(alg string) error {
	if c.ID == "" {
		return fmt.Errorf("a credential configuration has no id")
	}
	f, ok := formats[c.Format]
	if !ok {
		return fmt.Errorf("credential configuration %s: format %q is not one this issuer issues (%s, %s, %s)", c.ID, c.Format, FormatJWTVC, FormatLDPVC, FormatSDJWT)
	}
	if c.Scope == "" {
		c.Scope = c.ID
	}
	seen := map[string]bool{}
	for i, cl := range c.Claims {
		if cl.Name == "" || cl.Name == "id" || seen[cl.Name] {
			return fmt.Errorf("credential configuration %s: claim %q is empty, reserved (id is the holder) or repeated", c.ID, cl.Name)
		}
		seen[cl.Name] = true
		if cc, ok := f.(claimChecker); ok {
			if err := cc.checkClaim(cl.Name); err != nil {
				return fmt.Errorf("credential configuration %s: %w", c.ID, err)
			}
		}
		switch {
		case c.Format != FormatSDJWT && cl.SD != "":
			return fmt.Errorf("credential configuration %s: claim %s: sd is for dc+sd-jwt configurations", c.ID, cl.Name)
		case c.Format == FormatSDJWT && cl.SD == "":
			c.Claims[i].SD = SDAlways
		case c.Format == FormatSDJWT && cl.SD != SDAlways && cl.SD != SDNever:
			return fmt.Errorf("credential configuration %s: claim %s: sd %q is not %s or %s", c.ID, cl.Name, cl.SD, SDAlways, SDNever)
		}
	}
	return f.normalize(c, alg)
}

// w3cTypes fills and checks the types of a W3C credential configuration.
func (c *Configuration) w3cTypes() error {
	if c.VCT != "" {
		return fmt.Errorf("credential configuration %s: vct is for dc+sd-jwt configurations", c.ID)
	}
	if !slices.Contains(c.Types, "VerifiableCredential") {
		c.Types = append([]string{"VerifiableCredential"}, c.Types...)
	}
	if len(c.Types) < 2 {
		return fmt.Errorf("credential configuration %s: types must name a type beside VerifiableCredential", c.ID)
	}
	return nil
}
