package pex

import (
	"fmt"
	"strings"
)

// Select is the wallet's side: given a definition and the holder's
// credentials, choose which to present and build the presentation_submission
// for one presentation that holds them (descriptor_map entries "$" with
// path_nested "$.verifiableCredential[i]").
//
// A credential is a candidate for an input descriptor when it passes every
// check the verifier makes (Evaluate), with the wallet's DIDs as the holder.
// Then the smallest set of input descriptors that meets the
// submission_requirements (all of them, without requirements) is chosen,
// each answered by one candidate: a credential already chosen is preferred,
// and same_subject directives are honoured. What Select builds, presented
// and signed, passes Evaluate.

// SelectOptions tune Select.
type SelectOptions struct {
	// HolderDIDs are the wallet's DIDs: is_holder needs the subject of a
	// credential to be one of them.
	HolderDIDs []string
	// Status reports a credential's status for constraints.statuses; nil:
	// unknown (a directive that needs it is not met).
	Status StatusFunc
	// PresentationFormat is the format of the presentation the wallet makes;
	// "" means ldp_vp.
	PresentationFormat string
	// PresentationProofType, when set, is checked against the proof_type
	// the definition lists for PresentationFormat.
	PresentationProofType string
	// AllowFullDisclosure lets a credential whose proof cannot disclose
	// selectively answer a descriptor whose limit_disclosure is "required"
	// (the spec asks a wallet to refuse; a verifier may accept it).
	AllowFullDisclosure bool
	// DecodeJWT, when set, lets credentials given as strings (JWT
	// credentials) answer, inside a JWT PresentationFormat (select_jwt.go).
	DecodeJWT JWTDecoder
}

// Selection is what Select chose.
type Selection struct {
	// Credentials go into the presentation's verifiableCredential array,
	// in this order.
	Credentials []SelectedCredential
	// Submission maps each chosen input descriptor to its credential.
	Submission *Submission
	Notes      []Note
}

// SelectedCredential is a credential to present.
type SelectedCredential struct {
	Index         int      // into the credentials given to Select
	Format        string   // its claim format, e.g. ldp_vc
	DescriptorIDs []string // the input descriptors it answers
	// Limited, when the descriptor asks for limit_disclosure and the
	// credential can disclose selectively, is the credential cut down to
	// the claims the descriptor's fields ask for (its proof still the
	// original: the wallet derives a selective-disclosure proof for exactly
	// these claims). Such a copy answers one descriptor only. Nil: present
	// the credential whole.
	Limited map[string]any
}

// candidate is a credential that satisfies a descriptor.
type candidate struct {
	cred   int
	format string
	fields []FieldValue
	notes  []Note
	// view is what the constraints saw of a JWT credential; nil for a
	// linked-data one, which is its own view.
	view map[string]any
}

// maxSearch bounds the subsets and assignments Select tries.
const maxSearch = 1 << 16

