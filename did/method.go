package did

import (
	"crypto"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/loginwithiota/verifier/did/internal/multikey"
	"github.com/mr-tron/base58"
)

// VerificationMethod is one verification method (DID Core §5.2). Exactly
// one of the PublicKey* members carries the key.
type VerificationMethod struct {
	ID, Type, Controller                string
	PublicKeyMultibase, PublicKeyBase58 string
	PublicKeyJwk                        map[string]any
}

// Verification method types whose key is an Ed25519 key.
const (
	TypeEd25519VerificationKey2018 = "Ed25519VerificationKey2018"
	TypeEd25519VerificationKey2020 = "Ed25519VerificationKey2020"
	TypeMultikey                   = "Multikey"
	TypeJsonWebKey2020             = "JsonWebKey2020"
	TypeJsonWebKey                 = "JsonWebKey"
	// TypeJcsEd25519Key2020 is the key type of the DIF
	// JcsEd25519Signature2020 reference implementation's examples.
	TypeJcsEd25519Key2020 = "JcsEd25519Key2020"
)

// PublicKey decodes the method's public key. It supports:
//   - Ed25519VerificationKey2018/2020 (and JcsEd25519Key2020): publicKeyBase58
//     (raw 32 bytes), publicKeyMultibase with the 0xed01 multicodec prefix or
//     without it (identity.rs's older documents put z+base58 of the raw key),
//     or an OKP/Ed25519 publicKeyJwk;
//   - Multikey: publicKeyMultibase with a multicodec prefix (Ed25519, or
//     P-256 as a compressed point), giving ed25519.PublicKey or
//     *ecdsa.PublicKey;
//   - JsonWebKey2020 / JsonWebKey: publicKeyJwk, OKP Ed25519 or EC P-256.
//
// Errors wrap ErrUnsupportedKey (type or curve we do not handle) or
// ErrInvalidDocument (malformed key material).
func (vm *VerificationMethod) PublicKey() (crypto.PublicKey, error) {
	n := 0
	for _, present := range []bool{vm.PublicKeyMultibase != "", vm.PublicKeyBase58 != "", vm.PublicKeyJwk != nil} {
		if present {
			n++
		}
	}
	if n != 1 {
		return nil, fmt.Errorf("%w: verification method %s has %d key encodings, want exactly one of publicKeyMultibase, publicKeyBase58, publicKeyJwk",
			ErrInvalidDocument, clip(vm.ID), n)
	}
	var (
		key crypto.PublicKey
		err error
	)
	switch vm.Type {
	case TypeEd25519VerificationKey2018, TypeEd25519VerificationKey2020, TypeJcsEd25519Key2020:
		switch {
		case vm.PublicKeyMultibase != "":
			key, err = ed25519Multibase(vm.PublicKeyMultibase)
		case vm.PublicKeyBase58 != "":
			key, err = ed25519Base58(vm.PublicKeyBase58)
		default:
			key, err = JWKKey(vm.PublicKeyJwk)
		}
	case TypeMultikey:
		if vm.PublicKeyMultibase == "" {
			return nil, fmt.Errorf("%w: Multikey %s needs publicKeyMultibase", ErrInvalidDocument, clip(vm.ID))
		}
		key, err = multikeyKey(vm.PublicKeyMultibase)
	case TypeJsonWebKey2020, TypeJsonWebKey:
		if vm.PublicKeyJwk == nil {
			return nil, fmt.Errorf("%w: %s %s needs publicKeyJwk", ErrInvalidDocument, vm.Type, clip(vm.ID))
		}
		key, err = JWKKey(vm.PublicKeyJwk)
	default:
		return nil, fmt.Errorf("%w: verification method type %q of %s", ErrUnsupportedKey, clip(vm.Type), clip(vm.ID))
	}
	if err != nil {
		return nil, fmt.Errorf("verification method %s: %w", clip(vm.ID), err)
	}
	return key, nil
}

