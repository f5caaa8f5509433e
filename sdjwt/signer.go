package sdjwt

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"

	jose "github.com/go-jose/go-jose/v4"
)

// Signer signs issuer-signed JWTs and KB-JWTs: an Ed25519 key signs
// EdDSA, a P-256 key ES256.
type Signer struct {
	Key   crypto.Signer // ed25519.PrivateKey or *ecdsa.PrivateKey (P-256)
	KeyID string        // the kid header, if any
	// X5C is the x5c header, leaf first, if any.
	X5C []*x509.Certificate
}

// Alg is the JWS alg the key signs with, or "" for a key this package
// does not sign with.
func (s Signer) Alg() string {
	switch k := s.Key.(type) {
	case ed25519.PrivateKey:
		return AlgEdDSA
	case *ecdsa.PrivateKey:
		if k.Curve == elliptic.P256() {
			return AlgES256
		}
	}
	return ""
}

// sign is the compact JWS of claims with typ (and kid, x5c) in the
// protected header.
func (s Signer) sign(typ string, claims any) (string, error) {
	alg := s.Alg()
	if alg == "" {
		return "", newError(CodeIssue, "the signing key is neither Ed25519 nor P-256")
	}
	so := (&jose.SignerOptions{}).WithType(jose.ContentType(typ))
	if s.KeyID != "" {
		so = so.WithHeader(jose.HeaderKey("kid"), s.KeyID)
	}
	if len(s.X5C) > 0 {
		chain := make([]string, len(s.X5C))
		for i, c := range s.X5C {
			chain[i] = base64.StdEncoding.EncodeToString(c.Raw)
		}
		so = so.WithHeader(jose.HeaderKey("x5c"), chain)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.SignatureAlgorithm(alg), Key: s.Key}, so)
	if err != nil {
		return "", wrapError(CodeIssue, err, "no signer for the key")
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", wrapError(CodeIssue, err, "the claims cannot be encoded")
	}
	obj, err := signer.Sign(payload)
	if err != nil {
		return "", wrapError(CodeIssue, err, "signing failed")
	}
	return obj.CompactSerialize()
}
