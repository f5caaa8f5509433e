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
	// vpAlgs, vcAlgs are the JWT algs the jwt_vp*/jwt_vc* (and jwt)
	// designations list; empty means any alg jwtvc supports.
	vpAlgs, vcAlgs []string
	// vpAnyAlg, vcAnyAlg: some JWT designation of that kind lists no alg.
	vpAnyAlg, vcAnyAlg bool
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
		for _, name := range []string{"jwt_vp_json", "jwt_vp", "jwt"} {
			if d, ok := f[name]; ok {
				pt.vpAlgs = appendNew(pt.vpAlgs, d.Alg...)
				pt.vpAnyAlg = pt.vpAnyAlg || len(d.Alg) == 0
			}
		}
		for _, name := range []string{"jwt_vc_json", "jwt_vc", "jwt"} {
			if d, ok := f[name]; ok {
				pt.vcAlgs = appendNew(pt.vcAlgs, d.Alg...)
				pt.vcAnyAlg = pt.vcAnyAlg || len(d.Alg) == 0
			}
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
	Alg         []string `json:"alg"`
}

// jwtAlgorithms are the algs a definition accepts for presentation JWTs
// (vp true) or credential JWTs: what its JWT designations list, nil (any
// supported) when none does. Presentation Exchange checks the alg of each
// token its descriptor map names; this holds every token to the same.
func (d *Definition) jwtAlgorithms(vp bool) []string {
	pt := d.proofTypes()
	if vp {
		if pt.vpAnyAlg {
			return nil
		}
		return pt.vpAlgs
	}
	if pt.vcAnyAlg {
		return nil
	}
	return pt.vcAlgs
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
