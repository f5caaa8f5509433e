package key

import (
	"fmt"

	"filippo.io/edwards25519"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/did/internal/multikey"
)

const (
	contextMultikey = "https://w3id.org/security/multikey/v1"
	contextDID      = "https://www.w3.org/ns/did/v1"
	contextEd25519  = "https://w3id.org/security/suites/ed25519-2020/v1"
	contextX25519   = "https://w3id.org/security/suites/x25519-2020/v1"

	typeX25519KeyAgreementKey2020 = "X25519KeyAgreementKey2020"
)

// keyType turns the raw key of one multicodec into a DID document (as the
// decoded-JSON map did.DocumentFromMap reads).
type keyType struct {
	document func(id, mb string, raw []byte) (map[string]any, error)
}

var keyTypes = map[uint64]keyType{
	multikey.Ed25519Pub: {document: ed25519Document},
	multikey.X25519Pub:  {document: x25519Document},
	multikey.P256Pub:    {document: p256Document},
}

// ed25519Document follows the spec's "Document Creation Algorithm" with
// publicKeyFormat Ed25519VerificationKey2020 and encryption key derivation
// on: the signature method goes under every relationship but keyAgreement,
// which gets the birationally mapped X25519 key.
func ed25519Document(id, mb string, raw []byte) (map[string]any, error) {
	// "Ensure the proper key length and that the key is a valid point":
	// a key that does not decode can never verify, so refuse the DID.
	p, err := new(edwards25519.Point).SetBytes(raw)
	if err != nil {
		return nil, fmt.Errorf("not a valid Ed25519 public key: %v", err)
	}
	vmID := id + "#" + mb
	xmb := multikey.Encode(multikey.X25519Pub, p.BytesMontgomery())
	return map[string]any{
		"@context": []any{contextDID, contextEd25519, contextX25519},
		"id":       id,
		"verificationMethod": []any{map[string]any{
			"id":                 vmID,
			"type":               did.TypeEd25519VerificationKey2020,
			"controller":         id,
			"publicKeyMultibase": mb,
		}},
		did.Authentication:       []any{vmID},
		did.AssertionMethod:      []any{vmID},
		did.CapabilityInvocation: []any{vmID},
		did.CapabilityDelegation: []any{vmID},
		did.KeyAgreement: []any{map[string]any{
			"id":                 id + "#" + xmb,
			"type":               typeX25519KeyAgreementKey2020,
			"controller":         id,
			"publicKeyMultibase": xmb,
		}},
	}, nil
}

// x25519Document: an X25519 did:key can only agree keys, never sign.
func x25519Document(id, mb string, _ []byte) (map[string]any, error) {
	return map[string]any{
		"@context": []any{contextDID, contextX25519},
		"id":       id,
		did.KeyAgreement: []any{map[string]any{
			"id":                 id + "#" + mb,
			"type":               typeX25519KeyAgreementKey2020,
			"controller":         id,
			"publicKeyMultibase": mb,
		}},
	}, nil
}

// p256Document: a P-256 did:key ("zDn…") is one Multikey signing method,
// listed under every relationship but keyAgreement (ECDH with a signing key
// is not derived here).
func p256Document(id, mb string, raw []byte) (map[string]any, error) {
	if _, err := multikey.P256(raw); err != nil {
		return nil, fmt.Errorf("not a valid P-256 public key: %v", err)
	}
	vmID := id + "#" + mb
	return map[string]any{
		"@context": []any{contextDID, contextMultikey},
		"id":       id,
		"verificationMethod": []any{map[string]any{
			"id":                 vmID,
			"type":               did.TypeMultikey,
			"controller":         id,
			"publicKeyMultibase": mb,
		}},
		did.Authentication:       []any{vmID},
		did.AssertionMethod:      []any{vmID},
		did.CapabilityInvocation: []any{vmID},
		did.CapabilityDelegation: []any{vmID},
	}, nil
}
