package issuer

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"slices"
	"time"

	"github.com/loginwithiota/verifier/ldproof"
)

// ldpVCFormat is ldp_vc (§A.1.2): a credential secured with a linked-data
// proof, "a JSON object" in the response, "MUST NOT be re-encoded".
// JcsEd25519Signature2020 credentials follow VC Data Model 1.1 as the
// Login-with-IOTA profile does; eddsa-rdfc-2022 ones VC Data Model 2.0,
// whose context defines the Data Integrity terms, with the undefined-terms
// context beside it so RDF canonicalization keeps every claim.
type ldpVCFormat struct{}

// ContextDataIntegrity defines DataIntegrityProof for VC 1.1 documents;
// ContextUndefinedTerms maps terms no other context defines.
const (
	ContextDataIntegrity  = "https://w3id.org/security/data-integrity/v2"
	ContextUndefinedTerms = "https://www.w3.org/ns/credentials/undefined-terms/v2"
)

func (ldpVCFormat) normalize(c *Configuration, alg string) error {
	if err := c.w3cTypes(); err != nil {
		return err
	}
	switch c.ProofType {
	case "":
		c.ProofType = ProofJcsEd25519
	case ProofJcsEd25519, ProofEdDSARDFC:
	default:
		return fmt.Errorf("credential configuration %s: proof_type %q is not one this issuer signs (%s, %s)", c.ID, c.ProofType, ProofJcsEd25519, ProofEdDSARDFC)
	}
	if alg != AlgEdDSA {
		return fmt.Errorf("credential configuration %s: %s needs an Ed25519 issuer key, the key is %s", c.ID, c.ProofType, alg)
	}
	if len(c.Contexts) == 0 {
		c.Contexts = []string{ContextVC11}
		if c.ProofType == ProofEdDSARDFC {
			// The VC 2.0 context defines no vocabulary for claims it does
			// not know; the W3C's undefined-terms context gives them one,
			// so canonicalization keeps them (and verifiers have it built in).
			c.Contexts = []string{ContextVC20, ContextUndefinedTerms}
		}
	}
	if c.Contexts[0] != ContextVC11 && c.Contexts[0] != ContextVC20 {
		return fmt.Errorf("credential configuration %s: the first context must be %s or %s", c.ID, ContextVC11, ContextVC20)
	}
	if c.ProofType == ProofEdDSARDFC && c.Contexts[0] == ContextVC11 && !slices.Contains(c.Contexts, ContextDataIntegrity) {
		c.Contexts = append(c.Contexts, ContextDataIntegrity)
	}
	return nil
}

// metadata: "credential_definition: REQUIRED ... @context: REQUIRED ...
// type: REQUIRED"; algs "SHOULD be one of those signature suite
// identifiers" (a cryptosuite name for Data Integrity).
func (ldpVCFormat) metadata(c *Configuration, _ string, entry map[string]any) {
	entry["credential_definition"] = map[string]any{"@context": stringsAny(c.Contexts), "type": stringsAny(c.Types)}
	entry["credential_signing_alg_values_supported"] = []any{c.ProofType}
}

func (ldpVCFormat) claimPath(name string) []any { return []any{"credentialSubject", name} }

func (ldpVCFormat) issue(_ context.Context, in *issueInput) (any, error) {
	c := in.config
	vc := map[string]any{
		"@context":          stringsAny(c.Contexts),
		"id":                credentialID(),
		"type":              stringsAny(c.Types),
		"issuer":            in.signer.DID,
		"credentialSubject": in.subject(),
	}
	from, until := in.now.UTC().Format(time.RFC3339), in.now.Add(in.lifetime).UTC().Format(time.RFC3339)
	if c.Contexts[0] == ContextVC20 {
		vc["validFrom"], vc["validUntil"] = from, until
	} else {
		vc["issuanceDate"], vc["expirationDate"] = from, until
	}
	proof := map[string]any{
		"verificationMethod": in.signer.KeyID,
		"proofPurpose":       "assertionMethod",
		"created":            from,
	}
	priv, ok := in.signer.Key.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("ldp_vc: %s needs an Ed25519 key", c.ProofType)
	}
	if c.ProofType == ProofJcsEd25519 {
		return ldproof.SignJcsEd25519(vc, proof, priv)
	}
	proof["type"] = ldproof.TypeDataIntegrityProof
	proof["cryptosuite"] = ldproof.CryptosuiteEdDSARDFC
	return ldproof.Sign(vc, proof, priv, nil)
}
