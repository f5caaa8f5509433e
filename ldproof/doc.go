// Package ldproof verifies (and, for tests and the test wallet, creates)
// linked-data proofs embedded in JSON documents: verifiable credentials and
// presentations in the W3C VC data model.
//
// Verify (and Inspect, which reports every check) checks every proof of a
// document — a proof set, or a Data Integrity chain through previousProof,
// is valid only if each of its proofs is — against the caller's policy:
// proof purpose, challenge, domain, allowed proof types and cryptosuites,
// created not in the future, expires not past. It asks the caller's
// KeyResolver for the verification key (ldproof declares that interface and
// imports no DID code: the verifier adapts package did to it), checks the
// signature first and the policy on what was signed after, so a tampered
// proof reports the tampering.
//
// Suites, one file each, registered from init: JcsEd25519Signature2020
// (RFC 8785 JCS, as the test vectors and identity.rs sign), Ed25519Signature2018
// and JsonWebSignature2020 (detached JWS over URDNA2015 hashes; Ed25519 or
// P-256), Ed25519Signature2020 (multibase signature over URDNA2015 hashes),
// and DataIntegrityProof with eddsa-rdfc-2022 and eddsa-jcs-2022. The RDF
// suites canonicalize with package ldproof/jsonld: offline contexts, safe
// mode, cached processed contexts, budgets.
//
// What a wallet can make a verification cost is bounded: at most
// Options.MaxProofs proofs, one canonicalization of the document however
// many proofs sign it, the JSON-LD budgets (CodeDocumentTooComplex), the
// caller's context honoured inside canonicalization, and with
// Options.Precheck no key resolved nor anything canonicalized for a proof
// that fails policy. A panic under a suite is a failed proof.
package ldproof
