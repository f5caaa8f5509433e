package jwtvc

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"encoding/json"
	"errors"
	"fmt"

	jose "github.com/go-jose/go-jose/v4"
)

// PublicKeyFromJWK decodes a public JWK (a verification method's
// publicKeyJwk, or a did:jwk) with go-jose: OKP/Ed25519 gives an
// ed25519.PublicKey, EC/P-256 an *ecdsa.PublicKey. Other key types,
// curves, and JWKs carrying a private part are refused.
func PublicKeyFromJWK(jwk map[string]any) (crypto.PublicKey, error) {
	raw, err := json.Marshal(jwk)
	if err != nil {
		return nil, fmt.Errorf("jwk: %w", err)
	}
	var k jose.JSONWebKey
	if err := k.UnmarshalJSON(raw); err != nil {
		return nil, fmt.Errorf("jwk: %w", err)
	}
	if !k.IsPublic() {
		return nil, errors.New("jwk: contains a private key")
	}
	switch pub := k.Key.(type) {
	case ed25519.PublicKey:
		return pub, nil
	case *ecdsa.PublicKey:
		if pub.Curve == elliptic.P256() {
			return pub, nil
		}
		return nil, fmt.Errorf("jwk: EC curve %s is not supported (P-256 only)", pub.Curve.Params().Name)
	}
	return nil, fmt.Errorf("jwk: %T keys are not supported (Ed25519 and P-256 only)", k.Key)
}
