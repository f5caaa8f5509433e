package verifier

import (
	"time"

	"github.com/loginwithiota/verifier/ldproof"
	"github.com/loginwithiota/verifier/ldproof/jsonld"
)

// ProofOptions is the proof policy and JSON-LD processing shared by every
// definition (Config.Proofs).
type ProofOptions struct {
	// JSONLD canonicalizes for the RDF-based suites; nil: built-in contexts
	// only, no network.
	JSONLD *jsonld.Processor
	// AllowMissingPurpose accepts proofs without proofPurpose, holding them
	// to the purpose their place needs (identity.rs's older
	// JcsEd25519Signature2020 presentations have none).
	AllowMissingPurpose bool
}

// proofOptions builds the ldproof options of a VP (vp true) or a VC proof.
func (v *Verifier) proofOptions(def *compiled, vp bool, challenge, domain string, now time.Time, precheck bool) ldproof.Options {
	var fp formatPolicy
	if def != nil {
		fp = def.formats
	}
	o := ldproof.Options{
		Purpose:             purposeAssertionMethod,
		AllowMissingPurpose: v.cfg.Proofs.AllowMissingPurpose,
		ProofTypes:          fp.vc,
		Cryptosuites:        fp.vcSuites,
		JSONLD:              v.cfg.Proofs.JSONLD,
		Now:                 now,
		MaxProofs:           v.cfg.Limits.MaxProofs,
		Precheck:            precheck,
	}
	if vp {
		o.Purpose, o.ProofTypes, o.Cryptosuites = purposeAuthentication, fp.vp, fp.vpSuites
		o.Challenge, o.Domain = challenge, domain
	}
	return o
}

// jsonld is the JSON-LD processor in use.
func (v *Verifier) jsonld() *jsonld.Processor {
	if v.cfg.Proofs.JSONLD != nil {
		return v.cfg.Proofs.JSONLD
	}
	return jsonld.Default()
}
