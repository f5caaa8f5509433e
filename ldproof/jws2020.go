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

// Verify implements Suite.
func (JsonWebSignature2020) Verify(_ context.Context, in *Input) error {
	jws, ok := in.Proof["jws"].(string)
	if !ok || jws == "" {
		return newError(CodeMalformedProof, "JsonWebSignature2020 proof has no jws string")
	}
	data, err := linkedDataVerifyData(in, contextJWS2020)
	if err != nil {
		return err
	}
	return verifyDetachedJWS(jws, data, in.Key.PublicKey, algEdDSA, algES256)
}

func (JsonWebSignature2020) sign(in *Input, priv crypto.Signer) (map[string]any, error) {
	data, err := linkedDataVerifyData(in, contextJWS2020)
	if err != nil {
		return nil, err
	}
	jws, err := signDetachedJWS(data, priv)
	if err != nil {
		return nil, err
	}
	out := withoutMember(in.Proof, "jws")
	out["jws"] = jws
	return out, nil
}
