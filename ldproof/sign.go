package ldproof

import (
	"crypto"
	"fmt"
	"maps"

	"github.com/loginwithiota/verifier/ldproof/jsonld"
)

// signer is implemented by the suites Sign can make proofs with.
type signer interface {
	// sign returns in.Proof (the proof options) completed with a signature.
	sign(in *Input, priv crypto.Signer) (map[string]any, error)
}

// Sign returns a copy of doc with a proof of proof["type"] (and, for
// DataIntegrityProof, proof["cryptosuite"]) made from proof's fields
// (verificationMethod, proofPurpose, created, challenge, domain, …) with
// priv (ed25519.PrivateKey, or *ecdsa.PrivateKey for JsonWebSignature2020).
// If doc already has proofs the new one is added to them as a proof set.
// p canonicalizes (nil: jsonld.Default()). doc and proof are not modified.
// It serves tests and the repository's test wallet; for
// JcsEd25519Signature2020 see SignJcsEd25519.
func Sign(doc, proof map[string]any, priv crypto.Signer, p *jsonld.Processor) (map[string]any, error) {
	typ, _ := proof["type"].(string)
	cs, _ := proof["cryptosuite"].(string)
	if typ == TypeJcsEd25519Signature2020 {
		return nil, fmt.Errorf("ldproof: use SignJcsEd25519 for %s", typ)
	}
	suite, ok := Lookup(typ, cs)
	if !ok {
		return nil, fmt.Errorf("ldproof: no suite %q %q", typ, cs)
	}
	s, ok := suite.(signer)
	if !ok {
		return nil, fmt.Errorf("ldproof: suite %q cannot sign", typ)
	}
	if p == nil {
		p = jsonld.Default()
	}
	in := &Input{Document: doc, Proof: maps.Clone(proof), JSONLD: p}
	if in.Unsecured, _ = unsecuredDocument(doc, nil, map[string]any{}); in.Unsecured == nil {
		return nil, fmt.Errorf("ldproof: sign: cannot build the unsecured document")
	}
	done, err := s.sign(in, priv)
	if err != nil {
		return nil, fmt.Errorf("ldproof: sign: %w", err)
	}
	out := maps.Clone(doc)
	switch existing := doc["proof"].(type) {
	case nil:
		out["proof"] = done
	case []any:
		out["proof"] = append(append(make([]any, 0, len(existing)+1), existing...), done)
	default:
		out["proof"] = []any{existing, done}
	}
	return out, nil
}

// compile-time checks that every signing suite is one.
var (
	_ signer = Ed25519Signature2018{}
	_ signer = Ed25519Signature2020{}
	_ signer = JsonWebSignature2020{}
	_ signer = EdDSACryptosuite{}
)
