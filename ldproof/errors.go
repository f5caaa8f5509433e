package ldproof

import (
	"errors"
	"fmt"
)

// Error codes. Each failure Verify reports is an *Error with one of them,
// so callers can map them onto protocol errors without parsing text.
const (
	// CodeMissingProof: the document has no "proof" member (or an empty array).
	CodeMissingProof = "missing_proof"
	// CodeMalformedProof: a proof member is not the shape its type requires
	// (not an object, no type, no verificationMethod, bad created, bad
	// signature encoding, or a document that cannot be canonicalized).
	CodeMalformedProof = "malformed_proof"
	// CodeUnsupportedProofType: no suite is registered for proof.type.
	CodeUnsupportedProofType = "unsupported_proof_type"
	// CodeProofTypeNotAllowed: proof.type is not in Options.ProofTypes.
	CodeProofTypeNotAllowed = "proof_type_not_allowed"
	// CodeWrongProofPurpose: proof.proofPurpose is not Options.Purpose (or is
	// missing without Options.AllowMissingPurpose).
	CodeWrongProofPurpose = "wrong_proof_purpose"
	// CodeChallengeMismatch: Options.Challenge is set and proof.challenge
	// differs or is missing.
	CodeChallengeMismatch = "challenge_mismatch"
	// CodeDomainMismatch: Options.Domain is set and proof.domain neither is
	// nor contains it.
	CodeDomainMismatch = "domain_mismatch"
	// CodeKeyResolutionFailed: the KeyResolver failed (its error is wrapped),
	// or gave a key the suite cannot use.
	CodeKeyResolutionFailed = "key_resolution_failed"
	// CodeInvalidSignature: the signature does not verify with the key.
	CodeInvalidSignature = "invalid_signature"
	// CodeCreatedInFuture: proof.created is later than now plus MaxClockSkew.
	CodeCreatedInFuture = "created_in_future"
	// CodeProofExpired: proof.expires (VC Data Integrity) has passed.
	CodeProofExpired = "proof_expired"
	// CodeUnsafeDocument: JSON-LD safe mode refused the document: expansion
	// would drop an undefined term or a relative IRI, which the signature
	// would then not cover.
	CodeUnsafeDocument = "unsafe_document"
	// CodeContextUnavailable: the document names a JSON-LD context that is
	// not available offline and not allow-listed (or could not be fetched).
	CodeContextUnavailable = "context_unavailable"
	// CodeInvalidDocument: the document is not valid JSON-LD.
	CodeInvalidDocument = "invalid_document"
	// CodeDocumentTooComplex: the document (or a proof's options) exceeds a
	// budget of the JSON-LD processor (jsonld.Config MaxNodes, MaxValues,
	// MaxBlankNodes, MaxWork) and was refused before canonicalizing it.
	CodeDocumentTooComplex = "document_too_complex"
	// CodeTooManyProofs: the document has more proofs than
	// Options.MaxProofs; none was checked.
	CodeTooManyProofs = "too_many_proofs"
)

// Error is a proof verification failure. Reason is meant for an operator's
// log (it names the proof, its type and verification method); Err, if any,
// is the underlying cause (e.g. the resolver's error).
type Error struct {
	Code   string
	Reason string
	Err    error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Reason, e.Err)
	}
	return e.Code + ": " + e.Reason
}

func (e *Error) Unwrap() error { return e.Err }

// Code returns the code of the first *Error in err's chain, or "" if none.
func Code(err error) string {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Code
	}
	return ""
}

func newError(code, format string, args ...any) *Error {
	return &Error{Code: code, Reason: fmt.Sprintf(format, args...)}
}
