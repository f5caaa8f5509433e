package ldproof

import (
	"context"
	"crypto/sha256"
	"errors"
	"slices"

	"github.com/loginwithiota/verifier/internal/jsonx"
	"github.com/loginwithiota/verifier/ldproof/jsonld"
)

// Context URLs of the suites that define their own terms.
const (
	contextCredentialsV1 = "https://www.w3.org/2018/credentials/v1"
	contextSecurityV2    = "https://w3id.org/security/v2"
	contextEd25519v2018  = "https://w3id.org/security/suites/ed25519-2018/v1"
	contextEd25519v2020  = "https://w3id.org/security/suites/ed25519-2020/v1"
	contextJWS2020       = "https://w3id.org/security/suites/jws-2020/v1"
)

// linkedDataVerifyData is what the Linked Data Signatures suites
// (Ed25519Signature2018/2020, JsonWebSignature2020) sign, as
// jsonld-signatures' createVerifyData computes it:
//
//	SHA-256(URDNA2015(proof options)) || SHA-256(URDNA2015(document))
//
// The proof options are the proof without its signature members, under the
// document's @context (or its own), with the suite's context appended when
// none of the contexts defining the suite's terms is there.
func linkedDataVerifyData(ctx context.Context, in *Input, suiteContexts ...string) ([]byte, error) {
	opts := make(map[string]any, len(in.Proof)+1)
	for k, v := range in.Proof {
		switch k {
		case "jws", "signatureValue", "proofValue":
		default:
			opts[k] = v
		}
	}
	if _, ok := opts["@context"]; !ok {
		if c, ok := in.Unsecured["@context"]; ok {
			opts["@context"] = c
		}
	}
	opts["@context"] = withContext(opts["@context"], suiteContexts...)
	return rdfHashes(ctx, in, jsonld.URDNA2015, opts, nil)
}

// withContext returns local with want[0] appended unless it already names
// one of want.
func withContext(local any, want ...string) any {
	list := jsonx.Items(local)
	for _, c := range list {
		if s, ok := c.(string); ok && slices.Contains(want, s) {
			return local
		}
	}
	return append(slices.Clip(list), want[0])
}

// rdfHashes returns SHA-256(c14n(config)) || SHA-256(c14n(doc)), doc
// being in.Unsecured when nil (canonicalized once per Inspect). The proof
// options come first: they are small, and a failure there spares the
// document.
func rdfHashes(ctx context.Context, in *Input, alg jsonld.Algorithm, config, doc map[string]any) ([]byte, error) {
	c, err := in.JSONLD.Canonicalize(ctx, config, alg)
	if err != nil {
		return nil, jsonldError("proof options", err)
	}
	var d []byte
	if doc == nil {
		d, err = in.canonicalUnsecured(ctx, alg)
	} else {
		d, err = in.JSONLD.Canonicalize(ctx, doc, alg)
	}
	if err != nil {
		return nil, jsonldError("document", err)
	}
	hc, hd := sha256.Sum256(c), sha256.Sum256(d)
	return append(hc[:], hd[:]...), nil
}

// jsonldError maps canonicalization failures onto codes.
func jsonldError(what string, err error) *Error {
	code := CodeInvalidDocument
	switch {
	case errors.Is(err, jsonld.ErrTooComplex):
		code = CodeDocumentTooComplex
	case errors.Is(err, jsonld.ErrUnsafe):
		code = CodeUnsafeDocument
	case errors.Is(err, jsonld.ErrContextNotAllowed), errors.Is(err, jsonld.ErrContextFetch):
		code = CodeContextUnavailable
	}
	return &Error{Code: code, Reason: "cannot canonicalize the " + what + " (URDNA2015)", Err: err}
}

// withoutMember returns a shallow copy of m without one member.
func withoutMember(m map[string]any, name string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if k != name {
			out[k] = v
		}
	}
	return out
}
