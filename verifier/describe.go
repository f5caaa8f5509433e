package verifier

import (
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/jwtvc"
	"github.com/loginwithiota/verifier/ldproof"
	"github.com/loginwithiota/verifier/oauth"
)

// Descriptions a wallet and a website read are fixed texts chosen by the
// failure's code, naming the object ("presentation 0 credential 1") and
// the check, and quoting only what the wallet itself sent (clipped). They
// never carry an error chain: host lookups, addresses, TLS and library
// texts stay in the cause, which goes to the log. scrub is the last guard.

// proofText is the description of an ldproof failure of a presentation
// (vp) or a credential.
func proofText(err error, vp bool) string {
	e, _ := errors.AsType[*ldproof.Error](err)
	if e == nil {
		return "its proof cannot be verified"
	}
	purpose := "assertionMethod"
	if vp {
		purpose = "authentication"
	}
	switch e.Code {
	case ldproof.CodeMissingProof:
		return "it has no proof"
	case ldproof.CodeUnsupportedProofType:
		return "its proof type is not supported by this verifier (supported: " + strings.Join(ldproof.Supported(), ", ") + ")"
	case ldproof.CodeProofTypeNotAllowed:
		return "its proof type is not one the request accepts"
	case ldproof.CodeWrongProofPurpose:
		return "its proof purpose is not " + purpose
	case ldproof.CodeChallengeMismatch:
		return "its proof's challenge is not the nonce of this request"
	case ldproof.CodeDomainMismatch:
		return "its proof's domain does not name this verifier's client_id"
	case ldproof.CodeKeyResolutionFailed:
		return keyText(e.Err, purpose)
	case ldproof.CodeInvalidSignature:
		return "its signature does not verify (the document or the proof was changed after signing, or the key is another)"
	case ldproof.CodeCreatedInFuture:
		return "its proof's created date is in the future"
	case ldproof.CodeProofExpired:
		return "its proof has expired"
	case ldproof.CodeUnsafeDocument:
		return "it uses a term or an IRI that its JSON-LD contexts do not define, which its signature would not cover"
	case ldproof.CodeContextUnavailable:
		return "it names a JSON-LD context that this verifier does not have"
	case ldproof.CodeInvalidDocument:
		return "it is not valid JSON-LD"
	case ldproof.CodeDocumentTooComplex:
		return "it is too large or too complex to canonicalize within this verifier's limits"
	case ldproof.CodeTooManyProofs:
		return "it has more proofs than this verifier accepts"
	}
	return "its proof is malformed"
}

// keyText describes a key that could not be had, by the DID sentinel in
// its chain. A DID that cannot be fetched (refused address, timeout, HTTP
// error, not found on its host) gets one text, so a wallet cannot use
// did:web to learn what the verifier's network can reach.
func keyText(err error, purpose string) string {
	switch {
	case errors.Is(err, did.ErrUnsupportedMethod):
		return "its key's DID method is not resolved by this verifier"
	case errors.Is(err, did.ErrInvalidDID):
		return "its verification method is not a valid DID URL"
	case errors.Is(err, did.ErrMethodNotFound):
		return "its verification method is not in the DID document"
	case errors.Is(err, did.ErrNotAuthorized):
		return "its verification method is not authorised for " + purpose + " in the DID document"
	case errors.Is(err, did.ErrUnsupportedKey):
		return "its verification method's key type is not supported"
	case errors.Is(err, did.ErrInvalidDocument):
		return "the DID document of its key is not valid"
	}
	return "the DID of its key cannot be resolved"
}

// jwtText is the description of a jwtvc failure: jwtvc writes its reasons
// from the token's own claims and fixed words, the cause apart.
func jwtText(err error, vp bool) string {
	e, _ := errors.AsType[*jwtvc.Error](err)
	if e == nil {
		return "the JWT cannot be verified"
	}
	purpose := "assertionMethod"
	if vp {
		purpose = "authentication"
	}
	switch e.Code {
	case jwtvc.CodeKeyResolution:
		return keyText(e.Err, purpose)
	case jwtvc.CodeInvalidSignature:
		return "its signature does not verify"
	case jwtvc.CodeMalformed:
		return "it is not a well-formed " + map[bool]string{true: "presentation", false: "credential"}[vp] + " JWT: " + e.Reason
	}
	return e.Reason
}

// leaks are what a description must never hold: host lookups, dialing,
// TLS and library internals, source positions, stack traces.
var leaks = regexp.MustCompile(`dial tcp|lookup |x509:|go-jose|\.go:\d|goroutine|connection refused|EOF|\b\d{1,3}(\.\d{1,3}){3}\b|\[[0-9a-fA-F:]*:[0-9a-fA-F:]*\]`)

// scrub is the last guard before an error leaves the verifier: a
// description that holds internal detail is replaced by its reason's
// generic text (and the original is logged).
func scrub(e *oauth.Error, log *slog.Logger) *oauth.Error {
	if e == nil || !leaks.MatchString(e.Description()) {
		return e
	}
	log.Warn("an error description held internal detail; replaced", "reason", e.Reason(), "description", e.Description())
	return oauth.New(e.Code(), e.Reason(), fmt.Sprintf("the answer failed the %s check", strings.ReplaceAll(e.Reason(), "_", " "))).WithCause(e)
}
