package ldproof

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"

	"github.com/mr-tron/base58"

	"github.com/loginwithiota/verifier/internal/jsonx"
	"github.com/loginwithiota/verifier/ldproof/jcs"
	"github.com/loginwithiota/verifier/ldproof/jsonld"
)

// Data Integrity (W3C VC Data Integrity 1.0) proof type and the EdDSA
// cryptosuites of W3C VC-DI-EdDSA 1.0.
const (
	TypeDataIntegrityProof = "DataIntegrityProof"
	CryptosuiteEdDSARDFC   = "eddsa-rdfc-2022"
	CryptosuiteEdDSAJCS    = "eddsa-jcs-2022"
)

// EdDSACryptosuite verifies DataIntegrityProof proofs of eddsa-rdfc-2022
// (RDF Dataset Canonicalization) or eddsa-jcs-2022 (JCS): an Ed25519
// signature, multibase base58btc in proofValue, over
// SHA-256(canonical proof configuration) || SHA-256(canonical document).
type EdDSACryptosuite struct {
	JCS bool // eddsa-jcs-2022; false: eddsa-rdfc-2022
}

func init() {
	register(EdDSACryptosuite{})
	register(EdDSACryptosuite{JCS: true})
}

// Type implements Suite.
func (EdDSACryptosuite) Type() string { return TypeDataIntegrityProof }

// Cryptosuite implements Suite.
func (s EdDSACryptosuite) Cryptosuite() string {
	if s.JCS {
		return CryptosuiteEdDSAJCS
	}
	return CryptosuiteEdDSARDFC
}

// Verify implements Suite, following VC-DI-EdDSA §3.2.2 / §3.3.2 "Verify
// Proof" with the proof configuration checks of §3.2.5 / §3.3.5.
func (s EdDSACryptosuite) Verify(ctx context.Context, in *Input) error {
	sig, err := proofValue(in.Proof)
	if err != nil {
		return err
	}
	pub, err := ed25519Key(in.Key, s.Cryptosuite())
	if err != nil {
		return err
	}
	data, err := s.hashData(ctx, in)
	if err != nil {
		return err
	}
	if !ed25519.Verify(pub, data, sig) {
		return newError(CodeInvalidSignature, "Ed25519 signature does not verify over the canonical proof configuration and document: "+
			"the document or proof was changed after signing, or another key signed it")
	}
	return nil
}

// hashData builds the proof configuration and the document as signed and
// hashes both.
func (s EdDSACryptosuite) hashData(ctx context.Context, in *Input) ([]byte, error) {
	unsecured := in.Unsecured
	shared := true // unsecured is in.Unsecured, whose canonical form Inspect shares
	config := withoutMember(in.Proof, "proofValue")
	// "If proofOptions.@context exists: Check that the securedDocument.@context
	// starts with all values contained in the proofOptions.@context in the same
	// order. Otherwise, set verified to false ... Set
	// unsecuredDocument.@context equal to proofOptions.@context."
	if pc, ok := config["@context"]; ok {
		if !startsWith(in.Document["@context"], pc) {
			return nil, newError(CodeMalformedProof, "the proof's @context is not a prefix of the document's @context")
		}
		if !startsWith(pc, in.Document["@context"]) { // a strict prefix: another document
			unsecured = withoutMember(unsecured, "@context")
			unsecured["@context"] = pc
			shared = false
		}
	}
	// Proof configuration: "If options.type is not set to DataIntegrityProof
	// and/or options.cryptosuite is not set to [ours], an error MUST be
	// raised"; created, when present, must be a dateTime (checked by policy);
	// "Set proofConfig.@context to unsecuredDocument.@context."
	if cs, _ := config["cryptosuite"].(string); cs != s.Cryptosuite() {
		return nil, newError(CodeMalformedProof, "proof cryptosuite is %q, want %s", clip(cs), s.Cryptosuite())
	}
	if c, ok := unsecured["@context"]; ok {
		config["@context"] = c
	} else {
		delete(config, "@context")
	}
	if !s.JCS {
		if shared {
			return rdfHashes(ctx, in, jsonld.RDFC10, config, nil)
		}
		return rdfHashes(ctx, in, jsonld.RDFC10, config, unsecured)
	}
	c, err := jcs.Canonicalize(config)
	if err != nil {
		return nil, &Error{Code: CodeMalformedProof, Reason: "proof configuration cannot be canonicalized with JCS", Err: err}
	}
	d, err := jcs.Canonicalize(unsecured)
	if err != nil {
		return nil, &Error{Code: CodeMalformedProof, Reason: "document cannot be canonicalized with JCS", Err: err}
	}
	hc, hd := sha256.Sum256(c), sha256.Sum256(d)
	return append(hc[:], hd[:]...), nil
}

func (s EdDSACryptosuite) sign(in *Input, priv crypto.Signer) (map[string]any, error) {
	k, ok := priv.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("ldproof: %s needs an Ed25519 key, got %T", s.Cryptosuite(), priv)
	}
	proof := withoutMember(in.Proof, "proofValue")
	proof["cryptosuite"] = s.Cryptosuite()
	if s.JCS {
		if c, ok := in.Unsecured["@context"]; ok {
			proof["@context"] = c
		}
	}
	in2 := *in
	in2.Proof = proof
	data, err := s.hashData(context.Background(), &in2)
	if err != nil {
		return nil, err
	}
	proof["proofValue"] = "z" + base58.Encode(ed25519.Sign(k, data))
	return proof, nil
}

// startsWith reports whether JSON-LD context list doc begins with prefix.
func startsWith(doc, prefix any) bool {
	d, p := jsonx.Items(doc), jsonx.Items(prefix)
	if len(p) > len(d) {
		return false
	}
	for i := range p {
		a, err1 := jcs.Canonicalize(p[i])
		b, err2 := jcs.Canonicalize(d[i])
		if err1 != nil || err2 != nil || string(a) != string(b) {
			return false
		}
	}
	return true
}
