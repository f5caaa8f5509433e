package jwtvc

import (
	"errors"
	"fmt"
)

// Error codes; each failure is an *Error with one of them.
const (
	// CodeMalformed: not a JWS compact serialisation, a payload that is not
	// a JSON object, claims of the wrong type, no vc/vp claim, a
	// verifiableCredential entry that is not a JWT, a token too large.
	CodeMalformed = "malformed"
	// CodeAlgNotAllowed: the alg header is not one of the allowed algorithms.
	CodeAlgNotAllowed = "alg_not_allowed"
	// CodeIssuerMismatch: the kid's DID is not the token's iss (or issuer),
	// or the vc/vp claim names another issuer/holder than iss.
	CodeIssuerMismatch = "issuer_mismatch"
	// CodeKeyResolution: the KeyResolver failed (its error is wrapped) or
	// returned no key.
	CodeKeyResolution = "key_resolution_failed"
	// CodeInvalidSignature: the signature does not verify with the key, or
	// the key does not fit the alg.
	CodeInvalidSignature = "invalid_signature"
	// CodeNonceMismatch: the presentation's nonce is missing or not the one
	// expected.
	CodeNonceMismatch = "nonce_mismatch"
	// CodeAudienceMismatch: the presentation's aud is missing or does not
	// contain the expected client_id.
	CodeAudienceMismatch = "audience_mismatch"
	// CodeExpired: exp (or validUntil / expirationDate) has passed.
	CodeExpired = "expired"
	// CodeNotYetValid: nbf, iat (or validFrom / issuanceDate) is in the
	// future.
	CodeNotYetValid = "not_yet_valid"
)

// Error is a verification failure. Credential is the index of the failing
// credential in vp.verifiableCredential, or -1 when the failure is the
// token's own (the presentation's, or VerifyCredential's token). Reason is
// for an operator's log; Err, if any, is the cause.
type Error struct {
	Code       string
	Credential int
	Reason     string
	Err        error
}

func (e *Error) Error() string {
	where := ""
	if e.Credential >= 0 {
		where = fmt.Sprintf("credential %d: ", e.Credential)
	}
	if e.Err != nil {
		return fmt.Sprintf("%s: %s%s: %v", e.Code, where, e.Reason, e.Err)
	}
	return e.Code + ": " + where + e.Reason
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
	return &Error{Code: code, Credential: -1, Reason: fmt.Sprintf(format, args...)}
}

// clip bounds untrusted text quoted in errors.
func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
