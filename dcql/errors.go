package dcql

import (
	"errors"
	"fmt"
)

// Error codes; every failure of this package is an *Error with one of
// them.
const (
	// CodeInvalidQuery: a query that breaks a rule of OpenID4VP 1.0 §6
	// (Parse). Member names where.
	CodeInvalidQuery = "invalid_query"
	// CodeMalformedVPToken: a vp_token that is not a JSON object of
	// non-empty arrays of presentations, or is larger than the limits.
	CodeMalformedVPToken = "malformed_vp_token"
	// CodeTooLarge: a vp_token of more presentations than DecodeVPToken
	// was allowed.
	CodeTooLarge = "too_large"
	// CodeUnknownQuery: a vp_token entry whose key is no credential query
	// id of the query.
	CodeUnknownQuery = "unknown_credential_query"
	// CodeMultiple: more than one presentation for a credential query
	// without multiple.
	CodeMultiple = "multiple_not_allowed"
	// CodeFormat: a presentation of another format than its query's.
	CodeFormat = "format_mismatch"
	// CodeMeta: a presentation whose type (vct, type, doctype) the query's
	// meta does not allow.
	CodeMeta = "meta_mismatch"
	// CodeHolderBinding: a presentation without cryptographic holder
	// binding for a query that requires it.
	CodeHolderBinding = "holder_binding_required"
	// CodeClaims: a presentation that lacks a requested claim, whose claim
	// has none of the requested values, or that satisfies no claim set.
	CodeClaims = "claims_mismatch"
	// CodeTrustedAuthority: a presentation whose issuer matches none of the
	// query's trusted_authorities (only with
	// Options.RequireTrustedAuthorities).
	CodeTrustedAuthority = "trusted_authority_mismatch"
	// CodeUndisclosedRequest: a presentation that selectively discloses a
	// claim its query did not ask for (only with Options.StrictDisclosure).
	CodeUndisclosedRequest = "claim_not_requested"
	// CodeNotRequested: a presented credential query that no satisfied
	// option of credential_sets asks for.
	CodeNotRequested = "credential_not_requested"
	// CodeMissing: a credential query without presentation when there are
	// no credential_sets (then every one is required).
	CodeMissing = "credential_missing"
	// CodeCredentialSets: a required credential set none of whose options
	// is presented in full.
	CodeCredentialSets = "credential_set_unsatisfied"
)

// Error is a failure of this package. Member is where: a query member
// ("credentials[1].claims[0].path") for CodeInvalidQuery, a vp_token
// entry ("vp_token.pid[1]") or a set ("credential_sets[0]") otherwise.
// Reason is written from fixed words and the query's own ids; never a
// claim value.
type Error struct {
	Code   string
	Member string
	Reason string
}

func (e *Error) Error() string {
	if e.Member == "" {
		return e.Code + ": " + e.Reason
	}
	return e.Code + ": " + e.Member + ": " + e.Reason
}

// Code returns the code of the first *Error in err's chain, or "".
func Code(err error) string {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Code
	}
	return ""
}

func newError(code, member, format string, args ...any) *Error {
	return &Error{Code: code, Member: member, Reason: fmt.Sprintf(format, args...)}
}

// clip bounds wallet-chosen text quoted in an error (a vp_token key).
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
