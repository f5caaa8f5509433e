package ldproof

import (
	"context"
	"crypto"
	"time"
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

// MaxClockSkew is how far in the future proof.created may lie before the
// proof is refused: clocks of wallets and issuers drift.
const MaxClockSkew = 5 * time.Minute

// Key is a verification key with the facts about it that policy needs.
type Key struct {
	ID         string // the verification method id
	Type       string // the verification method type
	Controller string // the DID that controls the key
	PublicKey  crypto.PublicKey
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
	// registered suite.
	ProofTypes []string
	// Now is the verification time; zero means time.Now().
	Now time.Time
}

// ProofResult describes one verified proof.
type ProofResult struct {
	Type               string
	VerificationMethod string
	Controller         string
	Created            time.Time // zero when the proof has no created
}
