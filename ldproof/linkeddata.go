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
// proof's own @context or else the document's, with the suite's context
// appended when none of the contexts defining the suite's terms is there.
// This is the reading of jsonld-signatures, of the W3C CCG suite documents
// ("set proof options @context to document @context" where the proof has
// none) and of what this package signs.
func linkedDataVerifyData(ctx context.Context, in *Input, suiteContexts ...string) ([]byte, error) {
	return proofOptionsVerifyData(ctx, in, proofOptions(in.Proof, optionsContext(in), suiteContexts))
}

// verifyLinkedData checks a linked-data proof with check, under each
// reading of its proof options' @context that implementations sign:
//
//  1. linkedDataVerifyData's (the proof's own @context, else the
//     document's);
//  2. when the proof carries its own @context and the document has one:
//     the document's contexts followed by the proof's, as DIDKit (ssi)
//     writes JsonWebSignature2020 and Ed25519 proofs: the proof names only
//     the suite context ("@context": ["https://w3id.org/security/suites/
//     jws-2020/v1"]) and is canonicalized inside the document's.
//
// Both are the same proof members, each term defined (the canonicalizer
// refuses a term that a context leaves undefined rather than drop it), and
// the signature must verify over one of them whole: a second reading is a
// second statement the key may have signed, never a weaker check. The
// document's canonical form is computed once and shared by both.
func verifyLinkedData(ctx context.Context, in *Input, suiteContexts []string, check func(data []byte) error) error {
	first := error(nil)
	data, err := linkedDataVerifyData(ctx, in, suiteContexts...)
	if err == nil {
		first = check(data)
	} else {
		first = err
	}
	// Reading 2 is tried only where reading 1 found no signature over its
	// statement or could not state it whole (a term the proof's own context
	// leaves undefined); budgets, cancellation and key errors stand.
	if first == nil || !(isCode(first, CodeInvalidSignature) || isCode(first, CodeUnsafeDocument)) {
		return first
	}
	own, hasOwn := in.Proof["@context"]
	docCtx, hasDoc := in.Unsecured["@context"]
	if !hasOwn || !hasDoc {
		return first
	}
	merged := append(slices.Clip(jsonx.Items(docCtx)), jsonx.Items(own)...)
	data, err = proofOptionsVerifyData(ctx, in, proofOptions(in.Proof, merged, suiteContexts))
	if err != nil {
		return first
	}
	if check(data) == nil {
		return nil
	}
	return first
}

// optionsContext is the @context of reading 1: the proof's own, else the
// document's.
func optionsContext(in *Input) any {
	if c, ok := in.Proof["@context"]; ok {
		return c
	}
	return in.Unsecured["@context"]
}

// proofOptions is the proof without its signature members, under ctx with
// the suite's context appended when missing.
func proofOptions(proof map[string]any, ctx any, suiteContexts []string) map[string]any {
	opts := make(map[string]any, len(proof)+1)
	for k, v := range proof {
		switch k {
		case "jws", "signatureValue", "proofValue":
		default:
			opts[k] = v
		}
	}
	opts["@context"] = withContext(ctx, suiteContexts...)
	return opts
}

func proofOptionsVerifyData(ctx context.Context, in *Input, opts map[string]any) ([]byte, error) {
	return rdfHashes(ctx, in, jsonld.URDNA2015, opts, nil)
}

// isCode reports whether err is an *Error with code.
func isCode(err error, code string) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
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
