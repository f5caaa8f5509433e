// Package issuertest is a test client of an OID4VCI issuer over HTTP: it
// makes offers with the operator API, exchanges codes, fetches nonces, and
// builds key proofs correct or broken on purpose (a wrong aud, alg none,
// both kid and jwk, another key's signature, ...), so the command's tests
// can drive the built program with every bad input.
package issuertest
