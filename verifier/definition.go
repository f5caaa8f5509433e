package verifier

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/loginwithiota/verifier/dcql"
	"github.com/loginwithiota/verifier/jwtvc"
	"github.com/loginwithiota/verifier/ldproof"
	"github.com/loginwithiota/verifier/pex"
)

// Definition is what a login asks for, with our policy beside it: a
// Presentation Exchange definition (draft-20, profile-2022), a DCQL query
// (OID4VP 1.0), or both for the same credential, each request carrying
// the one its dialect reads and each answer matched by the one its
// request carried.
type Definition struct {
	// ID names it; empty: PEX's id.
	ID string
	// PEX is nil for a definition that is only a DCQL query.
	PEX *pex.Definition
	// DCQL is its DCQL query, nil when it has none; DCQLJSON the query as
	// the requests carry it.
	DCQL     *dcql.Query
	DCQLJSON json.RawMessage
	// TrustedIssuers, when non-empty, lists the only issuer DIDs accepted.
	TrustedIssuers []string
	// AllowWarnings starts the service although the definition has
	// warnings: a JSON Schema keyword the filters do not know (a typo
	// such as "minimun" makes a constraint vanish), an unknown proof type,
	// cryptosuite or alg in a format. Off: New refuses the definition.
	AllowWarnings bool
	// Protocols are the request dialects a login on it may ask for, its
	// default first (dialect.go); empty: Config.Protocols.
	Protocols []string
}

// compiled is a definition ready for answers: its query and its format
// policy read once, at start.
type compiled struct {
	Definition
	// query is the PEX query (nil without PEX), dcql the DCQL one (nil
	// without DCQL).
	query   query
	dcql    *dcqlQuery
	formats formatPolicy
	dialects
}

// formatPolicy is what a definition's formats accept for presentations and
// for credentials: the definition's format, or any descriptor's, under
// ldp_vp / ldp_vc (and di_vp / di_vc); empty lists mean every registered
// suite, or every alg jwtvc supports.
type formatPolicy struct {
	vp, vc             []string // proof types
	vpSuites, vcSuites []string // Data Integrity cryptosuites
	vpAlgs, vcAlgs     []string // JWT algs; nil: any supported
}

// formatEntry is a PEX claim format designation.
type formatEntry struct {
	ProofType   []string `json:"proof_type"`
	Cryptosuite []string `json:"cryptosuite"`
	Alg         []string `json:"alg"`
}

// Format designations by what they secure.
var (
	ldpVPFormats = []string{"ldp_vp", "di_vp"}
	ldpVCFormats = []string{"ldp_vc", "di_vc", "ldp"}
	jwtVPFormats = []string{"jwt_vp_json", "jwt_vp", "jwt"}
	jwtVCFormats = []string{"jwt_vc_json", "jwt_vc", "jwt"}
)

// compile reads d's formats and checks them against what this build
// supports; with warnings (pex's, and unknown proof types or algs) it
// fails unless d.AllowWarnings.
func compile(d Definition, strictDisclosure bool) (*compiled, error) {
	var dq *dcqlQuery
	if d.DCQL != nil {
		dq = &dcqlQuery{q: d.DCQL, strict: strictDisclosure}
	}
	if d.PEX == nil {
		return &compiled{Definition: d, dcql: dq}, nil
	}
	var raw struct {
		Format           map[string]formatEntry `json:"format"`
		InputDescriptors []struct {
			Format map[string]formatEntry `json:"format"`
		} `json:"input_descriptors"`
	}
	if err := json.Unmarshal(d.PEX.JSON(), &raw); err != nil {
		return nil, fmt.Errorf("presentation definition %q: format: %w", d.PEX.ID(), err)
	}
	warnings := d.PEX.Warnings()
	var fp formatPolicy
	anyVPAlg, anyVCAlg := false, false
	add := func(where string, f map[string]formatEntry) {
		for _, name := range slices.Sorted(maps.Keys(f)) {
			e := f[name]
			warnings = append(warnings, unknownIn(where+"."+name, e)...)
			switch {
			case slices.Contains(ldpVPFormats, name):
				fp.vp, fp.vpSuites = appendNew(fp.vp, e.ProofType...), appendNew(fp.vpSuites, e.Cryptosuite...)
			case slices.Contains(ldpVCFormats, name):
				fp.vc, fp.vcSuites = appendNew(fp.vc, e.ProofType...), appendNew(fp.vcSuites, e.Cryptosuite...)
			}
			if slices.Contains(jwtVPFormats, name) {
				fp.vpAlgs, anyVPAlg = appendNew(fp.vpAlgs, e.Alg...), anyVPAlg || len(e.Alg) == 0
			}
			if slices.Contains(jwtVCFormats, name) {
				fp.vcAlgs, anyVCAlg = appendNew(fp.vcAlgs, e.Alg...), anyVCAlg || len(e.Alg) == 0
			}
		}
	}
	add("format", raw.Format)
	for i, id := range raw.InputDescriptors {
		add(fmt.Sprintf("input_descriptors[%d].format", i), id.Format)
	}
	if anyVPAlg {
		fp.vpAlgs = nil
	}
	if anyVCAlg {
		fp.vcAlgs = nil
	}
	if len(warnings) > 0 && !d.AllowWarnings {
		return nil, fmt.Errorf("presentation definition %q: %s (fix it, or set allow_warnings: true on the definition to accept it as it is)",
			d.PEX.ID(), strings.Join(warnings, "; "))
	}
	return &compiled{Definition: d, query: pexQuery{def: d.PEX}, dcql: dq, formats: fp}, nil
}

// unknownIn names the proof types, cryptosuites and algs of a designation
// that this build does not verify: accepting them would make the
// constraint silently accept nothing, or be ignored.
func unknownIn(where string, e formatEntry) []string {
	types, suites := supportedProofs()
	var out []string
	for _, t := range e.ProofType {
		if !slices.Contains(types, t) {
			out = append(out, fmt.Sprintf("%s.proof_type: %q is not a supported proof type (supported: %s)", where, t, strings.Join(types, ", ")))
		}
	}
	for _, c := range e.Cryptosuite {
		if !slices.Contains(suites, c) {
			out = append(out, fmt.Sprintf("%s.cryptosuite: %q is not a supported cryptosuite (supported: %s)", where, c, strings.Join(suites, ", ")))
		}
	}
	for _, a := range e.Alg {
		if a != jwtvc.AlgEdDSA && a != jwtvc.AlgES256 {
			out = append(out, fmt.Sprintf("%s.alg: %q is not a supported algorithm (supported: %s, %s)", where, a, jwtvc.AlgEdDSA, jwtvc.AlgES256))
		}
	}
	return out
}

// supportedProofs splits ldproof's registry into proof types and
// cryptosuites.
func supportedProofs() (types, suites []string) {
	for _, s := range ldproof.Supported() {
		t, c, ok := strings.Cut(s, "/")
		types = appendNew(types, t)
		if ok {
			suites = appendNew(suites, c)
		}
	}
	return types, suites
}

// jwtAlgorithms are the algs accepted for presentation JWTs (vp true) or
// credential JWTs; nil means any supported.
func (d *compiled) jwtAlgorithms(vp bool) []string {
	if d == nil {
		return nil
	}
	if vp {
		return d.formats.vpAlgs
	}
	return d.formats.vcAlgs
}

func (d *compiled) id() string {
	if d == nil {
		return ""
	}
	return d.ID
}

func appendNew(list []string, items ...string) []string {
	for _, it := range items {
		if !slices.Contains(list, it) {
			list = append(list, it)
		}
	}
	return list
}
