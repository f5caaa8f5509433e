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
	// Format is FormatJWTVC or FormatLDPVC.
	Format string
	// Scope is the metadata's scope value (default: ID).
	Scope string
	// Types are credential_definition.type; "VerifiableCredential" is
	// added first when missing.
	Types []string
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
}

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
		return fmt.Errorf("credential configuration %s: format %q is not one this issuer issues (%s, %s)", c.ID, c.Format, FormatJWTVC, FormatLDPVC)
	}
	if c.Scope == "" {
		c.Scope = c.ID
	}
	if !slices.Contains(c.Types, "VerifiableCredential") {
		c.Types = append([]string{"VerifiableCredential"}, c.Types...)
	}
	if len(c.Types) < 2 {
		return fmt.Errorf("credential configuration %s: types must name a type beside VerifiableCredential", c.ID)
	}
	seen := map[string]bool{}
	for _, cl := range c.Claims {
		if cl.Name == "" || cl.Name == "id" || seen[cl.Name] {
			return fmt.Errorf("credential configuration %s: claim %q is empty, reserved (id is the holder) or repeated", c.ID, cl.Name)
		}
		seen[cl.Name] = true
	}
	return f.normalize(c, alg)
}
