package dcql

import (
	"fmt"
	"slices"
)

// matchCredential checks one presentation against its credential query
// and returns the claim set it satisfies (-1: the query has no
// claim_sets). member names the presentation ("vp_token.pid[0]").
func matchCredential(cq *CredentialQuery, c *Credential, opts Options, member string) (int, error) {
	// §6.1 format: "A string that specifies the format of the requested
	// Credential."
	if c.Format != cq.Format {
		return -1, newError(CodeFormat, member, "a %s presentation for a %s credential query", clip(c.Format), cq.Format)
	}
	if err := matchMeta(cq, c, member); err != nil {
		return -1, err
	}
	// §6.1: "require_cryptographic_holder_binding … The default value is
	// true, i.e., a Verifiable Presentation with Cryptographic Holder
	// Binding is required."
	if cq.RequireCryptographicHolderBinding && !c.HolderBound {
		return -1, newError(CodeHolderBinding, member, "credential query %q requires cryptographic holder binding", cq.ID)
	}
	if opts.RequireTrustedAuthorities && len(cq.TrustedAuthorities) > 0 && !matchAuthorities(cq.TrustedAuthorities, c.Authorities) {
		return -1, newError(CodeTrustedAuthority, member, "the issuer matches none of the trusted_authorities of %q", cq.ID)
	}
	set, err := matchClaims(cq, c, member)
	if err != nil {
		return -1, err
	}
	if opts.StrictDisclosure {
		if err := checkDisclosed(cq, set, c, member); err != nil {
			return -1, err
		}
	}
	return set, nil
}

func matchMeta(cq *CredentialQuery, c *Credential, member string) error {
	switch cq.Format {
	case FormatSDJWTVC, FormatSDJWTVCLegacy:
		// B.3.5 vct_values: "specifies allowed values for the type of the
		// requested Verifiable Credential". Matched exactly, vct or one of
		// aka_vcts; Type Metadata inheritance is not followed.
		if slices.Contains(cq.Meta.VCTValues, c.VCT) {
			return nil
		}
		for _, t := range c.AKAVCTs {
			if slices.Contains(cq.Meta.VCTValues, t) {
				return nil
			}
		}
		return newError(CodeMeta, member, "the vct is none of the vct_values of %q", cq.ID)
	case FormatJWTVC, FormatLDPVC:
		// B.1.1: "Each inner array specifies a set of fully expanded types
		// that MUST be present in the fully expanded types in the type
		// property of the Verifiable Credential, regardless of order or the
		// presence of additional types."
		for _, alt := range cq.Meta.TypeValues {
			all := true
			for _, t := range alt {
				if !slices.Contains(c.Types, t) {
					all = false
					break
				}
			}
			if all {
				return nil
			}
		}
		return newError(CodeMeta, member, "the types match no type_values alternative of %q", cq.ID)
	case FormatMDoc:
		if c.Doctype != cq.Meta.DoctypeValue {
			return newError(CodeMeta, member, "the doctype is not the doctype_value of %q", cq.ID)
		}
		return nil
	}
	// A format whose meta this package cannot read: its type constraints
	// cannot be checked, so nothing is accepted for it (fail closed).
	return newError(CodeFormat, member, "credential query %q is of format %s, which this verifier cannot evaluate", cq.ID, clip(cq.Format))
}

func matchAuthorities(want []TrustedAuthority, have []TrustedAuthorityValue) bool {
	for _, ta := range want {
		for _, h := range have {
			if h.Type == ta.Type && slices.Contains(ta.Values, h.Value) {
				return true
			}
		}
	}
	return false
}

// matchClaims is §6.4.1 from the verifier's side: without claims
// anything goes; with claims and no claim_sets every claim must be
// there; with claim_sets the first option (in the verifier's order of
// preference) all of whose claims are there is the one satisfied. §6.4.1:
// "If the Wallet cannot deliver all claims requested by the Verifier
// according to these rules, it MUST NOT return the respective
// Credential."
func matchClaims(cq *CredentialQuery, c *Credential, member string) (int, error) {
	if cq.Claims == nil {
		return -1, nil
	}
	if cq.ClaimSets == nil {
		for i := range cq.Claims {
			if !claimPresent(&cq.Claims[i], c.Claims) {
				return -1, newError(CodeClaims, member, "claims[%d] of %q is missing or has none of the requested values", i, cq.ID)
			}
		}
		return -1, nil
	}
	for s := range cq.ClaimSets {
		ok := true
		for _, cl := range cq.claimsIn(s) {
			if !claimPresent(cl, c.Claims) {
				ok = false
				break
			}
		}
		if ok {
			return s, nil
		}
	}
	return -1, newError(CodeClaims, member, "no claim set of %q is presented in full", cq.ID)
}

// claimPresent: the path selects something and, with values, one of the
// selected elements is one of them (§6.3: "the type and value of the
// claim both match exactly for at least one of the elements in the
// array"). §6.4.1 warns that Verifiers "MUST NOT rely on it for security
// checks": a mismatch is refused here, a match proves nothing more.
func claimPresent(cl *ClaimsQuery, claims map[string]any) bool {
	sel, err := cl.Path.Select(claims)
	if err != nil {
		return false
	}
	if cl.Values == nil {
		return true
	}
	for _, e := range sel {
		if valueIn(e, cl.Values) {
			return true
		}
	}
	return false
}

// valueIn compares type and value exactly: strings with strings, bools
// with bools, numbers with integers.
func valueIn(e any, values []any) bool {
	for _, v := range values {
		switch v := v.(type) {
		case string:
			if s, ok := e.(string); ok && s == v {
				return true
			}
		case bool:
			if b, ok := e.(bool); ok && b == v {
				return true
			}
		case float64:
			if f, ok := e.(float64); ok && f == v {
				return true
			}
		}
	}
	return false
}

// checkDisclosed refuses a selectively disclosed claim the query did not
// ask for (§6.4: "Wallets MUST NOT send selectively disclosable claims
// that have not been selected according to the rules below"): each
// disclosed path must lead to or lie inside a requested claim.
func checkDisclosed(cq *CredentialQuery, set int, c *Credential, member string) error {
	asked := cq.claimsIn(set)
	for _, d := range c.Disclosed {
		ok := false
		for _, cl := range asked {
			if cl.Path.related(d) {
				ok = true
				break
			}
		}
		if !ok {
			return newError(CodeUndisclosedRequest, member, "a selectively disclosed claim %q did not ask for (%s)", cq.ID, describePath(d))
		}
	}
	return nil
}

// describePath writes a concrete path for an error: claim names are the
// schema's words, not personal data; it is clipped all the same.
func describePath(p []any) string {
	s := ""
	for _, c := range p {
		switch c := c.(type) {
		case string:
			s += "." + c
		case int:
			s += fmt.Sprintf("[%d]", c)
		}
	}
	return clip(s)
}
