package ldproof

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"fmt"

	"github.com/mr-tron/base58"
)

// TypeEd25519Signature2020 is the proof type of the Ed25519 Signature 2020
// suite (W3C CCG di-eddsa-2020).
const TypeEd25519Signature2020 = "Ed25519Signature2020"

// Ed25519Signature2020 verifies proof.proofValue, a multibase (base58btc,
// "z") Ed25519 signature over SHA-256(URDNA2015(proof options)) ||
// SHA-256(URDNA2015(document)).
type Ed25519Signature2020 struct{}

func init() { register(Ed25519Signature2020{}) }

// Type implements Suite.
func (Ed25519Signature2020) Type() string { return TypeEd25519Signature2020 }

// Cryptosuite implements Suite.
func (Ed25519Signature2020) Cryptosuite() string { return "" }

// Verify implements Suite.
func (Ed25519Signature2020) Verify(ctx context.Context, in *Input) error {
	sig, err := proofValue(in.Proof)
	if err != nil {
		return err
	}
	pub, err := ed25519Key(in.Key, TypeEd25519Signature2020)
	if err != nil {
		return err
	}
	return verifyLinkedData(ctx, in, []string{contextEd25519v2020}, func(data []byte) error {
		if !ed25519.Verify(pub, data, sig) {
			return newError(CodeInvalidSignature, "Ed25519 signature does not verify over the canonical proof options and document: "+
				"the document or proof was changed after signing, or another key signed it")
		}
		return nil
	})
}

func (Ed25519Signature2020) sign(in *Input, priv crypto.Signer) (map[string]any, error) {
	k, ok := priv.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("ldproof: Ed25519Signature2020 needs an Ed25519 key, got %T", priv)
	}
	data, err := linkedDataVerifyData(context.Background(), in, contextEd25519v2020)
	if err != nil {
		return nil, err
	}
	out := withoutMember(in.Proof, "proofValue")
	out["proofValue"] = "z" + base58.Encode(ed25519.Sign(k, data))
	return out, nil
}

// proofValue decodes a multibase base58btc proofValue of a 64-byte
// signature.
func proofValue(proof map[string]any) ([]byte, error) {
	pv, ok := proof["proofValue"].(string)
	if !ok || pv == "" {
		return nil, newError(CodeMalformedProof, "proof has no proofValue string")
	}
	if len(pv) > maxSignatureChars {
		return nil, newError(CodeInvalidSignature, "proofValue is %d characters, far too long for a 64-byte signature", len(pv))
	}
	if pv[0] != 'z' {
		return nil, newError(CodeMalformedProof, "proofValue must be multibase base58btc (start with 'z')")
	}
	sig, err := base58.Decode(pv[1:])
	if err != nil {
		return nil, &Error{Code: CodeMalformedProof, Reason: "proofValue is not base58btc", Err: err}
	}
	if len(sig) != ed25519.SignatureSize {
		return nil, newError(CodeInvalidSignature, "proofValue decodes to %d bytes, want a 64-byte Ed25519 signature", len(sig))
	}
	return sig, nil
}

func ed25519Key(key *Key, suite string) (ed25519.PublicKey, error) {
	pub, ok := key.PublicKey.(ed25519.PublicKey)
	if !ok || len(pub) != ed25519.PublicKeySize {
		return nil, newError(CodeKeyResolutionFailed, "key %s is %T, %s needs an Ed25519 key", clip(key.ID), key.PublicKey, suite)
	}
	return pub, nil
}
