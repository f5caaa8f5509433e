package pex

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// formatKind says what a Claim Format Designation describes: a credential, a
// presentation (an envelope of credentials), or either (the generic "ldp",
// "jwt", "di").
type formatKind uint8

const (
	kindCredential formatKind = 1 << iota
	kindPresentation
)

// formatSpec is what this package knows of a designation: its kind, and how
// to recognise an object of that format (nil: not supported here yet; adding
// a format is adding a row and a check).
type formatSpec struct {
	kind  formatKind
	check func(v any) string // "" when v is of the format, else why not
}

var formatSpecs = map[string]formatSpec{
	"ldp_vp": {kindPresentation, checkLinkedData("VerifiablePresentation")},
	"ldp_vc": {kindCredential, checkLinkedData("VerifiableCredential")},
	"di_vp":  {kindPresentation, checkLinkedData("VerifiablePresentation")},
	"di_vc":  {kindCredential, checkLinkedData("VerifiableCredential")},
	"ldp":    {kindCredential | kindPresentation, checkLinkedData("")},
	"di":     {kindCredential | kindPresentation, checkLinkedData("")},

	// JWT formats: checked by checkJWT when the evaluation has a JWT
	// decoder (jwt.go), else refused as unsupported.
	"jwt":         {kindCredential | kindPresentation, nil},
	"jwt_vc":      {kindCredential, nil},
	"jwt_vc_json": {kindCredential, nil},
	"jwt_vp":      {kindPresentation, nil},
	"jwt_vp_json": {kindPresentation, nil},

	// Registered, not supported by this verifier: the wallet is told so.
	"vc+sd-jwt": {kindCredential, nil},
	"mso_mdoc":  {kindCredential, nil},
	"ac_vc":     {kindCredential, nil},
	"ac_vp":     {kindPresentation, nil},
}

// kindOf classifies a designation; one this package does not know is
// classified by the registry's naming habit.
func kindOf(format string) formatKind {
	if s, ok := formatSpecs[format]; ok {
		return s.kind
	}
	switch {
	case strings.HasSuffix(format, "_vp"):
		return kindPresentation
	case strings.HasSuffix(format, "_vc"):
		return kindCredential
	}
	return kindCredential | kindPresentation
}

// designation is the value of one key of a format object, e.g.
// {"proof_type": ["JcsEd25519Signature2020"]}.
type designation struct {
	ProofType   []string `json:"proof_type"`
	Alg         []string `json:"alg"`
	Cryptosuite []string `json:"cryptosuite"`
}

// formatSet is a compiled format object (definition- or descriptor-level).
type formatSet struct {
	designations map[string]designation
	kinds        formatKind // kinds for which the set declares at least one format
}

func parseFormats(raw json.RawMessage) (*formatSet, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("format must be an object keyed by claim format designations: %w", err)
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("format must name at least one claim format designation")
	}
	fs := &formatSet{designations: make(map[string]designation, len(m))}
	for name, v := range m {
		var d designation
		if err := json.Unmarshal(v, &d); err != nil {
			return nil, fmt.Errorf("format.%s must be an object with arrays of strings (proof_type, alg): %w", name, err)
		}
		fs.designations[name] = d
		fs.kinds |= kindOf(name)
	}
	return fs, nil
}

