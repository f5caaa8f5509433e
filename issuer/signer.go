package issuer

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/go-jose/go-jose/v4"
)

// Signer is the issuer's own key and the DID it speaks as.
type Signer struct {
	// DID is the issuer of every credential (issuer / iss).
	DID string
	// KeyID is the verification method of Key in DID's document, listed
	// under assertionMethod (proof.verificationMethod / kid).
	KeyID string
	// Key is an ed25519.PrivateKey (EdDSA) or a P-256 *ecdsa.PrivateKey (ES256).
	Key crypto.Signer
}

// JWS algorithms of issued credentials and accepted key proofs.
const (
	AlgEdDSA = "EdDSA"
	AlgES256 = "ES256"
)

// Alg is the JWS algorithm of the signer's key.
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

func (s Signer) validate() error {
	if s.DID == "" || s.KeyID == "" || s.Key == nil {
		return errors.New("issuer: the signer needs a DID, a key id and a key")
	}
	if s.Alg() == "" {
		return fmt.Errorf("issuer: signer key %T is neither Ed25519 nor P-256", s.Key)
	}
	return nil
}

// PublicJWK is the signer's public key as a JWK (RFC 7638's members).
func (s Signer) PublicJWK() (map[string]any, error) {
	jwk, ok := publicJWK(s.Key.Public())
	if !ok {
		return nil, fmt.Errorf("issuer: signer key %T is neither Ed25519 nor P-256", s.Key)
	}
	return jwk, nil
}

// Thumbprint is the RFC 7638 SHA-256 thumbprint of the public key,
// base64url: the kid of the key in the JWT VC Issuer Metadata.
func (s Signer) Thumbprint() (string, error) {
	tp, err := (&jose.JSONWebKey{Key: s.Key.Public()}).Thumbprint(crypto.SHA256)
	if err != nil {
		return "", fmt.Errorf("issuer: key thumbprint: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(tp), nil
}
