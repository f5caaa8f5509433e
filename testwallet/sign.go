package testwallet

import (
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"maps"

	"github.com/gowebpki/jcs"
	"github.com/mr-tron/base58"
)

// The test wallet signs with its own code, not the verifier's: JCS from
// gowebpki/jcs (the RFC 8785 reference port), Ed25519 from the standard
// library, did:key built by hand. So every test that passes is a check of
// two independent implementations against each other.

// didKeyOf is did:key for an Ed25519 key: multibase base58btc of the
// multicodec 0xed01 followed by the key.
func didKeyOf(pub ed25519.PublicKey) (did, vmID string) {
	id := "z" + base58.Encode(append([]byte{0xed, 0x01}, pub...))
	return "did:key:" + id, "did:key:" + id + "#" + id
}

// signJCS adds a JcsEd25519Signature2020 proof: the signature is over the
// raw JCS bytes of the document with its proof minus signatureValue.
func signJCS(doc map[string]any, proofOpts map[string]any, priv ed25519.PrivateKey) (map[string]any, error) {
	proof := maps.Clone(proofOpts)
	proof["type"] = "JcsEd25519Signature2020"
	out := maps.Clone(doc)
	out["proof"] = proof
	raw, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("marshal: %w", err)
	}
	canon, err := jcs.Transform(raw)
	if err != nil {
		return nil, fmt.Errorf("jcs: %w", err)
	}
	signed := maps.Clone(proof)
	signed["signatureValue"] = base58.Encode(ed25519.Sign(priv, canon))
	out["proof"] = signed
	return out, nil
}