// names lists the designations, sorted, for messages.
func (fs *formatSet) names() string {
	names := make([]string, 0, len(fs.designations))
	for n := range fs.designations {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// checkFormat checks one level of a descriptor-map entry: format is the
// entry's format, v the object its path found, innermost whether this is the
// credential (the end of the path_nested chain). allowed is the effective
// format object (the descriptor's, else the definition's; nil if neither
// declares one). It returns "" or the reason of the mismatch.
//
// A format object constrains only the kinds it names: {"ldp_vc": ...}
// constrains the credential and leaves the presentation envelope free, and
// {"ldp_vp": ...} the reverse. That is how the profile's example (an ldp_vc
// descriptor answered with an ldp_vp envelope) and a definition-level ldp_vp
// format both read as intended.
func checkFormat(allowed *formatSet, format string, v any, innermost bool) string {
	spec, known := formatSpecs[format]
	if !known || spec.check == nil {
		return unsupportedFormat(format, false)
	}
	if reason := checkNesting(format, spec.kind, innermost); reason != "" {
		return reason
	}
	if reason := spec.check(v); reason != "" {
		return fmt.Sprintf("the object is not %s: %s", format, reason)
	}
	d, ok, reason := allowedDesignation(allowed, format, spec)
	if reason != "" {
		return reason
	}
	if ok && len(d.ProofType) > 0 {
		if reason := checkProofTypes(v, d.ProofType); reason != "" {
			return fmt.Sprintf("%s (allowed for %s: %s)", reason, format, strings.Join(d.ProofType, ", "))
		}
	}
	if ok && len(d.Cryptosuite) > 0 {
		if reason := checkCryptosuites(v, d.Cryptosuite); reason != "" {
			return fmt.Sprintf("%s (allowed for %s: %s)", reason, format, strings.Join(d.Cryptosuite, ", "))
		}
	}
	return ""
}

// unsupportedFormat says that format is not one this evaluation can check;
// jwt tells whether JWT formats are (a JWT decoder was given).
func unsupportedFormat(format string, jwt bool) string {
	supported := "ldp_vp, ldp_vc, di_vp, di_vc, ldp, di"
	if jwt {
		supported += ", jwt_vp_json, jwt_vc_json, jwt_vp, jwt_vc, jwt"
	}
	return fmt.Sprintf("format %s is not supported by this verifier (supported: %s)", quote(format), supported)
}

// checkNesting: a presentation format cannot be the innermost level, a
// credential format cannot hold a path_nested.
func checkNesting(format string, kind formatKind, innermost bool) string {
	if innermost && kind&kindCredential == 0 {
		return fmt.Sprintf("format %s describes a presentation; the innermost path_nested must point to the credential", format)
	}
	if !innermost && kind&kindPresentation == 0 {
		return fmt.Sprintf("format %s describes a credential; only a presentation can hold a path_nested", format)
	}
	return ""
}

// allowedDesignation checks format against the effective format object and
// returns its designation there, if it has one.
func allowedDesignation(allowed *formatSet, format string, spec formatSpec) (designation, bool, string) {
	if allowed == nil {
		return designation{}, false, ""
	}
	d, ok := allowed.designations[format]
	if !ok && allowed.kinds&spec.kind != 0 {
		return d, false, fmt.Sprintf("format %s is not allowed by the presentation definition (allowed: %s)", format, allowed.names())
	}
	return d, ok, ""
}

// checkCryptosuites requires every Data Integrity proof of v to use one of
// the listed cryptosuites (di, di_vc, di_vp designations).
func checkCryptosuites(v any, allowed []string) string {
	obj, _ := v.(map[string]any)
	proofs, _ := obj["proof"].([]any)
	if p, isObj := obj["proof"].(map[string]any); isObj {
		proofs = []any{p}
	}
	for _, e := range proofs {
		pm, _ := e.(map[string]any)
		if pm["type"] != "DataIntegrityProof" {
			continue
		}
		suite, _ := pm["cryptosuite"].(string)
		if !slices.Contains(allowed, suite) {
			return fmt.Sprintf("cryptosuite %s is not allowed", quote(suite))
		}
	}
	return ""
}

// checkLinkedData recognises a JSON-LD object secured with a proof (or a proof
// set): an object with a "proof", and, unless wantType is empty, whose "type"
// includes wantType.
func checkLinkedData(wantType string) func(v any) string {
	return func(v any) string {
		obj, isObj := v.(map[string]any)
		if !isObj {
			return "not a JSON object"
		}
		if wantType != "" && !hasType(obj["type"], wantType) {
			return "its type does not include " + wantType
		}
		switch p := obj["proof"].(type) {
		case map[string]any:
			if _, ok := p["type"].(string); !ok {
				return "its proof has no type"
			}
		case []any:
			if len(p) == 0 {
				return "its proof set is empty"
			}
			for _, e := range p {
				pm, isObj := e.(map[string]any)
				if !isObj {
					return "its proof set holds a non-object"
				}
				if _, ok := pm["type"].(string); !ok {
					return "a proof of its proof set has no type"
				}
			}
		default:
			return "it has no proof"
		}
		return ""
	}
}

// hasType reports whether a JSON-LD "type" (a string or an array of strings)
// includes want.
func hasType(t any, want string) bool {
	switch t := t.(type) {
	case string:
		return t == want
	case []any:
		return slices.Contains(t, any(want))
	}
	return false
}

// checkProofTypes requires the type of every proof of v to be listed.
// checkLinkedData has already established that v has well-formed proofs.
func checkProofTypes(v any, allowed []string) string {
	obj, _ := v.(map[string]any)
	switch p := obj["proof"].(type) {
	case map[string]any:
		return proofTypeAllowed(p, allowed)
	case []any:
		for _, e := range p {
			pm, _ := e.(map[string]any)
			if reason := proofTypeAllowed(pm, allowed); reason != "" {
				return reason
			}
		}
	}
	return ""
}

func proofTypeAllowed(proof map[string]any, allowed []string) string {
	t, _ := proof["type"].(string)
	if slices.Contains(allowed, t) {
		return ""
	}
	return fmt.Sprintf("proof type %s is not allowed", quote(t))
}
