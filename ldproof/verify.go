package ldproof

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/loginwithiota/verifier/ldproof/jsonld"
)

// Verify verifies every proof of doc (a JSON object decoded by
// encoding/json; "proof" may be one object or an array, and all must
// verify) against opts, resolving keys through keys. It returns one result
// per proof, in document order. Failures are *Error (see Code); a missing
// opts.Purpose is a plain error, being the caller's bug. doc is not
// modified. Proofs of embedded documents (the credentials inside a
// presentation) are not checked here: verify each with its own Options.
func Verify(ctx context.Context, doc map[string]any, keys KeyResolver, opts Options) ([]ProofResult, error) {
	results, err := Inspect(ctx, doc, keys, opts)
	if err != nil {
		return nil, err
	}
	return results, nil
}

// Inspect is Verify for reports: it runs every check it can on every proof,
// even after one failed, and returns all results together with the error
// Verify would return (the first failure of the first failing proof).
//
// A document with more than Options.MaxProofs proofs fails at once. The
// document each proof signs is canonicalized once, however many proofs
// sign it. With Options.Precheck, the checks that need neither key nor
// canonicalization run first for every proof, and a failure of one ends
// the verification there. Once ctx is done Inspect returns ctx's error.
func Inspect(ctx context.Context, doc map[string]any, keys KeyResolver, opts Options) ([]ProofResult, error) {
	if opts.Purpose == "" {
		return nil, errors.New("ldproof: Options.Purpose is required")
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.JSONLD == nil {
		opts.JSONLD = jsonld.Default()
	}
	if opts.MaxProofs <= 0 {
		opts.MaxProofs = DefaultMaxProofs
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
	if len(proofs) > opts.MaxProofs {
		return nil, newError(CodeTooManyProofs, "document has %d proofs, at most %d are verified", len(proofs), opts.MaxProofs)
	}
	set := make([]map[string]any, len(proofs))
	for i, p := range proofs {
		proof, ok := p.(map[string]any)
		if !ok {
			return nil, newError(CodeMalformedProof, "proof %d is a %s, want an object", i, jsonKind(p))
		}
		set[i] = proof
	}
	results := make([]ProofResult, len(set))
	docs := newDocuments(doc, set, opts.JSONLD)
	verifiers := make([]proofVerifier, len(set))
	for i, proof := range set {
		verifiers[i] = proofVerifier{doc: doc, set: set, proof: proof, keys: keys, opts: &opts, docs: docs, res: &results[i]}
		verifiers[i].start(i)
	}
	if opts.Precheck {
		failed := false
		for i := range verifiers {
			v := &verifiers[i]
			v.suite, v.usable = v.checkType()
			v.policy()
			failed = failed || v.res.Err != nil
		}
		if failed {
			for i := range verifiers {
				for _, n := range []string{CheckVerificationMethod, CheckPreviousProof, CheckSignature} {
					verifiers[i].skip(n, "not checked: a proof failed a check that needs no key")
				}
			}
			return results, firstFailure(results, set)
		}
	}
	for i := range verifiers {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		v := &verifiers[i]
		if opts.Precheck {
			v.signatureChecks(ctx)
			continue
		}
		v.suite, v.usable = v.checkType()
		v.signatureChecks(ctx)
		v.policy()
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return results, firstFailure(results, set)
}

// firstFailure is the first failure of the first failing proof, naming it.
func firstFailure(results []ProofResult, set []map[string]any) error {
	for i := range results {
		if e, ok := errors.AsType[*Error](results[i].Err); ok {
			return &Error{Code: e.Code, Reason: describe(i, len(set), set[i]) + e.Reason, Err: e.Err}
		}
	}
	return nil
}

// proofVerifier checks one proof. Structure, type and key come first (the
// signature needs them); then the signature; then the policy on what was
// signed, so that a tampered proof reports the tampering, and a genuine
// one signed for another challenge or domain reports that. (With
// Options.Precheck the policy comes before the key.)
type proofVerifier struct {
	doc    map[string]any
	set    []map[string]any
	proof  map[string]any
	keys   KeyResolver
	opts   *Options
	docs   *documents
	res    *ProofResult
	suite  Suite
	usable bool // suite can check the signature
}

func (v *proofVerifier) pass(name string) {
	v.res.Checks = append(v.res.Checks, Check{Name: name, Passed: true})
}

func (v *proofVerifier) skip(name, why string) {
	v.res.Checks = append(v.res.Checks, Check{Name: name, Skipped: true, Detail: why})
}

func (v *proofVerifier) fail(name string, err error) {
	e, ok := errors.AsType[*Error](err)
	if !ok {
		e = &Error{Code: CodeMalformedProof, Reason: err.Error(), Err: err}
	}
	v.res.Checks = append(v.res.Checks, Check{Name: name, Detail: e.Error(), Code: e.Code})
	if v.res.Err == nil {
		v.res.Err = e
	}
}

// check records the outcome of one policy check.
func (v *proofVerifier) check(name string, err error) {
	if err != nil {
		v.fail(name, err)
	} else {
		v.pass(name)
	}
}

// start fills in what the result says of the proof itself.
func (v *proofVerifier) start(index int) {
	r, proof := v.res, v.proof
	r.Index = index
	r.Checks = make([]Check, 0, 9)
	r.Type, _ = proof["type"].(string)
	r.Cryptosuite, _ = proof["cryptosuite"].(string)
	r.VerificationMethod, _ = verificationMethod(proof)
}

// signatureChecks resolves the key and checks the signature, if the proof
// type allows.
func (v *proofVerifier) signatureChecks(ctx context.Context) {
	if !v.usable {
		for _, n := range []string{CheckVerificationMethod, CheckPreviousProof, CheckSignature} {
			v.skip(n, "no usable proof type")
		}
		return
	}
	v.signature(ctx, v.suite)
}

// policy makes the checks that need neither key nor signature.
func (v *proofVerifier) policy() {
	r, proof, opts := v.res, v.proof, v.opts
	if err := checkPurpose(proof, opts); err != nil {
		v.fail(CheckProofPurpose, err)
	} else {
		v.pass(CheckProofPurpose)
	}
	created, err := checkCreated(proof, opts.Now)
	r.Created = created
	v.check(CheckCreated, err)
	v.check(CheckExpires, checkExpires(proof, opts.Now))
	if opts.Challenge == "" {
		v.skip(CheckChallenge, "no challenge expected")
	} else {
		v.check(CheckChallenge, checkChallenge(proof, opts.Challenge))
	}
	if opts.Domain == "" {
		v.skip(CheckDomain, "no domain expected")
	} else {
		v.check(CheckDomain, checkDomain(proof, opts.Domain))
	}
}

// checkType checks proof.type (and cryptosuite) against what is registered
// and what the caller allows. It returns the suite when one is registered,
// even if policy does not allow it, so that a report still shows whether
// the signature holds.
func (v *proofVerifier) checkType() (Suite, bool) {
	typ, cs := v.res.Type, v.res.Cryptosuite
	if typ == "" {
		v.fail(CheckProofType, newError(CodeMalformedProof, "proof has no type"))
		return nil, false
	}
	if c, present := v.proof["cryptosuite"]; present {
		if _, ok := c.(string); !ok {
			v.fail(CheckProofType, newError(CodeMalformedProof, "proof cryptosuite is a %s, want a string", jsonKind(c)))
			return nil, false
		}
	}
	suite, ok := Lookup(typ, cs)
	if !ok {
		name := typ
		if cs != "" {
			name += " with cryptosuite " + cs
		}
		v.fail(CheckProofType, newError(CodeUnsupportedProofType, "proof type %q is not supported (supported: %s)",
			clip(name), strings.Join(Supported(), ", ")))
		return nil, false
	}
	if len(v.opts.ProofTypes) > 0 && !slices.Contains(v.opts.ProofTypes, typ) {
		v.fail(CheckProofType, newError(CodeProofTypeNotAllowed, "proof type %q is not among the allowed %q", clip(typ), v.opts.ProofTypes))
		return suite, true
	}
	if cs != "" && len(v.opts.Cryptosuites) > 0 && !slices.Contains(v.opts.Cryptosuites, cs) {
		v.fail(CheckProofType, newError(CodeProofTypeNotAllowed, "cryptosuite %q is not among the allowed %q", clip(cs), v.opts.Cryptosuites))
		return suite, true
	}
	v.pass(CheckProofType)
	return suite, true
}

// signature resolves the key, builds what the proof signs, and has the
// suite check the signature.
func (v *proofVerifier) signature(ctx context.Context, suite Suite) {
	r := v.res
	vm := r.VerificationMethod
	if vm == "" {
		v.fail(CheckVerificationMethod, newError(CodeMalformedProof, "proof has no verificationMethod"))
		v.skip(CheckPreviousProof, "no key")
		v.skip(CheckSignature, "no key")
		return
	}
	key, err := v.keys.ResolveKey(ctx, vm, v.opts.Purpose)
	switch {
	case err != nil:
		err = &Error{Code: CodeKeyResolutionFailed,
			Reason: fmt.Sprintf("cannot resolve verification method %q for %s", clip(vm), v.opts.Purpose), Err: err}
	case key == nil || key.PublicKey == nil:
		err = newError(CodeKeyResolutionFailed, "resolver returned no key for %q", clip(vm))
	}
	if err != nil {
		v.fail(CheckVerificationMethod, err)
		v.skip(CheckPreviousProof, "no key")
		v.skip(CheckSignature, "no key")
		return
	}
	v.pass(CheckVerificationMethod)
	r.Controller = key.Controller
	if r.Controller == "" {
		r.Controller, _, _ = strings.Cut(vm, "#")
	}
	r.Pinned = key.Pinned

	unsecured, chain, err := v.docs.unsecured(v.proof)
	if err != nil {
		v.fail(CheckPreviousProof, err)
		v.skip(CheckSignature, "the previous proofs it chains to are missing")
		return
	}
	if _, chained := v.proof["previousProof"]; chained {
		v.pass(CheckPreviousProof)
	} else {
		v.skip(CheckPreviousProof, "not chained")
	}
	v.check(CheckSignature, verifySuite(ctx, suite, &Input{
		Document: v.doc, Unsecured: unsecured, Proof: v.proof, Key: key, JSONLD: v.opts.JSONLD,
		Canonical: v.docs.canonicalizer(chain),
	}))
}

// verifySuite calls the suite, turning a panic (of the suite or of the
// JSON-LD library under it) into a failure of the proof: nothing a wallet
// sends may crash the verifier.
func verifySuite(ctx context.Context, suite Suite, in *Input) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = newError(CodeInvalidDocument, "%s verification failed on this document: %s", suite.Type(), clip(fmt.Sprint(r)))
		}
	}()
	return suite.Verify(ctx, in)
}

