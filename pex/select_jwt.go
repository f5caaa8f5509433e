package pex

import (
	"fmt"
	"slices"
	"strings"
)

// Selecting JWT credentials (jwt_vc_json, jwt_vc, jwt) for a JWT
// presentation (jwt_vp_json, jwt_vp), when SelectOptions.DecodeJWT is set:
// a credential given as a string is decoded and matched on the view
// Evaluate gives the verifier (jwt.go), and the submission points into the
// presentation's vp claim ("$.vp.verifiableCredential[i]", OID4VP's
// examples). Linked-data and JWT credentials do not mix: each kind goes in
// a presentation of its own kind.

// jwtCredentialFormats are the JWT credential designations in the order a
// wallet declares them.
var jwtCredentialFormats = []string{"jwt_vc_json", "jwt_vc", "jwt"}

// jwtPresentation reports whether pf is a JWT presentation format.
func jwtPresentation(pf string) bool { return pf == "jwt_vp_json" || pf == "jwt_vp" || pf == "jwt" }

// jwtCandidate checks the JWT credential token for desc.
func (desc *descriptor) jwtCandidate(j int, token string, opts *SelectOptions) (candidate, string) {
	jwt, err := opts.DecodeJWT(token)
	if err != nil || jwt == nil || jwt.Claims == nil {
		return candidate{}, "not a JWT credential (it does not decode)"
	}
	view, reason := jwt.View, ""
	if view == nil {
		if view, reason = credentialView(jwt.Claims); reason != "" {
			return candidate{}, reason
		}
	}
	format, reason := jwtCredentialFormat(desc.formats, jwt.Alg)
	if reason != "" {
		return candidate{}, reason
	}
	if desc.limitDisclosure == "required" && !opts.AllowFullDisclosure {
		return candidate{}, "constraints.limit_disclosure is \"required\" and a JWT credential cannot disclose selectively"
	}
	e := env{holders: opts.HolderDIDs, status: opts.Status}
	if e.holders == nil {
		e.holders = []string{}
	}
	var m Match
	var notes []Note
	if err := desc.checkCredential(view, fmt.Sprintf("credentials[%d]", j), &e, &m, &notes); err != nil {
		return candidate{}, err.Reason
	}
	return candidate{cred: j, format: format, fields: m.Fields, notes: notes, view: view}, ""
}

// jwtCredentialFormat picks the JWT credential format to declare: the
// first the descriptor allows (jwt_vc_json when it names none), whose alg
// list, if any, has the token's alg.
func jwtCredentialFormat(fs *formatSet, alg string) (string, string) {
	if fs == nil || fs.kinds&kindCredential == 0 {
		return jwtCredentialFormats[0], ""
	}
	var reasons []string
	for _, f := range jwtCredentialFormats {
		d, ok := fs.designations[f]
		if !ok {
			continue
		}
		if len(d.Alg) > 0 && !slices.Contains(d.Alg, alg) {
			reasons = append(reasons, fmt.Sprintf("alg %s is not allowed for %s (allowed: %s)", quote(alg), f, strings.Join(d.Alg, ", ")))
			continue
		}
		return f, ""
	}
	if len(reasons) > 0 {
		return "", reasons[0]
	}
	return "", fmt.Sprintf("the descriptor allows no JWT credential format (allowed: %s)", fs.names())
}
