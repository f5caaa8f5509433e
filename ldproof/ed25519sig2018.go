package ldproof

import (
	"context"
	"crypto"
)

// TypeEd25519Signature2018 is the proof type of the Ed25519 Signature 2018
// suite (W3C CCG): a detached JWS (alg EdDSA, "b64": false) over the
// linked-data verify data.
const TypeEd25519Signature2018 = "Ed25519Signature2018"

// Ed25519Signature2018 verifies proof.jws, an RFC 7797 detached JWS whose
// payload is SHA-256(URDNA2015(proof options)) || SHA-256(URDNA2015(document)),
// as jsonld-signatures and @digitalbazaar/ed25519-signature-2018 make it.
type Ed25519Signature2018 struct{}

func init() { register(Ed25519Signature2018{}) }

// Type implements Suite.
func (Ed25519Signature2018) Type() string { return TypeEd25519Signature2018 }

// Cryptosuite implements Suite.
func (Ed25519Signature2018) Cryptosuite() string { return "" }

// credentials v1 and security v2 define this suite's terms themselves.
var contexts2018 = []string{contextEd25519v2018, contextCredentialsV1, contextSecurityV2}

// Verify implements Suite.
func (Ed25519Signature2018) Verify(ctx context.Context, in *Input) error {
	return verifyJWSProof(ctx, in, TypeEd25519Signature2018, contexts2018, algEdDSA)
}

func (Ed25519Signature2018) sign(in *Input, priv crypto.Signer) (map[string]any, error) {
	return signJWSProof(in, priv, contexts2018)
}
