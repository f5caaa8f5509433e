// Package jwtvc verifies JWT-encoded verifiable credentials and
// presentations as IOTA's identity library and OID4VP wallets emit them:
// jwt_vp_json presentations holding jwt_vc_json credentials (the VC Data
// Model 1.1 JWT encoding: vc/vp claims beside iss, sub, jti, nbf, exp, iat,
// aud, nonce), and VC Data Model 2.0 vc+jwt credentials (also enveloped in
// a presentation as data:application/vc+jwt,…).
//
// Signatures are JWS compact serialisations checked by go-jose; only EdDSA
// (Ed25519) and ES256 (P-256) are accepted, and Options.Algorithms narrows
// that further (PEX format alg restrictions). Keys come from the caller's
// KeyResolver, declared here like ldproof's: the kid header (a DID URL) is
// resolved for the purpose the token serves (authentication for a
// presentation, assertionMethod for a credential), and the kid's DID must
// be the token's iss.
//
// VerifyPresentation checks the presentation's signature, nonce (payload
// "nonce" or protected header "nonce", where IOTA puts it), audience
// (client_id compared after URL normalisation) and validity window, then
// every embedded credential's signature and validity window. It returns
// the decoded presentation and credentials for Presentation Exchange and
// holder binding, which remain the caller's: this package does not decide
// which credentials are enough, nor check credential status.
//
// VerifyEnvelope checks only the presentation and lists its credential
// JWTs, for a caller that verifies them one by one (VerifyCredential) to
// report on each. Peek decodes a token without verifying it, for
// Presentation Exchange matching before the checks.
//
// Every failure is an *Error with a Code (see errors.go), so the verifier
// can map it to a protocol reason without reading text.
package jwtvc
