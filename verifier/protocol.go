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

// Reasons of OID4VP 1.0 answers: DCQL (query_dcql.go), each dcql code
// its own.
const (
	// ReasonDCQL: a DCQL failure of no finer kind.
	ReasonDCQL = "dcql_query_not_satisfied"
	// ReasonUnknownQuery: a vp_token key that is no credential query id.
	ReasonUnknownQuery = "unknown_credential_query"
	// ReasonMultiple: more than one presentation for a credential query
	// without multiple (1.0 §8.1: "When multiple is omitted, or set to
	// false, the array MUST contain only one Presentation").
	ReasonMultiple = "multiple_not_allowed"
	// ReasonFormatMismatch: a presentation of another format than its
	// credential query's.
	ReasonFormatMismatch = "credential_format_mismatch"
	// ReasonTypeMismatch: a credential whose vct / type the query's meta
	// does not allow.
	ReasonTypeMismatch = "credential_type_mismatch"
	// ReasonHolderBindingRequired: no cryptographic holder binding (no
	// KB-JWT, a credential without presentation) where the query requires
	// it.
	ReasonHolderBindingRequired = "holder_binding_required"
	// ReasonClaimsMismatch: a requested claim missing, or none of its
	// values, or no claim set presented in full.
	ReasonClaimsMismatch = "claims_mismatch"
	// ReasonTrustedAuthority: an issuer outside the query's
	// trusted_authorities (when required).
	ReasonTrustedAuthority = "trusted_authority_mismatch"
	// ReasonClaimNotRequested: a selectively disclosed claim the query did
	// not ask for (§6.4: "Wallets MUST NOT send selectively disclosable
	// claims that have not been selected").
	ReasonClaimNotRequested = "claim_not_requested"
	// ReasonCredentialNotRequested: a credential query presented that no
	// satisfied credential set option asks for.
	ReasonCredentialNotRequested = "credential_not_requested"
	// ReasonCredentialMissing: a credential query without presentation
	// when there are no credential sets.
	ReasonCredentialMissing = "credential_missing"
	// ReasonCredentialSets: a required credential set with no option
	// presented in full.
	ReasonCredentialSets = "credential_set_unsatisfied"
)

// Reasons of SD-JWT VCs (format_sdjwt.go), each sdjwt code its own but
// those the other formats already name (invalid_vc_proof for a broken
// issuer signature, issuer_key_mismatch, credential_expired,
// credential_not_yet_valid, nonce_mismatch and audience_mismatch for a
// KB-JWT's nonce and aud).
const (
	ReasonSDJWTAlg     = "sd_jwt_alg_not_allowed"
	ReasonSDJWTType    = "sd_jwt_type_not_allowed"
	ReasonSDJWTHashAlg = "sd_jwt_hash_alg_not_allowed"
	// ReasonIssuerKey unresolved: no key could be established for the
	// issuer (no permitted discovery method, an x5c chain to no trust
	// anchor, metadata that cannot be had).
	ReasonIssuerKeyUnresolved = "issuer_key_unresolved"
	// ReasonDisclosure*: RFC 9901 §7.1's refusals.
	ReasonDisclosureMalformed    = "disclosure_malformed"
	ReasonDisclosureUnreferenced = "disclosure_unreferenced"
	ReasonDisclosureDuplicate    = "disclosure_duplicate"
	ReasonDigestDuplicate        = "digest_duplicate"
	ReasonDisclosureClash        = "disclosure_claim_clash"
	ReasonDisclosureReserved     = "disclosure_reserved_name"
	// ReasonCredentialClaims: an SD-JWT VC claim of the wrong type,
	// missing, or disclosed where it must not be.
	ReasonCredentialClaims = "invalid_credential_claims"
	// ReasonKB*: RFC 9901 §7.3's key binding checks.
	ReasonKBMissing   = "key_binding_missing"
	ReasonKBMalformed = "key_binding_malformed"
	ReasonKBType      = "key_binding_type"
	ReasonKBHolderKey = "holder_key_unusable"
	ReasonKBSignature = "key_binding_signature_invalid"
	ReasonKBIat       = "key_binding_iat"
	ReasonKBSdHash    = "key_binding_sd_hash"
)

// Reasons of encrypted responses (direct_post.jwt, 1.0 §8.3; v1.go).
const (
	// ReasonResponseMalformed: response is not a JWE this verifier can
	// read (no kid to find the login by, a header that is not JSON).
	ReasonResponseMalformed = "malformed_response"
	// ReasonResponseAlg: alg is not ECDH-ES (none, a JWS, another).
	ReasonResponseAlg = "response_alg_not_allowed"
	// ReasonResponseEnc: enc is none of those the request published.
	ReasonResponseEnc = "response_enc_not_allowed"
	// ReasonResponseDecrypt: the JWE does not decrypt with the request's
	// key (encrypted to another key, altered), or the login asked for no
	// encrypted response.
	ReasonResponseDecrypt = "response_decryption_failed"
	// ReasonResponseNotEncrypted: a 1.0 answer in the clear where
	// response_encryption is required.
	ReasonResponseNotEncrypted = "response_not_encrypted"
	// ReasonStateMismatch: the state inside an encrypted response is not
	// the login's its key is.
	ReasonStateMismatch = "state_mismatch"
)

// Response modes (oid4vp/words.go has their spec sentences).
const (
	ModePost       = oid4vp.ModePost
	ModeDirectPost = oid4vp.ModeDirectPost
	ModeFormPost   = oid4vp.ModeFormPost
	// ModeDirectPostJWT is direct_post with an encrypted response.
	ModeDirectPostJWT = oid4vp.ModeDirectPostJWT
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
