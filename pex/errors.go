package pex

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// Error codes of an evaluation failure. Each names one rule of DIF Presentation
// Exchange (v2.1.1, "Presentation Submission" and "Input Evaluation") that the
// submission broke, so that the caller can map it to an OAuth error and the
// operator can tell which rule failed.
const (
	// CodeInvalidSubmission: the presentation_submission is not well formed.
	// "The presentation_submission object MUST contain an id property ...
	// MUST contain a definition_id property ... MUST include a descriptor_map
	// property" and every descriptor_map object "MUST include an id ...
	// a format ... a path property"; in path_nested "The id property MUST be
	// the same for each level of nesting".
	CodeInvalidSubmission = "invalid_presentation_submission"

	// CodeDefinitionMismatch: definition_id "MUST be the id value of a valid
	// Presentation Definition", here: of the one the verifier asked for.
	CodeDefinitionMismatch = "definition_id_mismatch"

	// CodeDescriptorMissing: an input descriptor has no descriptor_map entry.
	// "All Input Descriptors MUST be satisfied, unless otherwise specified by a
	// Feature."
	CodeDescriptorMissing = "input_descriptor_missing"

	// CodeUnknownDescriptor: a descriptor_map entry's id "MUST be a string that
	// matches the id property of the Input Descriptor in the Presentation
	// Definition".
	CodeUnknownDescriptor = "unknown_input_descriptor"

	// CodePathNotFound: a descriptor_map path (or path_nested path) selects
	// nothing in the vp_token.
	CodePathNotFound = "descriptor_path_not_found"

	// CodeFormatMismatch: the entry's format is not allowed by the descriptor's
	// (or definition's) format, is not supported, or the object found is not of
	// that format (for example ldp_vp pointing at something that is not a
	// VerifiablePresentation with a proof), or a proof type is not listed.
	CodeFormatMismatch = "format_mismatch"

	// CodeFieldMissing: no path of a required field selects a value. "If no
	// path entries are found that satisfy the fields object's constraints, and
	// the fields object DOES NOT contain the optional property or it is set to
	// false, reject the field as invalid."
	CodeFieldMissing = "field_missing"

	// CodeFilterFailed: the value a field's path selected does not validate
	// against the field's JSON Schema filter.
	CodeFilterFailed = "filter_failed"

	// CodeSchemaMismatch: a PE v1.0.0 input descriptor's schema URIs do not
	// match the credential: "The URI for the schema of the candidate input
	// MUST match one of the Input Descriptor schema object uri values
	// exactly" (see schemauri.go).
	CodeSchemaMismatch = "schema_mismatch"

	// CodeRequirementNotMet: the input descriptors answered do not meet a
	// submission requirement (rule all/pick, count/min/max, from or
	// from_nested).
	CodeRequirementNotMet = "submission_requirement_not_met"

	// CodeSubjectIsIssuer: constraints.subject_is_issuer is "required" and
	// the credential is not self-issued.
	CodeSubjectIsIssuer = "subject_is_issuer_failed"

	// CodeIsHolder: a "required" is_holder directive: the subject of the
	// fields is not the holder.
	CodeIsHolder = "is_holder_failed"

	// CodeSameSubject: a "required" same_subject directive: the fields'
	// credentials are about different subjects.
	CodeSameSubject = "same_subject_failed"

	// CodeStatus: constraints.statuses is not met, or the credential's
	// status is unknown where a directive needs it.
	CodeStatus = "status_failed"

	// CodeLimitDisclosure: limit_disclosure is "required" and a credential
	// that can disclose selectively discloses a claim no field asks for.
	CodeLimitDisclosure = "limit_disclosure_failed"

	// CodeNoMatch (Select only): no credential of the wallet satisfies an
	// input descriptor that the definition needs.
	CodeNoMatch = "no_matching_credential"
)

// Error is the error of every evaluation failure and of ParseSubmission.
// Reason is written for the operator: it names the input descriptor, the
// field and its path(s) and why they failed. It never contains claim values
// from the credential (they are personal data); wallet-supplied identifiers
// are quoted and shortened.
type Error struct {
	Code         string // one of the Code constants
	DescriptorID string // input descriptor concerned, if any
	Path         string // vp_token path concerned (e.g. "$.verifiableCredential[0]"), if any
	Field        string // the descriptor's member concerned (e.g. "constraints.fields[2]"), if any
	Reason       string
}

func (e *Error) Error() string {
	return "pex: " + e.Code + ": " + e.Reason
}

// Is makes errors.Is(err, &Error{Code: c}) true for any *Error with code c, so
// that callers can branch on the code without a type assertion.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code && (t.DescriptorID == "" || t.DescriptorID == e.DescriptorID)
}

func newError(code, descriptorID, path, format string, args ...any) *Error {
	return &Error{Code: code, DescriptorID: descriptorID, Path: path, Reason: fmt.Sprintf(format, args...)}
}

// maxQuoted bounds how much of a wallet-supplied string goes into a Reason:
// enough to recognise it, not enough to flood a log line.
const maxQuoted = 80

// quote renders untrusted s for a Reason: Go-quoted (so control characters and
// quotes cannot forge log structure) and shortened.
func quote(s string) string {
	if len(s) <= maxQuoted {
		return strconv.Quote(s)
	}
	cut := maxQuoted
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "…"
}
