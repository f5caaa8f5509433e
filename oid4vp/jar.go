package oid4vp

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// Signer signs request objects (RFC 9101, JAR) under a client identifier
// prefix that asks for it: decentralized_identifier names the key with
// KeyID, the x509 prefixes carry the chain in X5C.
type Signer struct {
	// Key is *ecdsa.PrivateKey (P-256, ES256) or ed25519.PrivateKey
	// (EdDSA).
	Key crypto.Signer
	// KeyID is the kid header: for decentralized_identifier "a particular
	// public key used to sign the request in question MUST be identified
	// by the kid in the JOSE Header" (a DID URL of the verifier's DID).
	KeyID string
	// X5C is the certificate chain, leaf first, DER: the x5c header of
	// the x509_san_dns and x509_hash prefixes.
	X5C [][]byte
}

// Alg is the JWS alg of s's key.
func (s Signer) Alg() (jose.SignatureAlgorithm, error) {
	switch k := s.Key.(type) {
	case *ecdsa.PrivateKey:
		if k.Curve != elliptic.P256() {
			return "", errors.New("oid4vp: an ECDSA request signing key must be P-256")
		}
		return jose.ES256, nil
	case ed25519.PrivateKey:
		return jose.EdDSA, nil
	}
	return "", fmt.Errorf("oid4vp: request signing key %T is neither P-256 nor Ed25519", s.Key)
}

// SignRequestObject signs params as a request object. 1.0 §5: "Verifiers
// MUST include the typ Header Parameter in Request Objects with the value
// oauth-authz-req+jwt"; §5.8: "the aud claim MUST be
// "https://self-issued.me/v2", when Static Discovery metadata is used".
// iat and exp (the login's end) bound it in time; no iss is added ("if it
// is present, the Wallet MUST ignore it").
func SignRequestObject(s Signer, params map[string]any, iat, exp time.Time) (string, error) {
	alg, err := s.Alg()
	if err != nil {
		return "", err
	}
	opts := (&jose.SignerOptions{}).WithType(RequestObjectType)
	if s.KeyID != "" {
		opts = opts.WithHeader(jose.HeaderKey("kid"), s.KeyID)
	}
	if len(s.X5C) > 0 {
		chain := make([]string, len(s.X5C))
		for i, der := range s.X5C {
			// RFC 7515 §4.1.6: "Each string in the array is a base64-encoded
			// (Section 4 of [RFC4648] -- not base64url-encoded) DER".
			chain[i] = base64.StdEncoding.EncodeToString(der)
		}
		opts = opts.WithHeader(jose.HeaderKey("x5c"), chain)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: s.Key}, opts)
	if err != nil {
		return "", fmt.Errorf("oid4vp: request signer: %w", err)
	}
	claims := make(map[string]any, len(params)+3)
	for k, v := range params {
		claims[k] = v
	}
	claims["aud"] = AudienceSelfIssued
	claims["iat"] = iat.Unix()
	if !exp.IsZero() {
		claims["exp"] = exp.Unix()
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("oid4vp: request object: %w", err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", fmt.Errorf("oid4vp: request object: %w", err)
	}
	return jws.CompactSerialize()
}
