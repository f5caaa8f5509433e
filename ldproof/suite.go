package ldproof

import (
	"context"
	"slices"

	"github.com/loginwithiota/verifier/ldproof/jsonld"
)

// Suite verifies the signature of one proof type (for Data Integrity
// proofs: one cryptosuite). Verify has resolved the key when a suite is
// called and checks policy after it; the suite checks only the signature.
// Errors should be *Error with CodeMalformedProof, CodeKeyResolutionFailed
// (a key the suite cannot use), CodeInvalidSignature, or a JSON-LD code.
type Suite interface {
	// Type is proof.type; Cryptosuite is proof.cryptosuite, "" for suites
	// that are not Data Integrity cryptosuites.
	Type() string
	Cryptosuite() string
	Verify(ctx context.Context, in *Input) error
}

// Input is what a suite verifies. None of its maps may be modified.
type Input struct {
	// Document is the secured document as received, every proof included.
	Document map[string]any
	// Unsecured is what this proof signs under VC Data Integrity's rules
	// for proof sets and chains: Document without "proof" or, if the proof
	// names previousProof, with "proof" holding exactly those proofs.
	Unsecured map[string]any
	// Proof is the proof being verified, Key its verification key.
	Proof map[string]any
	Key   *Key
	// JSONLD canonicalizes for the RDF-based suites.
	JSONLD *jsonld.Processor
	// Canonical, when set, returns JSONLD's canonical form of Unsecured
	// (as Canonicalize would), computed once per algorithm for all the
	// proofs that sign the same document; Inspect sets it. nil:
	// canonicalize Unsecured.
	Canonical func(ctx context.Context, alg jsonld.Algorithm) ([]byte, error)
}

type suiteKey struct{ typ, cryptosuite string }

// suites holds every suite Verify understands. A suite is one file that
// implements Suite and registers itself from an init function.
var suites = map[suiteKey]Suite{}

func register(s Suite) { suites[suiteKey{s.Type(), s.Cryptosuite()}] = s }

// Lookup returns the suite for a proof type and cryptosuite ("" unless the
// type is DataIntegrityProof), for callers that have a key in hand and need
// no policy (test vectors without a verification method, tools).
func Lookup(proofType, cryptosuite string) (Suite, bool) {
	s, ok := suites[suiteKey{proofType, cryptosuite}]
	return s, ok
}

// LookupSuite is Lookup for proof types that are not cryptosuites.
func LookupSuite(proofType string) (Suite, bool) { return Lookup(proofType, "") }

// Supported lists the registered suites as "Type" or "Type/cryptosuite".
func Supported() []string {
	out := make([]string, 0, len(suites))
	for k := range suites {
		if k.cryptosuite == "" {
			out = append(out, k.typ)
		} else {
			out = append(out, k.typ+"/"+k.cryptosuite)
		}
	}
	slices.Sort(out)
	return out
}
