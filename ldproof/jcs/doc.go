// Package jcs implements the JSON Canonicalization Scheme (RFC 8785) over
// values already decoded by encoding/json (map[string]any, []any, string,
// float64, json.Number, bool, nil).
//
// It exists because proof verification canonicalizes every presented
// document, and marshalling the tree back to JSON only to re-parse it (what
// byte-oriented canonicalizers need) costs more than the Ed25519 check it
// feeds. Here the tree is walked once and written straight into the caller's
// buffer; object keys are sorted in a reused scratch slice, so a warm call
// allocates nothing.
//
// AppendWithMember serialises an object as if one member were replaced (and
// one key of that member left out) without copying the object: that is the
// signing input of JcsEd25519Signature2020 ("the document with its proof,
// minus proof.signatureValue").
package jcs
