// Package verifier is the OID4VP relying-party core: it starts login
// sessions, builds the authorization requests wallets read, and runs the
// verification pipeline on wallet responses (presentation submission, PEX,
// proofs, holder binding, validity, policy). It knows nothing of HTTP
// frameworks or YAML: web and cmd wire it.
package verifier
