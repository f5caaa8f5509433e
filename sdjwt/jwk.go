package sdjwt

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

// fit checks that pub is the kind alg needs (RFC 8037 EdDSA with
// Ed25519; RFC 7518 ES256 with P-256) and returns it as go-jose takes it.
func fit(alg string, pub any) (any, error) {
	switch alg {
	case AlgEdDSA:
		if k, ok := pub.(ed25519.PublicKey); ok && len(k) == ed25519.PublicKeySize {
			return k, nil
		}
	case AlgES256:
		switch k := pub.(type) {
		case *ecdsa.PublicKey:
			if k.Curve == elliptic.P256() {
				return k, nil
			}
		case ecdsa.PublicKey:
			if k.Curve == elliptic.P256() {
				return &k, nil
			}
		}
	}
	return nil, fmt.Errorf("a %T cannot verify %s", pub, alg)
}

// PublicKeyFromJWK decodes a public JWK (cnf.jwk, a metadata key) with
// go-jose: OKP/Ed25519 gives an ed25519.PublicKey, EC/P-256 an
// *ecdsa.PublicKey. Other kinds, and JWKs with a private part, are
// refused.
func PublicKeyFromJWK(jwk map[string]any) (crypto.PublicKey, error) {
	raw, err := json.Marshal(jwk)
	if err != nil {
		return nil, err
	}
	var k jose.JSONWebKey
	if err := k.UnmarshalJSON(raw); err != nil {
		return nil, err
	}
	if !k.IsPublic() {
		return nil, errors.New("the JWK holds a private key")
	}
	if !signingKey(k.Key) {
		return nil, fmt.Errorf("%T keys are not supported (Ed25519 and P-256 only)", k.Key)
	}
	return k.Key, nil
}

// JWKOf is the public JWK of an Ed25519 or P-256 key, as a cnf.jwk value.
func JWKOf(pub crypto.PublicKey) (map[string]any, error) {
	if !signingKey(pub) {
		return nil, fmt.Errorf("%T keys are not supported (Ed25519 and P-256 only)", pub)
	}
	raw, err := (&jose.JSONWebKey{Key: pub}).MarshalJSON()
	if err != nil {
		return nil, err
	}
	var m map[string]any
	return m, json.Unmarshal(raw, &m)
}
