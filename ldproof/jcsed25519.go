package ldproof

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"maps"
	"sync"

	"github.com/mr-tron/base58"

	"github.com/loginwithiota/verifier/ldproof/jcs"
)

// TypeJcsEd25519Signature2020 is the proof type of the DIF
// JcsEd25519Signature2020 suite.
const TypeJcsEd25519Signature2020 = "JcsEd25519Signature2020"

// maxSignatureChars bounds signatureValue before base58-decoding it
// (decoding is quadratic): 64 bytes need at most 88 characters; the limit
// leaves room to decode, and name, the 96-byte variant below.
const maxSignatureChars = 200

// JcsEd25519Suite verifies JcsEd25519Signature2020 proofs as the suite's
// test vectors and identity.rs define them (shared/vectors/README.md §1):
//
//  1. take the document with the proof, minus proof.signatureValue only;
//  2. canonicalize it with JCS (RFC 8785);
//  3. verify Ed25519 over the canonical bytes themselves. The spec prose's
//     SHA-256 pre-hash is NOT applied: no published vector verifies with it;
//  4. signatureValue is plain base58btc (no multibase prefix) of the
//     64-byte signature. The DIF JavaScript implementation's 96-byte
//     attached form (signature || SHA-256 digest) is refused.
//
// For a proof set (doc.proof is an array) each proof is checked as if it
// were the document's only proof, which is how each was created.
type JcsEd25519Suite struct{}

var _ Suite = JcsEd25519Suite{}

func init() { register(JcsEd25519Suite{}) }

// Type implements Suite.
func (JcsEd25519Suite) Type() string { return TypeJcsEd25519Signature2020 }

// Cryptosuite implements Suite: this is not a Data Integrity cryptosuite.
func (JcsEd25519Suite) Cryptosuite() string { return "" }

// signingInputs pools canonicalization buffers: a presentation is a few KB
// and verifying one should not allocate that anew each time.
var signingInputs = sync.Pool{New: func() any { b := make([]byte, 0, 8<<10); return &b }}

// Verify implements Suite. It signs in.Document, not in.Unsecured: the
// suite predates Data Integrity's proof-set rules, and each proof of a set
// was made as if it were the document's only one.
func (JcsEd25519Suite) Verify(_ context.Context, in *Input) error {
	doc, proof, key := in.Document, in.Proof, in.Key
	sv, ok := proof["signatureValue"].(string)
	if !ok || sv == "" {
		return newError(CodeMalformedProof, "JcsEd25519Signature2020 proof has no signatureValue string")
	}
	pub, ok := key.PublicKey.(ed25519.PublicKey)
	if !ok || len(pub) != ed25519.PublicKeySize {
		return newError(CodeKeyResolutionFailed, "key %s is %T, JcsEd25519Signature2020 needs an Ed25519 key", key.ID, key.PublicKey)
	}
	if len(sv) > maxSignatureChars {
		return newError(CodeInvalidSignature, "signatureValue is %d characters, far too long for a 64-byte Ed25519 signature", len(sv))
	}
	sig, err := base58.Decode(sv)
	if err != nil {
		return &Error{Code: CodeMalformedProof, Reason: "signatureValue is not base58btc (no multibase prefix expected)", Err: err}
	}
	if len(sig) != ed25519.SignatureSize {
		return newError(CodeInvalidSignature, "signatureValue decodes to %d bytes, want a 64-byte Ed25519 signature "+
			"(the DIF JavaScript implementation's 96-byte signature||SHA-256 form is not supported)", len(sig))
	}
	bp := signingInputs.Get().(*[]byte)
	defer func() {
		if cap(*bp) <= 1<<20 { // don't keep one huge document's buffer forever
			signingInputs.Put(bp)
		}
	}()
	msg, err := signingInput((*bp)[:0], doc, proof)
	*bp = msg[:0]
	if err != nil {
		return err
	}
	if !ed25519.Verify(pub, msg, sig) {
		return newError(CodeInvalidSignature, "Ed25519 signature does not verify over the JCS-canonicalized document: "+
			"the document or proof was changed after signing, or another key signed it")
	}
	return nil
}

// signingInput appends JCS(doc with "proof" = proof minus signatureValue).
func signingInput(dst []byte, doc, proof map[string]any) ([]byte, error) {
	out, err := jcs.AppendWithMember(dst, doc, "proof", proof, "signatureValue")
	if err != nil {
		return out, &Error{Code: CodeMalformedProof, Reason: "document cannot be canonicalized with JCS (RFC 8785)", Err: err}
	}
	return out, nil
}

// SignJcsEd25519 returns a copy of doc with a JcsEd25519Signature2020 proof
// made from proof's fields (verificationMethod, proofPurpose, created,
// challenge, domain, …; type is set, any signatureValue replaced). If doc
// already has proofs the new one is added to them as a proof set. doc and
// proof are not modified. It serves the repository's test wallet.
func SignJcsEd25519(doc map[string]any, proof map[string]any, priv ed25519.PrivateKey) (map[string]any, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("ldproof: Ed25519 private key is %d bytes, want %d", len(priv), ed25519.PrivateKeySize)
	}
	p := maps.Clone(proof)
	if p == nil {
		p = make(map[string]any)
	}
	delete(p, "signatureValue")
	p["type"] = TypeJcsEd25519Signature2020
	msg, err := signingInput(nil, doc, p)
	if err != nil {
		return nil, fmt.Errorf("ldproof: sign: %w", err)
	}
	p["signatureValue"] = base58.Encode(ed25519.Sign(priv, msg))

	out := maps.Clone(doc)
	switch existing := doc["proof"].(type) {
	case nil:
		out["proof"] = p
	case []any:
		out["proof"] = append(append(make([]any, 0, len(existing)+1), existing...), p)
	default:
		out["proof"] = []any{existing, p}
	}
	return out, nil
}
