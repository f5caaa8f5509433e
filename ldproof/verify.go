package ldproof

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Verify verifies every proof of doc (a JSON object decoded by
// encoding/json; "proof" may be one object or an array, and all must
// verify) against opts, resolving keys through keys. It returns one result
// per proof, in document order. Failures are *Error (see Code); a missing
// opts.Purpose is a plain error, being the caller's bug. doc is not
// modified. Proofs of embedded documents (the credentials inside a
// presentation) are not checked here: verify each with its own Options.
func Verify(ctx context.Context, doc map[string]any, keys KeyResolver, opts Options) ([]ProofResult, error) {
	if opts.Purpose == "" {
		return nil, errors.New("ldproof: Options.Purpose is required")
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	var proofs []any
	switch p := doc["proof"].(type) {
	case nil:
		return nil, newError(CodeMissingProof, "document has no proof")
	case map[string]any:
		proofs = []any{p}
	case []any:
		if len(p) == 0 {
			return nil, newError(CodeMissingProof, "document has an empty proof array")
		}
		proofs = p
	default:
		return nil, newError(CodeMalformedProof, "proof is a %s, want an object or an array of objects", jsonKind(p))
	}
	results := make([]ProofResult, 0, len(proofs))
	for i, p := range proofs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		proof, ok := p.(map[string]any)
		if !ok {
			return nil, newError(CodeMalformedProof, "proof %d is a %s, want an object", i, jsonKind(p))
		}
		res, err := verifyProof(ctx, doc, proof, keys, &opts)
		if err != nil {
			if e, ok := errors.AsType[*Error](err); ok {
				e.Reason = describe(i, len(proofs), proof) + e.Reason
			}
			return nil, err
		}
		results = append(results, res)
	}
	return results, nil
}

// verifyProof checks policy first (cheap, and tells the operator the most
// useful thing), then resolves the key, then checks the signature.
func verifyProof(ctx context.Context, doc, proof map[string]any, keys KeyResolver, opts *Options) (ProofResult, error) {
	typ, ok := proof["type"].(string)
	if !ok || typ == "" {
		return ProofResult{}, newError(CodeMalformedProof, "proof has no type")
	}
	if len(opts.ProofTypes) > 0 && !slices.Contains(opts.ProofTypes, typ) {
		return ProofResult{}, newError(CodeProofTypeNotAllowed, "proof type %q is not among the allowed %q", clip(typ), opts.ProofTypes)
	}
	suite, ok := suites[typ]
	if !ok {
		return ProofResult{}, newError(CodeUnsupportedProofType, "proof type %q is not supported", clip(typ))
	}
	vm, err := verificationMethod(proof)
	if err != nil {
		return ProofResult{}, err
	}
	if err := checkPurpose(proof, opts); err != nil {
		return ProofResult{}, err
	}
	if err := checkChallenge(proof, opts.Challenge); err != nil {
		return ProofResult{}, err
	}
	if err := checkDomain(proof, opts.Domain); err != nil {
		return ProofResult{}, err
	}
	created, err := checkCreated(proof, opts.Now)
	if err != nil {
		return ProofResult{}, err
	}
	key, err := keys.ResolveKey(ctx, vm, opts.Purpose)
	if err != nil {
		return ProofResult{}, &Error{Code: CodeKeyResolutionFailed,
			Reason: fmt.Sprintf("cannot resolve verification method %q for %s", clip(vm), opts.Purpose), Err: err}
	}
	if key == nil || key.PublicKey == nil {
		return ProofResult{}, newError(CodeKeyResolutionFailed, "resolver returned no key for %q", clip(vm))
	}
	if err := suite.Verify(ctx, doc, proof, key); err != nil {
		return ProofResult{}, err
	}
	controller := key.Controller
	if controller == "" {
		controller, _, _ = strings.Cut(vm, "#")
	}
	return ProofResult{Type: typ, VerificationMethod: vm, Controller: controller, Created: created}, nil
}

// verificationMethod reads proof.verificationMethod: a DID URL, or (as
// some implementations write it) an object with an id.
func verificationMethod(proof map[string]any) (string, error) {
	switch v := proof["verificationMethod"].(type) {
	case string:
		if v != "" {
			return v, nil
		}
	case map[string]any:
		if id, ok := v["id"].(string); ok && id != "" {
			return id, nil
		}
	}
	return "", newError(CodeMalformedProof, "proof has no verificationMethod")
}

// describe prefixes reasons with which proof failed.
func describe(i, n int, proof map[string]any) string {
	typ, _ := proof["type"].(string)
	vm, _ := verificationMethod(proof)
	var b strings.Builder
	if n > 1 {
		fmt.Fprintf(&b, "proof %d", i)
	} else {
		b.WriteString("proof")
	}
	if typ != "" {
		fmt.Fprintf(&b, " (%s", clip(typ))
		if vm != "" {
			fmt.Fprintf(&b, ", %s", clip(vm))
		}
		b.WriteString(")")
	}
	b.WriteString(": ")
	return b.String()
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// clip bounds wallet-supplied text quoted into reasons.
func clip(s string) string {
	if len(s) > 120 {
		return s[:120] + "…"
	}
	return s
}
