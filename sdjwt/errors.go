package sdjwt

import (
	"errors"
	"fmt"
)

// Error codes; every failure of this package is an *Error with one of
// them, so the verifier maps each to its own reason without reading text.
const (
	// CodeMalformed: not <JWT>~<disclosure>~…~[<KB-JWT>], a JWT that is not
	// a JWS compact serialisation, a payload that is not a JSON object,
	// _sd or "..." of the wrong type.
	CodeMalformed = "malformed"
	// CodeTooLarge: the presentation exceeds Limits (bytes, disclosures,
	// nesting depth).
	CodeTooLarge = "too_large"
	// CodeAlgNotAllowed: the issuer-signed JWT's alg is none, unknown, or
	// not one of Options.Algorithms.
	CodeAlgNotAllowed = "alg_not_allowed"
	// CodeType: the issuer-signed JWT's typ is not dc+sd-jwt (or vc+sd-jwt).
	CodeType = "type_not_allowed"
	// CodeHashAlg: _sd_alg names a hash this verifier does not accept.
	CodeHashAlg = "hash_alg_not_allowed"
	// CodeKeyResolution: no key could be established for the issuer (no
	// source fits the header, the source failed or found no key).
	CodeKeyResolution = "key_resolution_failed"
	// CodeIssuer: the key found does not belong to the iss claim (x5c leaf
	// names another, metadata of another issuer, a kid of another DID).
	CodeIssuer = "issuer_mismatch"
	// CodeSignature: the issuer signature does not verify.
	CodeSignature = "invalid_signature"
	// CodeDisclosureMalformed: a disclosure that is not base64url of a JSON
	// array [salt, name, value] or [salt, value] of the right kinds, or of
	// the wrong kind for where its digest is.
	CodeDisclosureMalformed = "disclosure_malformed"
	// CodeDisclosureUnreferenced: a disclosure whose digest is nowhere in
	// the issuer-signed JWT or the other disclosures.
	CodeDisclosureUnreferenced = "disclosure_unreferenced"
	// CodeDisclosureDuplicate: the same disclosure sent twice.
	CodeDisclosureDuplicate = "disclosure_duplicate"
	// CodeDigestDuplicate: a digest that appears more than once in the
	// issuer-signed JWT and the disclosures.
	CodeDigestDuplicate = "digest_duplicate"
	// CodeClaimClash: a disclosed claim name that already exists at its
	// level.
	CodeClaimClash = "claim_name_clash"
	// CodeReservedName: a disclosure naming _sd or "...".
	CodeReservedName = "reserved_claim_name"
	// CodeClaims: an SD-JWT VC claim of the wrong type or missing (vct,
	// iss, cnf, status, iat/nbf/exp), or one selectively disclosed that
	// must not be.
	CodeClaims = "invalid_claims"
	// CodeExpired: exp has passed.
	CodeExpired = "expired"
	// CodeNotYetValid: nbf (or iat) is in the future.
	CodeNotYetValid = "not_yet_valid"
	// CodeKBMissing: key binding is required and the presentation has no
	// KB-JWT.
	CodeKBMissing = "kb_missing"
	// CodeKBMalformed: the KB-JWT is not a JWS compact serialisation, its
	// payload not a JSON object, or its alg is not allowed.
	CodeKBMalformed = "kb_malformed"
	// CodeKBType: the KB-JWT's typ is not kb+jwt.
	CodeKBType = "kb_type"
	// CodeKBKey: the credential names no holder key (cnf), or it cannot
	// be resolved or used.
	CodeKBKey = "kb_holder_key"
	// CodeKBSignature: the KB-JWT's signature does not verify with the
	// holder key.
	CodeKBSignature = "kb_invalid_signature"
	// CodeKBNonce: the KB-JWT's nonce is missing or not the expected one.
	CodeKBNonce = "kb_nonce"
	// CodeKBAudience: the KB-JWT's aud is missing, not a single string, or
	// not the expected client identifier.
	CodeKBAudience = "kb_audience"
	// CodeKBIat: the KB-JWT's iat is missing or outside the accepted
	// window (or its own exp/nbf exclude now).
	CodeKBIat = "kb_iat"
	// CodeKBSdHash: the KB-JWT's sd_hash is missing or not the hash of the
	// presented SD-JWT.
	CodeKBSdHash = "kb_sd_hash"
	// CodeIssue: Issue or Present was given something it cannot make an
	// SD-JWT of (a path that selects nothing, a reserved claim, no key).
	CodeIssue = "issue_failed"
)

// Error is a failure of this package. Reason is written from fixed words
// and bounded values (indices, algorithm names, counts): never a claim
// value, never a library's error text; the cause, if any, is Err.
type Error struct {
	Code   string
	Reason string
	Err    error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Code + ": " + e.Reason + ": " + e.Err.Error()
	}
	return e.Code + ": " + e.Reason
}

func (e *Error) Unwrap() error { return e.Err }

// Code returns the code of the first *Error in err's chain, or "".
func Code(err error) string {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Code
	}
	return ""
}

func newError(code, format string, args ...any) *Error {
	return &Error{Code: code, Reason: fmt.Sprintf(format, args...)}
}

func wrapError(code string, err error, format string, args ...any) *Error {
	return &Error{Code: code, Reason: fmt.Sprintf(format, args...), Err: err}
}

// clip bounds untrusted text quoted in a reason (algorithm names, typ).
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
