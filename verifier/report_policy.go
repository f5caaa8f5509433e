package verifier

import (
	"encoding/json"
	"slices"
	"sync"
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

// proofTypes are the proof types (and Data Integrity cryptosuites) a
// definition accepts for presentations and for credentials: the
// definition's format, or any descriptor's, under ldp_vp / ldp_vc (and
// di_vp / di_vc); empty means every registered suite.
type proofTypes struct {
	vp, vc             []string
	vpSuites, vcSuites []string
}

var proofTypesCache sync.Map // *pex.Definition → proofTypes

func (d *Definition) proofTypes() proofTypes {
	if d == nil || d.PEX == nil {
		return proofTypes{}
	}
	if pt, ok := proofTypesCache.Load(d.PEX); ok {
		return pt.(proofTypes)
	}
	var raw struct {
		Format           map[string]formatEntry `json:"format"`
		InputDescriptors []struct {
			Format map[string]formatEntry `json:"format"`
		} `json:"input_descriptors"`
	}
	_ = json.Unmarshal(d.PEX.JSON(), &raw)
	var pt proofTypes
	add := func(f map[string]formatEntry) {
		for _, name := range []string{"ldp_vp", "di_vp"} {
			pt.vp = appendNew(pt.vp, f[name].ProofType...)
			pt.vpSuites = appendNew(pt.vpSuites, f[name].Cryptosuite...)
		}
		for _, name := range []string{"ldp_vc", "di_vc", "ldp"} {
			pt.vc = appendNew(pt.vc, f[name].ProofType...)
			pt.vcSuites = appendNew(pt.vcSuites, f[name].Cryptosuite...)
		}
	}
	add(raw.Format)
	for _, id := range raw.InputDescriptors {
		add(id.Format)
	}
	proofTypesCache.Store(d.PEX, pt)
	return pt
}

// formatEntry is a PEX claim format designation for linked-data proofs.
type formatEntry struct {
	ProofType   []string `json:"proof_type"`
	Cryptosuite []string `json:"cryptosuite"`
}

func appendNew(list []string, items ...string) []string {
	for _, it := range items {
		if !slices.Contains(list, it) {
			list = append(list, it)
		}
	}
	return list
}

// proofOptions builds the ldproof options of a VP (vp true) or a VC proof.
func (v *Verifier) proofOptions(def *Definition, vp bool, challenge, domain string, now time.Time) ldproof.Options {
	pt := def.proofTypes()
	o := ldproof.Options{
		Purpose:             purposeAssertionMethod,
		AllowMissingPurpose: v.cfg.Proofs.AllowMissingPurpose,
		ProofTypes:          pt.vc,
		Cryptosuites:        pt.vcSuites,
		JSONLD:              v.cfg.Proofs.JSONLD,
		Now:                 now,
	}
	if vp {
		o.Purpose, o.ProofTypes, o.Cryptosuites = purposeAuthentication, pt.vp, pt.vpSuites
		o.Challenge, o.Domain = challenge, domain
	}
	return o
}