// Select chooses among credentials (each the decoded JSON of one credential)
// what the definition asks for. It fails with an *Error: CodeNoMatch when a
// needed input descriptor has no candidate (the reason says, per credential,
// why it does not fit), CodeRequirementNotMet when no choice meets the
// submission_requirements, CodeSameSubject when no assignment meets a
// required same_subject, CodeFormatMismatch when the definition does not
// accept the wallet's presentation format.
func (d *Definition) Select(credentials []any, opts SelectOptions) (*Selection, error) {
	pf := opts.PresentationFormat
	if pf == "" {
		pf = "ldp_vp"
	}
	jwtPF := jwtPresentation(pf) && opts.DecodeJWT != nil
	if spec, ok := formatSpecs[pf]; !jwtPF && (!ok || spec.check == nil || spec.kind&kindPresentation == 0) {
		supported := "ldp_vp, di_vp, ldp, di"
		if opts.DecodeJWT != nil {
			supported += ", jwt_vp_json, jwt_vp, jwt"
		}
		return nil, newError(CodeFormatMismatch, "", "", "presentation format %s is not a supported presentation format (supported: %s)", quote(pf), supported)
	}
	cands := make([][]candidate, len(d.descriptors))
	reasons := make([][]string, len(d.descriptors))
	for i := range d.descriptors {
		desc := &d.descriptors[i]
		if reason := presentationAllowed(desc.formats, pf, opts.PresentationProofType); reason != "" {
			reasons[i] = []string{reason}
			continue
		}
		for j, c := range credentials {
			var (
				cand   candidate
				reason string
			)
			token, isJWT := c.(string)
			switch {
			case isJWT && jwtPF:
				cand, reason = desc.jwtCandidate(j, token, &opts)
			case isJWT:
				reason = "a JWT credential goes in a JWT presentation (jwt_vp_json)"
			case jwtPF:
				reason = "a linked-data credential goes in a linked-data presentation (ldp_vp)"
			default:
				cand, reason = desc.candidate(j, c, &opts)
			}
			if reason != "" {
				reasons[i] = append(reasons[i], fmt.Sprintf("credentials[%d]: %s", j, reason))
				continue
			}
			cands[i] = append(cands[i], cand)
		}
	}
	chosen, err := d.chooseDescriptors(cands, reasons)
	if err != nil {
		return nil, err
	}
	picks, notes, err := d.assign(chosen, cands, credentials)
	if err != nil {
		return nil, err
	}
	return d.buildSelection(chosen, picks, notes, credentials, pf, cands), nil
}

// presentationAllowed checks the wallet's presentation format against a
// descriptor's effective format object.
func presentationAllowed(fs *formatSet, pf, proofType string) string {
	if fs == nil || fs.kinds&kindPresentation == 0 {
		return ""
	}
	des, ok := fs.designations[pf]
	if !ok {
		return fmt.Sprintf("the definition does not accept presentation format %s (allowed: %s)", pf, fs.names())
	}
	if proofType != "" && len(des.ProofType) > 0 && !containsString(des.ProofType, proofType) {
		return fmt.Sprintf("the definition does not accept %s presentations signed with %s (allowed: %s)", pf, proofType, strings.Join(des.ProofType, ", "))
	}
	return ""
}

// candidate checks credential j for the descriptor; the reason is "" when it
// fits.
func (desc *descriptor) candidate(j int, c any, opts *SelectOptions) (candidate, string) {
	cred, isObj := c.(map[string]any)
	if !isObj {
		return candidate{}, "not a JSON object"
	}
	format, reason := credentialFormat(desc.formats, cred)
	if reason != "" {
		return candidate{}, reason
	}
	view := cred
	if desc.limitDisclosure != "" {
		if selective, proof := selectiveProof(cred); selective {
			view = desc.disclosure.limit(cred) // what the wallet will disclose
		} else if desc.limitDisclosure == "required" && !opts.AllowFullDisclosure {
			return candidate{}, fmt.Sprintf("constraints.limit_disclosure is \"required\" and its proof (%s) cannot disclose selectively", proof)
		}
	}
	at := fmt.Sprintf("credentials[%d]", j)
	e := env{holders: opts.HolderDIDs, status: opts.Status}
	if e.holders == nil {
		e.holders = []string{} // not nil: no presentation to read a holder from
	}
	var m Match
	var notes []Note
	if err := desc.checkCredential(view, at, &e, &m, &notes); err != nil {
		return candidate{}, err.Reason
	}
	return candidate{cred: j, format: format, fields: m.Fields, notes: notes}, ""
}

