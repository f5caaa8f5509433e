package verifier

import "github.com/loginwithiota/verifier/oid4vp"

// Protocol words, in one place, with the spec sentence beside each MUST we enforce.

// Reasons say which verification step failed; each is distinct so websites,
// operators and tests can tell them apart.
const (
	ReasonUnknownState        = "unknown_state"
	ReasonNotPending          = "session_not_pending"
	ReasonExpired             = "session_expired"
	ReasonWalletError         = "wallet_error"
	ReasonMissingParameter    = "missing_parameter"
	ReasonMalformedVPToken    = "malformed_vp_token"
	ReasonMalformedSubmission = "malformed_presentation_submission"
	ReasonDefinitionMismatch  = "definition_id_mismatch"
	ReasonPEX                 = "presentation_definition_not_satisfied"
	ReasonVPProof             = "invalid_vp_proof"
	ReasonNonce               = "nonce_mismatch"
	ReasonDomain              = "domain_mismatch"
	ReasonVCProof             = "invalid_vc_proof"
	ReasonIssuerKey           = "issuer_key_mismatch"
	ReasonHolderBinding       = "holder_binding_failed"
	ReasonNotYetValid         = "credential_not_yet_valid"
	ReasonExpiredCredential   = "credential_expired"
	ReasonUntrustedIssuer     = "untrusted_issuer"
	// ReasonAudience: a presentation JWT whose aud does not name our
	// client_id (OID4VP: "the aud claim ... MUST be the Client Identifier").
	ReasonAudience = "audience_mismatch"
	// ReasonRevoked: the issuer has revoked the credential
	// (RevocationBitmap2022, StatusList2021, BitstringStatusList).
	ReasonRevoked = "revoked"
	// ReasonSuspended: the issuer has suspended the credential.
	ReasonSuspended = "credential_suspended"
	// ReasonStatusUnknown: the credential has a credentialStatus that could
	// not be checked (unreachable list, broken list signature, unsupported
	// method); it fails closed unless status.fail_open.
	ReasonStatusUnknown = "credential_status_unknown"
	// ReasonInProgress: another answer for the same session is being
	// verified; this one is refused at once, without verifying it.
	ReasonInProgress = "response_in_progress"
	// ReasonTooLarge: the answer holds more presentations, credentials or
	// proofs than the verifier's limits accept.
	ReasonTooLarge = "response_too_large"
	// ReasonTimeout: verifying the answer took longer than the per-answer
	// deadline (verification.timeout).
	ReasonTimeout = "verification_timeout"
	// ReasonBusy: every verification worker is busy and the queue is full;
	// the session stays pending and the wallet may retry.
	ReasonBusy = "verifier_busy"
)

// Response modes (oid4vp/words.go has their spec sentences).
const (
	ModePost       = oid4vp.ModePost
	ModeDirectPost = oid4vp.ModeDirectPost
	ModeFormPost   = oid4vp.ModeFormPost
)

// Proof purposes (VC Data Integrity).
const (
	purposeAuthentication  = "authentication"
	purposeAssertionMethod = "assertionMethod"
)

// Authorization request parameters.
const (
	ResponseTypeVPToken = oid4vp.ResponseTypeVPToken
)
