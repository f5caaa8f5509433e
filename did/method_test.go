package did_test

import (
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/loginwithiota/verifier/did"
)

func TestPublicKey(t *testing.T) {
	// RFC 8032 TEST 1 public key, in every encoding the vectors use.
	want, _ := hex.DecodeString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
	const (
		base58Raw   = "FVen3X669xLzsi6N2V91DoiyzHzg1uAgqiT8jZ9nS96Z"     // = publicKeyBase58
		multibase   = "z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw" // z + base58(0xed01 || key)
		jwkX        = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"      // RFC 8037 A.1
		iotaLegacyM = "z" + base58Raw                                    // identity.rs before multicodec
	)
	jwk := map[string]any{"kty": "OKP", "crv": "Ed25519", "x": jwkX}
	tests := []struct {
		name string
		vm   did.VerificationMethod
	}{
		{"2018 base58", did.VerificationMethod{Type: did.TypeEd25519VerificationKey2018, PublicKeyBase58: base58Raw}},
		{"2018 legacy multibase", did.VerificationMethod{Type: did.TypeEd25519VerificationKey2018, PublicKeyMultibase: iotaLegacyM}},
		{"2018 multicodec", did.VerificationMethod{Type: did.TypeEd25519VerificationKey2018, PublicKeyMultibase: multibase}},
		{"2020 multicodec", did.VerificationMethod{Type: did.TypeEd25519VerificationKey2020, PublicKeyMultibase: multibase}},
		{"2020 legacy multibase", did.VerificationMethod{Type: did.TypeEd25519VerificationKey2020, PublicKeyMultibase: iotaLegacyM}},
		{"2018 jwk", did.VerificationMethod{Type: did.TypeEd25519VerificationKey2018, PublicKeyJwk: jwk}},
		{"Multikey", did.VerificationMethod{Type: did.TypeMultikey, PublicKeyMultibase: multibase}},
		{"JsonWebKey2020", did.VerificationMethod{Type: did.TypeJsonWebKey2020, PublicKeyJwk: jwk}},
		{"JsonWebKey", did.VerificationMethod{Type: did.TypeJsonWebKey, PublicKeyJwk: jwk}},
		{"JcsEd25519Key2020", did.VerificationMethod{Type: did.TypeJcsEd25519Key2020, PublicKeyBase58: base58Raw}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.vm.PublicKey()
			if err != nil {
				t.Fatal(err)
			}
			if k, ok := got.(ed25519.PublicKey); !ok || !k.Equal(ed25519.PublicKey(want)) {
				t.Errorf("key = %x, want %x", got, want)
			}
		})
	}
}

func TestPublicKeyErrors(t *testing.T) {
	const b58 = "FVen3X669xLzsi6N2V91DoiyzHzg1uAgqiT8jZ9nS96Z"
	tests := []struct {
		name string
		vm   did.VerificationMethod
		want error
	}{
		{"no key", did.VerificationMethod{Type: did.TypeMultikey}, did.ErrInvalidDocument},
		{"two keys", did.VerificationMethod{Type: did.TypeEd25519VerificationKey2018, PublicKeyBase58: b58, PublicKeyMultibase: "z" + b58}, did.ErrInvalidDocument},
		{"unknown type", did.VerificationMethod{Type: "EcdsaSecp256k1VerificationKey2019", PublicKeyBase58: b58}, did.ErrUnsupportedKey},
		{"short base58", did.VerificationMethod{Type: did.TypeEd25519VerificationKey2018, PublicKeyBase58: "4CcKDtU1"}, did.ErrInvalidDocument},
		{"bad base58", did.VerificationMethod{Type: did.TypeEd25519VerificationKey2018, PublicKeyBase58: "0OIl"}, did.ErrInvalidDocument},
		{"base64 multibase", did.VerificationMethod{Type: did.TypeEd25519VerificationKey2020, PublicKeyMultibase: "m7QE"}, did.ErrInvalidDocument},
		{"Multikey without codec", did.VerificationMethod{Type: did.TypeMultikey, PublicKeyMultibase: "z" + b58}, did.ErrUnsupportedKey}, // read as codec 0x2d57
		{"Multikey X25519", did.VerificationMethod{Type: did.TypeMultikey, PublicKeyMultibase: "z6LSbysY2xFMRpGMhb7tFTLMpeuPRaqaWM1yECx2AtzE3KCc"}, did.ErrUnsupportedKey},
		{"Multikey base58", did.VerificationMethod{Type: did.TypeMultikey, PublicKeyBase58: b58}, did.ErrInvalidDocument},
		{"jwk secp256k1", did.VerificationMethod{Type: did.TypeJsonWebKey2020, PublicKeyJwk: map[string]any{"kty": "EC", "crv": "secp256k1"}}, did.ErrUnsupportedKey},
		{"jwk P-256 without y", did.VerificationMethod{Type: did.TypeJsonWebKey2020, PublicKeyJwk: map[string]any{"kty": "EC", "crv": "P-256", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}}, did.ErrInvalidDocument},
		{"jwk private", did.VerificationMethod{Type: did.TypeJsonWebKey2020, PublicKeyJwk: map[string]any{"kty": "OKP", "crv": "Ed25519",
			"x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", "d": "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}}, did.ErrInvalidDocument},
		{"jwk padded x", did.VerificationMethod{Type: did.TypeJsonWebKey2020, PublicKeyJwk: map[string]any{"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo="}}, did.ErrInvalidDocument},
		{"JsonWebKey2020 base58", did.VerificationMethod{Type: did.TypeJsonWebKey2020, PublicKeyBase58: b58}, did.ErrInvalidDocument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.vm.PublicKey(); !errors.Is(err, tt.want) {
				t.Errorf("error = %v, want %v", err, tt.want)
			}
		})
	}
}
