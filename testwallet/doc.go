// Package testwallet is a small holder wallet for tests: it issues and signs
// real credentials (JcsEd25519Signature2020, did:key), reads OID4VP
// authorization requests and answers them over HTTP. It is not a mock of the
// verifier: it talks to the real server.
package testwallet