// ed25519Multibase accepts z+base58 of 0xed01||key (the 2020 suite's form)
// or of the raw 32-byte key (identity.rs before the multicodec change).
func ed25519Multibase(s string) (ed25519.PublicKey, error) {
	b, err := multikey.DecodeMultibase(s)
	if err != nil {
		return nil, fmt.Errorf("%w: publicKeyMultibase: %v", ErrInvalidDocument, err)
	}
	switch {
	case len(b) == ed25519.PublicKeySize:
		return ed25519.PublicKey(b), nil
	case len(b) == ed25519.PublicKeySize+2 && b[0] == 0xed && b[1] == 0x01:
		return ed25519.PublicKey(b[2:]), nil
	}
	return nil, fmt.Errorf("%w: publicKeyMultibase decodes to %d bytes, want a 32-byte Ed25519 key with or without the 0xed01 prefix",
		ErrInvalidDocument, len(b))
}

func ed25519Base58(s string) (ed25519.PublicKey, error) {
	b, err := base58.Decode(s)
	if err != nil {
		return nil, fmt.Errorf("%w: publicKeyBase58: %v", ErrInvalidDocument, err)
	}
	if len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%w: publicKeyBase58 decodes to %d bytes, want 32", ErrInvalidDocument, len(b))
	}
	return ed25519.PublicKey(b), nil
}

func multikeyKey(s string) (crypto.PublicKey, error) {
	codec, key, err := multikey.Decode(s)
	switch {
	case errors.Is(err, multikey.ErrUnsupportedCodec):
		return nil, fmt.Errorf("%w: publicKeyMultibase: %v", ErrUnsupportedKey, err)
	case err != nil:
		return nil, fmt.Errorf("%w: publicKeyMultibase: %v", ErrInvalidDocument, err)
	case codec == multikey.Ed25519Pub:
		return ed25519.PublicKey(key), nil
	case codec == multikey.P256Pub:
		pub, err := multikey.P256(key)
		if err != nil {
			return nil, fmt.Errorf("%w: publicKeyMultibase: %v", ErrInvalidDocument, err)
		}
		return pub, nil
	}
	return nil, fmt.Errorf("%w: multicodec 0x%x is not a signature key", ErrUnsupportedKey, codec)
}

// JWKKey decodes a public JWK: OKP/Ed25519 (RFC 8037) or EC/P-256
// (RFC 7518). A JWK carrying a private part ("d") is refused: a document
// that publishes a private key has given it to everyone.
func JWKKey(jwk map[string]any) (crypto.PublicKey, error) {
	kty, _ := jwk["kty"].(string)
	crv, _ := jwk["crv"].(string)
	if _, ok := jwk["d"]; ok {
		return nil, fmt.Errorf("%w: publicKeyJwk contains a private key (\"d\")", ErrInvalidDocument)
	}
	coord := func(name string, size int) ([]byte, error) {
		s, _ := jwk[name].(string)
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil || len(b) != size {
			return nil, fmt.Errorf("%w: publicKeyJwk %q must be %d bytes base64url without padding", ErrInvalidDocument, name, size)
		}
		return b, nil
	}
	switch {
	case kty == "OKP" && crv == "Ed25519":
		x, err := coord("x", ed25519.PublicKeySize)
		if err != nil {
			return nil, err
		}
		return ed25519.PublicKey(x), nil
	case kty == "EC" && crv == "P-256":
		x, err := coord("x", 32)
		if err != nil {
			return nil, err
		}
		y, err := coord("y", 32)
		if err != nil {
			return nil, err
		}
		pub, err := multikey.P256(append(append([]byte{4}, x...), y...))
		if err != nil {
			return nil, fmt.Errorf("%w: publicKeyJwk: %v", ErrInvalidDocument, err)
		}
		return pub, nil
	}
	return nil, fmt.Errorf("%w: publicKeyJwk kty %q crv %q (supported: OKP Ed25519, EC P-256)", ErrUnsupportedKey, clip(kty), clip(crv))
}
