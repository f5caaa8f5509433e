// Package testshared holds the helpers the tests of several packages need
// alike, so that each is written once: where the shared test material is
// (testdata/ at the repository root: vectors/, bench/, specs/,
// copied from public sources with their provenance) and how to read it, JSON file decoding, temporary files (a
// config for the program under test), JWTs signed and tampered with
// go-jose (independent of the verifier's own code), and a fake IOTA
// JSON-RPC node for the did:iota resolver.
//
// It imports nothing of ours, so the tests of any package (internal or
// external test packages alike) may use it. Every helper fails the test on
// an error instead of returning it.
package testshared
