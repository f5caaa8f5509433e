package dcql

import (
	"fmt"
	"slices"
)

// Options tune Evaluate beyond what the specification requires.
type Options struct {
	// StrictDisclosure refuses a presentation that selectively discloses a
	// claim its query did not ask for (Credential.Disclosed). Off, such a
	// claim is accepted and left out of Match.Claims.
	StrictDisclosure bool
	// RequireTrustedAuthorities refuses a presentation whose
	// Credential.Authorities match none of its query's
	// trusted_authorities. Off (the default), trusted_authorities is what
	// §6.1 makes it, a hint to the wallet ("SHOULD match"; "Verifiers must
	// verify that the issuer of a received presentation is trusted on
	// their own").
	RequireTrustedAuthorities bool
}

// Result is what a vp_token satisfies of a query.
type Result struct {
	// Matches are the presentations, in query order, then vp_token order.
	Matches []Match
	// Sets has one entry per credential_sets entry, nil without them.
	Sets []SetResult
}

// Match is one presentation that satisfies its credential query.
type Match struct {
	QueryID string // the credential query (the vp_token key)
	Index   int    // its position in vp_token[QueryID]
	// ClaimSet is the index of the first claim_sets option it satisfies,
	// -1 when the query has no claim_sets.
	ClaimSet int
}

// SetResult says which option of a credential set is presented.
type SetResult struct {
	Required bool
	// Option is the first option all of whose credential queries are
	// presented, -1 for none (only for an optional set).
	Option int
}

// Evaluate decides whether vpToken (credential query id → presentations,
// decoded and verified by the caller) answers q, failing closed (§6.4.2:
// "Credentials not matching the respective constraints expressed within
// credentials MUST NOT be returned"; §14.1.6 the Verifier "MUST perform
// its own security checks"):
//
//   - a key that is no credential query id is refused;
//   - an empty array, or more than one presentation for a query without
//     multiple, is refused (§8.1: "When multiple is omitted, or set to
//     false, the array MUST contain only one Presentation");
//   - every presentation must match its query (format, meta, holder
//     binding, claims and values, claim_sets), or the whole vp_token is
//     refused; a format whose meta this package does not know (other
//     than dc+sd-jwt, vc+sd-jwt, jwt_vc_json, ldp_vc, mso_mdoc) matches
//     nothing;
//   - without credential_sets every credential query must be answered;
//     with them every required set must have an option presented in
//     full, and every presented query must belong to a presented option.
func (q *Query) Evaluate(vpToken map[string][]Credential, opts Options) (*Result, error) {
	keys := make([]string, 0, len(vpToken))
	for k := range vpToken {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if q.ByID(k) == nil {
			return nil, newError(CodeUnknownQuery, "vp_token", "%q is not a credential query of this request", clip(k))
		}
	}
	res := &Result{}
	for i := range q.Credentials {
		cq := &q.Credentials[i]
		pres, ok := vpToken[cq.ID]
		if !ok {
			continue
		}
		member := "vp_token." + cq.ID
		switch {
		case len(pres) == 0:
			return nil, newError(CodeMalformedVPToken, member, "an empty array (§8.1: an array of one or more presentations)")
		case len(pres) > 1 && !cq.Multiple:
			return nil, newError(CodeMultiple, member, "%d presentations for a credential query without multiple", len(pres))
		}
		for j := range pres {
			set, err := matchCredential(cq, &pres[j], opts, fmt.Sprintf("%s[%d]", member, j))
			if err != nil {
				return nil, err
			}
			res.Matches = append(res.Matches, Match{QueryID: cq.ID, Index: j, ClaimSet: set})
		}
	}
	if err := q.checkSets(vpToken, res); err != nil {
		return nil, err
	}
	return res, nil
}

// checkSets is §6.4.2 "Selecting Credentials".
func (q *Query) checkSets(vpToken map[string][]Credential, res *Result) error {
	presented := func(id string) bool { _, ok := vpToken[id]; return ok }
	if q.CredentialSets == nil {
		// "If credential_sets is not provided, the Verifier requests
		// presentations for all Credentials in credentials to be returned."
		for _, cq := range q.Credentials {
			if !presented(cq.ID) {
				return newError(CodeMissing, "vp_token", "credential query %q has no presentation", cq.ID)
			}
		}
		return nil
	}
	// "To satisfy a Credential Set Query, the Wallet MUST return
	// presentations of a set of Credentials that match to one of the
	// options inside the Credential Set Query."
	covered := map[string]bool{}
	for i, cs := range q.CredentialSets {
		sr := SetResult{Required: cs.Required, Option: -1}
		for o, opt := range cs.Options {
			if !slices.ContainsFunc(opt, func(id string) bool { return !presented(id) }) {
				if sr.Option < 0 {
					sr.Option = o
				}
				for _, id := range opt {
					covered[id] = true
				}
			}
		}
		// "If the Wallet cannot deliver all non-optional Credentials
		// requested by the Verifier according to these rules, it MUST NOT
		// return any Credential(s)."
		if cs.Required && sr.Option < 0 {
			return newError(CodeCredentialSets, fmt.Sprintf("credential_sets[%d]", i), "no option is presented in full")
		}
		res.Sets = append(res.Sets, sr)
	}
	for _, cq := range q.Credentials {
		if presented(cq.ID) && !covered[cq.ID] {
			return newError(CodeNotRequested, "vp_token."+cq.ID, "no credential set option presented in full asks for it")
		}
	}
	return nil
}
