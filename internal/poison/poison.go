// Package poison builds the hostile presentations of issue 9: documents
// under 256 KiB whose canonicalization a naive verifier pays for in
// seconds. Tests, benchmarks and fuzz seeds generate them here instead of
// committing large files.
//
// Every document is a VC 1.1 presentation with an Ed25519Signature2020
// proof by did:example:holder#key-1 (the bench holder, testdata/bench) whose
// signature is well-formed but wrong, so a verifier does all the work up to
// the signature check.
package poison

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Holder is the verification method of every proof.
const Holder = "did:example:holder#key-1"

// Context of every document: the VC 1.1 and Ed25519Signature2020 contexts,
// and a vocabulary for the hostile properties (they must expand, or safe
// mode would refuse the document before any real work).
var Context = []any{
	"https://www.w3.org/2018/credentials/v1",
	"https://w3id.org/security/suites/ed25519-2020/v1",
	map[string]any{"@vocab": "urn:poison:"},
}

// bogusSignature is a multibase base58btc string of 64 bytes, the shape of
// an Ed25519 signature, that verifies nothing.
const bogusSignature = "z" + "5eeTUeAn5uMjyWBDnKa1Cwek6hpzfZf72fNd44zN2h7yM7SGpB9bBLae9dYbZQ7d1H2YqGBqkF4UdcauSWv8QMdi"

// Proof returns the i-th bogus proof.
func Proof(i int) map[string]any {
	return map[string]any{
		"type":               "Ed25519Signature2020",
		"created":            "2024-06-01T12:00:00Z",
		"verificationMethod": Holder,
		"proofPurpose":       "authentication",
		"challenge":          fmt.Sprintf("c-%d", i),
		"proofValue":         bogusSignature,
	}
}

func presentation(body map[string]any) map[string]any {
	vp := map[string]any{
		"@context": Context,
		"type":     "VerifiablePresentation",
		"holder":   "did:example:holder",
		"proof":    Proof(0),
	}
	for k, v := range body {
		vp[k] = v
	}
	return vp
}

// IDLessNodes: two identical objects without id, each holding n/2
// identical objects without id. All are blank nodes, the two groups alike
// and their members alike at first degree, so URDNA2015 must tell them
// apart by n-degree hashing, permuting the members of a group: the case
// whose work limit counted steps while each step copied an issuer of up to
// n entries.
func IDLessNodes(n int) []byte {
	groups := make([]any, 2)
	for g := range groups {
		items := make([]any, n/2)
		for i := range items {
			items[i] = map[string]any{"x": 1}
		}
		groups[g] = map[string]any{"items": items}
	}
	return encode(presentation(map[string]any{"groups": groups}))
}

// ManyValues: one property holding n short distinct strings, and not a
// single blank node besides the presentation: the case that was quadratic
// in json-gold's node map (a duplicate check over the values added so far).
func ManyValues(n int) []byte {
	vals := make([]any, n)
	for i := range vals {
		vals[i] = fmt.Sprintf("v%d", i)
	}
	return encode(presentation(map[string]any{"values": vals}))
}

// DeepNesting: objects without id nested depth levels deep, a chain of
// blank nodes that all hash alike at first degree.
func DeepNesting(depth int) []byte {
	var b strings.Builder
	b.WriteString(`{"n":`)
	for range depth {
		b.WriteString(`{"n":`)
	}
	b.WriteString(`1`)
	for range depth + 1 {
		b.WriteString(`}`)
	}
	var inner any
	if err := json.Unmarshal([]byte(b.String()), &inner); err != nil {
		panic(err)
	}
	return encode(presentation(map[string]any{"nest": inner}))
}

// ManyProofs: a presentation of claims small objects (a legitimate size
// for a presentation of several credentials is a few hundred) carrying n
// bogus proofs, each of which a naive verifier canonicalized the document
// for.
func ManyProofs(n, claims int) []byte {
	body := make(map[string]any, claims)
	for i := range claims {
		body[fmt.Sprintf("claim%d", i)] = map[string]any{"value": fmt.Sprintf("value %d", i), "rank": i}
	}
	vp := presentation(map[string]any{"claims": body})
	proofs := make([]any, n)
	for i := range proofs {
		proofs[i] = Proof(i)
	}
	vp["proof"] = proofs
	return encode(vp)
}

// PanicContext is a presentation whose @context made json-gold panic: a
// term definition for the empty term with a null container.
func PanicContext() []byte {
	vp := presentation(nil)
	vp["@context"] = []any{Context[0], Context[1], map[string]any{"": map[string]any{"@id": "A:", "@container": nil}}}
	return encode(vp)
}

// Crasher is the smallest document that made json-gold panic.
const Crasher = `{"@context":{"":{"@id":"A:","@container":null}}}`

// Decode parses a generated document as a verifier receives it.
func Decode(raw []byte) map[string]any {
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		panic(err)
	}
	return doc
}

func encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