// unsecuredDocument applies VC Data Integrity §4.5 ("Verify Proof Sets and
// Chains"): the document without its proofs, except that a proof naming
// previousProof covers exactly the proofs it names ("set inputDocument.proof
// to matchingProofs"), each of which must be in the set.
func unsecuredDocument(doc map[string]any, set []map[string]any, proof map[string]any) (map[string]any, error) {
	out := make(map[string]any, len(doc))
	for k, v := range doc {
		if k != "proof" {
			out[k] = v
		}
	}
	prev, chained := proof["previousProof"]
	if !chained {
		return out, nil
	}
	ids, err := previousProofs(prev)
	if err != nil {
		return nil, err
	}
	matching := make([]any, 0, len(ids))
	for _, id := range ids {
		found := false
		for _, other := range set {
			if oid, _ := other["id"].(string); oid == id {
				matching = append(matching, other)
				found = true
				break
			}
		}
		if !found {
			return nil, newError(CodeMalformedProof, "previousProof %q is not in the document's proof set", clip(id))
		}
	}
	out["proof"] = matching
	return out, nil
}

// previousProofs reads previousProof: a string or an array of strings.
func previousProofs(prev any) ([]string, error) {
	switch p := prev.(type) {
	case string:
		return []string{p}, nil
	case []any:
		ids := make([]string, 0, len(p))
		for _, e := range p {
			s, ok := e.(string)
			if !ok {
				return nil, newError(CodeMalformedProof, "previousProof must be a string or an array of strings")
			}
			ids = append(ids, s)
		}
		return ids, nil
	}
	return nil, newError(CodeMalformedProof, "previousProof must be a string or an array of strings")
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
	if cs, _ := proof["cryptosuite"].(string); cs != "" {
		typ += "/" + cs
	}
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
