package jwtvc

import (
	"context"
	"crypto"
	"slices"
	"time"
)

// Purpose is the verification relationship a key must be listed under.
type Purpose string

const (
	// PurposeAuthentication: the holder signs a presentation.
	PurposeAuthentication Purpose = "authentication"
	// PurposeAssertionMethod: the issuer signs a credential.
	PurposeAssertionMethod Purpose = "assertionMethod"
)

// Key is a verification key and the facts about it that policy needs.
type Key struct {
	ID         string // the verification method id (a DID URL)
	Type       string // the verification method type
	Controller string
	PublicKey  crypto.PublicKey // ed25519.PublicKey or *ecdsa.PublicKey
}

// KeyResolver finds the verification method kid (an absolute DID URL) and
// returns its key, but only if the DID's document authorises it for
// purpose. A token without kid is resolved with its bare iss DID; a
// resolver may then pick the document's only key for purpose, or refuse.
// The verifier implements it on top of package did; PublicKeyFromJWK
// decodes the P-256 JWKs package did does not.
type KeyResolver interface {
	ResolveKey(ctx context.Context, kid string, purpose Purpose) (*Key, error)
}

// Algorithms accepted by this package.
const (
	AlgEdDSA = "EdDSA"
	AlgES256 = "ES256"
)

// Defaults of Options.
const (
	DefaultClockSkew      = time.Minute
	DefaultMaxTokenBytes  = 256 << 10
	DefaultMaxCredentials = 32
)

// Options is the policy tokens must meet.
type Options struct {
	// Nonce and Audience (the client_id) are what a presentation must
	// carry; VerifyPresentation requires both, VerifyCredential ignores
	// them.
	Nonce, Audience string
	// SkipNonce and SkipAudience leave the nonce or the audience of a
	// presentation unchecked: for inspecting a recorded presentation
	// offline (`verifier verify` without --challenge or --domain), never
	// for a login, where they make replays possible.
	SkipNonce, SkipAudience bool
	// Algorithms narrows the accepted algs (EdDSA, ES256); empty means both.
	Algorithms []string
	// Now is the verification time (nil: time.Now).
	Now func() time.Time
	// ClockSkew is the tolerance on every time claim (0: DefaultClockSkew;
	// negative: none).
	ClockSkew time.Duration
	// MaxTokenBytes bounds a token, MaxCredentials the credentials in a
	// presentation (0: the defaults).
	MaxTokenBytes, MaxCredentials int
	// Precheck compares a presentation's nonce and audience before its
	// signature (cheap checks first, for a service facing hostile wallets).
	// Off, the signature comes first, so a report shows a tampered token as
	// tampered rather than as replayed.
	Precheck bool
}

func (o Options) now() time.Time {
	if o.Now == nil {
		return time.Now()
	}
	return o.Now()
}

func (o Options) skew() time.Duration {
	switch {
	case o.ClockSkew == 0:
		return DefaultClockSkew
	case o.ClockSkew < 0:
		return 0
	}
	return o.ClockSkew
}

func (o Options) maxTokenBytes() int {
	if o.MaxTokenBytes <= 0 {
		return DefaultMaxTokenBytes
	}
	return o.MaxTokenBytes
}

func (o Options) maxCredentials() int {
	if o.MaxCredentials <= 0 {
		return DefaultMaxCredentials
	}
	return o.MaxCredentials
}

func (o Options) allowed(alg string) bool {
	if alg != AlgEdDSA && alg != AlgES256 {
		return false
	}
	return len(o.Algorithms) == 0 || slices.Contains(o.Algorithms, alg)
}
