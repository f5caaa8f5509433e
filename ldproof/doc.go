// Package ldproof verifies (and, for the test wallet, creates) linked-data
// proofs embedded in JSON documents: verifiable credentials and
// presentations in the W3C VC data model.
//
// Verify checks every proof of a document against the caller's policy
// (proof purpose, challenge, domain, allowed proof types, creation time),
// asks the caller's KeyResolver for the verification key (ldproof declares
// that interface and imports no DID code: the verifier adapts package did to
// it), and hands the signature check to the proof type's Suite.
//
// Suites registered now: JcsEd25519Signature2020 (signature over the RFC
// 8785 canonical JSON, see jcsed25519.go). Each further suite
// (Ed25519Signature2018/2020, DataIntegrityProof, …) is one file and one
// entry in suites.
package ldproof
