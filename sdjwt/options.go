package sdjwt

import (
	"context"
	"crypto"
	"slices"
	"time"
)

// Algorithms accepted for the issuer-signed JWT and the KB-JWT.
const (
	AlgEdDSA = "EdDSA"
	AlgES256 = "ES256"
)

// Media types (the typ header values) this package reads and writes.
const (
	// TypeDC is the SD-JWT VC typ (draft-ietf-oauth-sd-jwt-vc: "The typ
	// value MUST use dc+sd-jwt").
	TypeDC = "dc+sd-jwt"
	// TypeVC is the typ of drafts before 06, which wallets still send.
	TypeVC = "vc+sd-jwt"
	// TypeKB is the KB-JWT typ (RFC 9901 §4.3: "typ: REQUIRED. MUST be
	// kb+jwt").
	TypeKB = "kb+jwt"
)

// Hash algorithm names of _sd_alg (IANA Named Information Hash Algorithm
// registry).
const (
	HashSHA256 = "sha-256"
	HashSHA384 = "sha-384"
	HashSHA512 = "sha-512"
)

// Defaults of Limits and Options.
const (
	// DefaultMaxBytes bounds the whole compact presentation (an SD-JWT VC
	// may carry a portrait as a data: URI).
	DefaultMaxBytes = 256 << 10
	// DefaultMaxDisclosures bounds the disclosures of one presentation.
	DefaultMaxDisclosures = 256
	// DefaultMaxDepth bounds JSON nesting, in the payload, in a
	// disclosure, and through recursive disclosures together.
	DefaultMaxDepth = 32
	// DefaultClockSkew is the tolerance on exp, nbf and iat.
	DefaultClockSkew = time.Minute
	// DefaultKBMaxAge is how old a KB-JWT's iat may be.
	DefaultKBMaxAge = 5 * time.Minute
	// DefaultKBMaxFuture is how far in the future a KB-JWT's iat may be.
	DefaultKBMaxFuture = time.Minute
)

// Limits bound what Parse reads; zero fields take the defaults.
type Limits struct {
	MaxBytes       int // the whole compact form
	MaxDisclosures int
	MaxDepth       int
}

func (l Limits) maxBytes() int       { return orDefault(l.MaxBytes, DefaultMaxBytes) }
func (l Limits) maxDisclosures() int { return orDefault(l.MaxDisclosures, DefaultMaxDisclosures) }
func (l Limits) maxDepth() int       { return orDefault(l.MaxDepth, DefaultMaxDepth) }

func orDefault(v, d int) int {
	if v <= 0 {
		return d
	}
	return v
}

// Purpose is the verification relationship a DID key must be listed
// under.
type Purpose string

const (
	// PurposeAssertionMethod: an issuer signs a credential.
	PurposeAssertionMethod Purpose = "assertionMethod"
	// PurposeAuthentication: a holder signs a KB-JWT.
	PurposeAuthentication Purpose = "authentication"
)

// DIDKeys resolves a DID URL (a kid, or cnf.kid) to the public key of
// that verification method, but only if the DID's document lists it
// for purpose. The verifier implements it over its DID registry; keys
// are ed25519.PublicKey or *ecdsa.PublicKey (P-256).
type DIDKeys interface {
	DIDKey(ctx context.Context, didURL string, purpose Purpose) (crypto.PublicKey, error)
}

// Options is the policy a presentation must meet.
type Options struct {
	// Keys establishes the issuer's key (required): KeySources, or the
	// caller's own.
	Keys IssuerKeys
	// Holders resolves cnf.kid DID URLs (nil: only cnf.jwk is usable).
	Holders DIDKeys

	// RequireKeyBinding makes a presentation without a KB-JWT fail
	// (CodeKBMissing). It is the caller's policy, never the
	// presentation's: RFC 9901 §7.3 "This decision MUST NOT be based on
	// whether a Key Binding JWT is provided by the Holder or not." A
	// KB-JWT that is present is verified either way.
	RequireKeyBinding bool
	// Nonce and Audience are what a KB-JWT must carry: the request's nonce
	// and the full client identifier, compared exactly.
	Nonce, Audience string
	// SkipNonce and SkipAudience leave a KB-JWT's nonce or aud unchecked:
	// for inspecting a recorded presentation offline, never for a login,
	// where they make replays possible.
	SkipNonce, SkipAudience bool

	// Algorithms narrows the accepted algs (EdDSA, ES256); empty means both.
	Algorithms []string
	// HashAlgorithms lists the accepted _sd_alg values (empty: sha-256
	// only; sha-384 and sha-512 are known and may be listed).
	HashAlgorithms []string
	// Types lists the accepted typ values of the issuer-signed JWT (empty:
	// dc+sd-jwt and vc+sd-jwt).
	Types []string
	// Plain verifies a bare RFC 9901 SD-JWT: no typ requirement unless
	// Types is set, and none of the SD-JWT VC claim rules (vct required,
	// registered claims not selectively disclosable).
	Plain bool

	// Now is the verification time (nil: time.Now); ClockSkew the
	// tolerance on exp, nbf, iat (0: DefaultClockSkew; negative: none).
	Now       func() time.Time
	ClockSkew time.Duration
	// KBMaxAge and KBMaxFuture bound a KB-JWT's iat around now (0: the
	// defaults). ClockSkew is not added to them: they are the window.
	KBMaxAge, KBMaxFuture time.Duration

	Limits Limits
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

func (o Options) kbMaxAge() time.Duration {
	if o.KBMaxAge <= 0 {
		return DefaultKBMaxAge
	}
	return o.KBMaxAge
}

func (o Options) kbMaxFuture() time.Duration {
	if o.KBMaxFuture <= 0 {
		return DefaultKBMaxFuture
	}
	return o.KBMaxFuture
}

func (o Options) algAllowed(alg string) bool {
	if alg != AlgEdDSA && alg != AlgES256 {
		return false
	}
	return len(o.Algorithms) == 0 || slices.Contains(o.Algorithms, alg)
}

func (o Options) typAllowed(typ string) bool {
	switch {
	case len(o.Types) > 0:
		return slices.Contains(o.Types, typ)
	case o.Plain:
		return true
	}
	return typ == TypeDC || typ == TypeVC
}

func (o Options) hashAllowed(name string) bool {
	if len(o.HashAlgorithms) == 0 {
		return name == HashSHA256
	}
	return slices.Contains(o.HashAlgorithms, name)
}
