package ldproof

import (
	"context"
	"crypto"
)

// TypeJsonWebSignature2020 is the proof type of the JSON Web Signature 2020
// suite (W3C CCG lds-jws2020).
const TypeJsonWebSignature2020 = "JsonWebSignature2020"

// JsonWebSignature2020 verifies proof.jws, a detached JWS ("b64": false)
// over the same linked-data verify data as Ed25519Signature2018, with an
// Ed25519 key (alg EdDSA) or a P-256 key (alg ES256, signature r||s).
type JsonWebSignature2020 struct{}

func init() { register(JsonWebSignature2020{}) }

// Type implements Suite.
func (JsonWebSignature2020) Type() string { return TypeJsonWebSignature2020 }

// Cryptosuite implements Suite.
func (JsonWebSignature2020) Cryptosuite() string { return "" }

var contextsJWS2020 = []string{contextJWS2020}

// Verify implements Suite.
func (JsonWebSignature2020) Verify(ctx context.Context, in *Input) error {
	return verifyJWSProof(ctx, in, TypeJsonWebSignature2020, contextsJWS2020, algEdDSA, algES256)
}

func (JsonWebSignature2020) sign(in *Input, priv crypto.Signer) (map[string]any, error) {
	return signJWSProof(in, priv, contextsJWS2020)
}
