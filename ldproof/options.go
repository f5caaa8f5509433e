package ldproof

import (
	"context"
	"crypto"
	"time"

	"github.com/loginwithiota/verifier/ldproof/jsonld"
)

// Purpose is a proof purpose (VC Data Integrity §2.2 / DID Core
// verification relationships): why the key holder signed.
type Purpose string

const (
	// PurposeAuthentication: the holder proves control of the DID (VP proofs).
	PurposeAuthentication Purpose = "authentication"
	// PurposeAssertionMethod: the issuer asserts the claims (VC proofs).
	PurposeAssertionMethod Purpose = "assertionMethod"
)

// MaxClockSkew is how far in the future proof.created may lie (and how far
// in the past proof.expires) before the proof is refused: clocks of wallets
// and issuers drift.
const MaxClockSkew = 5 * time.Minute

// Key is a verification key with the facts about it that policy needs.
type Key struct {
	ID         string // the verification method id
	Type       string // the verification method type
	Controller string // the DID that controls the key
	PublicKey  crypto.PublicKey
	// Pinned is set when the key came from an operator-pinned DID document
	// rather than from resolving the DID.
	Pinned bool
}

// KeyResolver finds the verification method vmID and returns its key, but
// only if the method's controller authorises it for purpose (its DID
// document lists it under that verification relationship). It is declared
// here, where it is used; the verifier implements it on top of package did.
type KeyResolver interface {
	ResolveKey(ctx context.Context, vmID string, purpose Purpose) (*Key, error)
}

// Options is the policy a proof must meet.
type Options struct {
	// Purpose is the proofPurpose required; required itself. A proof with
	// another purpose fails; a proof with none fails unless
	// AllowMissingPurpose, in which case it is held to Purpose (the key must
	// still be authorised for it). identity.rs's older VP fixtures carry no
	// proofPurpose.
	Purpose             Purpose
	AllowMissingPurpose bool
	// Challenge, when non-empty, must equal proof.challenge (compared in
	// constant time). Empty: not checked.
	Challenge string
	// Domain, when non-empty, must equal proof.domain or be one of its
	// entries if it is an array. Empty: not checked.
	Domain string
	// ProofTypes restricts the proof types accepted; empty means any
	// registered suite. Cryptosuites does the same for DataIntegrityProof.
	ProofTypes   []string
	Cryptosuites []string
	// JSONLD canonicalizes for the RDF-based suites; nil means
	// jsonld.Default() (built-in contexts, no network).
	JSONLD *jsonld.Processor
	// Now is the verification time; zero means time.Now().
	Now time.Time
	// MaxProofs bounds the proofs of one document (0: DefaultMaxProofs);
	// a document with more fails at once with CodeTooManyProofs, before
	// any key is resolved or anything canonicalized.
	MaxProofs int
	// Precheck makes Verify and Inspect first run, for every proof, the
	// checks that need neither key nor canonicalization (proof type,
	// proofPurpose, challenge, domain, created, expires), and stop at once
	// if one fails: a service should not resolve keys and canonicalize for
	// a proof it will refuse anyway. Unset, the signature is checked first
	// and the policy after, so that a report shows a tampered proof as
	// tampered even when it also fails policy.
	Precheck bool
}

// DefaultMaxProofs is Options.MaxProofs when unset: a presentation has one
// proof, a credential one or a small set or chain (the Data Integrity
// vectors have at most 4).
const DefaultMaxProofs = 4

// ProofResult describes one proof and every check made of it.
type ProofResult struct {
	Index              int // position in the document's proof set
	Type               string
	Cryptosuite        string // DataIntegrityProof only
	VerificationMethod string
	Controller         string
	Pinned             bool      // the key came from a pinned DID document
	Created            time.Time // zero when the proof has no created
	// Checks lists what was checked, in order; Err is the first failure
	// (an *Error), nil when the proof verifies.
	Checks []Check
	Err    error
}

// Check is one check of one proof.
type Check struct {
	Name    string // one of the Check* names
	Passed  bool
	Skipped bool   // not run: an earlier check it depends on failed, or no policy asked for it
	Detail  string // why it failed or was skipped
	Code    string // the failure's code
}

// Names of the checks, in the order they are made.
const (
	CheckProofType          = "proof_type"
	CheckVerificationMethod = "verification_method"
	CheckPreviousProof      = "previous_proof"
	CheckSignature          = "signature"
	CheckProofPurpose       = "proof_purpose"
	CheckCreated            = "created"
	CheckExpires            = "expires"
	CheckChallenge          = "challenge"
	CheckDomain             = "domain"
)