// credentialFormat picks the claim format to declare for cred: the first
// credential format, among those the descriptor allows (any, if it names
// none), that cred is; ldp_vc before di_vc unless cred's proof is a
// DataIntegrityProof.
func credentialFormat(fs *formatSet, cred map[string]any) (string, string) {
	order := []string{"ldp_vc", "ldp", "di_vc", "di"}
	if p, _ := cred["proof"].(map[string]any); p != nil && p["type"] == "DataIntegrityProof" {
		order = []string{"di_vc", "di", "ldp_vc", "ldp"}
	}
	var names []string
	if fs != nil && fs.kinds&kindCredential != 0 {
		for _, n := range order {
			if _, ok := fs.designations[n]; ok {
				names = append(names, n)
			}
		}
		if len(names) == 0 {
			return "", fmt.Sprintf("the descriptor allows only credential formats this package cannot present (%s)", fs.names())
		}
	} else {
		names = order[:1]
	}
	if _, hasProof := cred["proof"]; !hasProof && !namesProofTypes(fs, names) {
		// The wallet's own credential before it is presented: its proof is
		// the wallet's business (and the verifier's); what the definition
		// asks of it is its type.
		if hasType(cred["type"], "VerifiableCredential") {
			return names[0], ""
		}
		return "", "its type does not include VerifiableCredential"
	}
	first := ""
	for _, n := range names {
		reason := checkFormat(fs, n, cred, true)
		if reason == "" {
			return n, ""
		}
		if first == "" {
			first = reason
		}
	}
	return "", first
}

// namesProofTypes reports whether the format object lists proof types for
// one of the formats.
func namesProofTypes(fs *formatSet, names []string) bool {
	if fs == nil {
		return false
	}
	for _, n := range names {
		if len(fs.designations[n].ProofType) > 0 {
			return true
		}
	}
	return false
}

// chooseDescriptors returns the smallest set of descriptors with candidates
// that meets the requirements (every descriptor, without requirements).
func (d *Definition) chooseDescriptors(cands [][]candidate, reasons [][]string) ([]bool, error) {
	n := len(d.descriptors)
	answered := make([]bool, n)
	if d.requirements == nil {
		for i := range cands {
			if len(cands[i]) == 0 {
				return nil, noMatch(d.descriptors[i].id, reasons[i])
			}
			answered[i] = true
		}
		return answered, nil
	}
	var usable []int
	for i := range cands {
		if len(cands[i]) > 0 {
			usable = append(usable, i)
		}
	}
	tries := 0
	for k := 1; k <= len(usable); k++ {
		// Combinations of k usable descriptors, in lexicographic order.
		idx := make([]int, k)
		for i := range idx {
			idx[i] = i
		}
		for {
			clear(answered)
			for _, i := range idx {
				answered[usable[i]] = true
			}
			if d.requirementsMet(answered) {
				return answered, nil
			}
			if tries++; tries > maxSearch {
				break
			}
			p := k - 1
			for p >= 0 && idx[p] == len(usable)-k+p {
				p--
			}
			if p < 0 {
				break
			}
			idx[p]++
			for q := p + 1; q < k; q++ {
				idx[q] = idx[q-1] + 1
			}
		}
		if tries > maxSearch {
			break
		}
	}
	// No choice works; explain with everything the wallet can answer.
	clear(answered)
	for _, i := range usable {
		answered[i] = true
	}
	var why string
	for i := range d.requirements {
		if r := &d.requirements[i]; !r.met(answered) {
			why = r.why(d, answered)
			break
		}
	}
	if why == "" {
		why = "no smaller choice was found within the search limit"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "no choice of the wallet's credentials meets the submission requirements: %s", why)
	for i := range cands {
		if len(cands[i]) == 0 && len(reasons[i]) > 0 {
			fmt.Fprintf(&b, "; input descriptor %s: %s", quote(d.descriptors[i].id), strings.Join(firstN(reasons[i], 3), "; "))
		}
	}
	return nil, newError(CodeRequirementNotMet, "", "", "%s", b.String())
}

func noMatch(id string, reasons []string) *Error {
	why := "there are no credentials"
	if len(reasons) > 0 {
		why = strings.Join(firstN(reasons, 3), "; ")
	}
	return newError(CodeNoMatch, id, "", "no credential satisfies input descriptor %s: %s", quote(id), why)
}

func firstN(list []string, n int) []string {
	if len(list) <= n {
		return list
	}
	return append(list[:n:n], fmt.Sprintf("and %d more", len(list)-n))
}
