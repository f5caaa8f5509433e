// Package issuer is an OpenID for Verifiable Credential Issuance 1.0
// Credential Issuer and its Authorization Server for the pre-authorized
// code flow: credential offers (by value and by reference), the token
// endpoint (pre-authorized code and tx_code), the nonce endpoint and the
// credential endpoint with jwt key proofs, and the metadata of both.
//
// It owns the protocol and no transport: package issuer/handler serves it
// over HTTP, issuer/store/memory and issuer/store/redis keep its state
// behind Store (declared here, its conformance suite in
// issuer/store/storetest), and cmd/issuer wires them from a config file.
//
// Every secret it hands out (pre-authorized code, offer id, access token,
// c_nonce) comes from crypto/rand and is stored only as its SHA-256: a
// dump of the store redeems nothing. Each is single use: a code is
// exchanged once (a second exchange revokes the token of the first), a
// tx_code allows MaxTxCodeTries wrong tries, a c_nonce proves one key, an
// access token issues each offered configuration once. Logs name records
// by a short reference (a prefix of the hash), never by the secret.
//
// Credential formats are one file each behind credentialFormat
// (format_jwtvc.go, format_ldp.go, format_sdjwt.go: jwt_vc_json, ldp_vc,
// and dc+sd-jwt through package sdjwt). An SD-JWT VC names its issuer by
// DID (kid a DID URL) or by the identifier, whose key the issuer then
// publishes as JWT VC Issuer Metadata (JWTVCIssuerMetadata).
package issuer
