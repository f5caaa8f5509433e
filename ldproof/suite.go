package ldproof

import "context"

// Suite verifies the signature of one proof type. Verify has already
// checked policy (purpose, challenge, domain, created) and resolved key
// when a suite is called; the suite checks only that proof's signature over
// doc. doc is the whole document, proof one of its proofs (doc["proof"] or
// an element of it); neither may be modified. Errors should be *Error with
// CodeMalformedProof, CodeKeyResolutionFailed (key unusable for the suite)
// or CodeInvalidSignature.
type Suite interface {
	Type() string
	Verify(ctx context.Context, doc, proof map[string]any, key *Key) error
}

// suites holds every proof type Verify understands, by proof.type. Adding
// a suite is a file implementing Suite plus a line here.
var suites = func() map[string]Suite {
	m := make(map[string]Suite)
	for _, s := range []Suite{
		JcsEd25519Suite{},
	} {
		m[s.Type()] = s
	}
	return m
}()

// LookupSuite returns the suite for a proof type, for callers that have a
// key in hand and need no policy (test vectors without a verification
// method, tools).
func LookupSuite(proofType string) (Suite, bool) {
	s, ok := suites[proofType]
	return s, ok
}
