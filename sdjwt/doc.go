// Package sdjwt verifies SD-JWTs (RFC 9901) and SD-JWT VCs
// (draft-ietf-oauth-sd-jwt-vc) as OpenID4VP 1.0 wallets present them
// (format dc+sd-jwt), and makes them for tests, our OID4VCI issuer and our
// wallet CLI.
//
// Verifier side. Parse reads the compact form
// <issuer-signed JWT>~<disclosure>~…~[<KB-JWT>] within Limits (bytes,
// disclosures, nesting depth), decodes the disclosures and resolves them
// against the digests (_sd members, {"...": digest} array elements,
// recursively), refusing what RFC 9901 §7.1 refuses: a disclosure no
// digest references, one sent twice, a digest met twice, a disclosure of
// the wrong kind for where its digest is, a reserved or clashing claim
// name, an _sd_alg not accepted. The resulting Token exposes the processed
// claims before anything is trusted (query matching); Token.Verify then
// checks that same parse: alg (EdDSA, ES256), typ (dc+sd-jwt, also
// vc+sd-jwt), the issuer signature with a key from IssuerKeys, the SD-JWT
// VC claims (vct, iss, cnf, status.status_list, iat/nbf/exp with a clock
// and skew), and the KB-JWT (typ kb+jwt, the cnf holder key, nonce and
// aud compared exactly, iat within a window, sd_hash over the presented
// SD-JWT), required or not per call.
//
// Issuer keys come from the IssuerKeys interface. KeySources implements
// it with the discovery methods SD-JWT VC names, each one on only if
// configured: an x5c chain verified against configured roots (X5CKeys),
// the issuer's /.well-known/jwt-vc-issuer metadata over a Fetcher the
// caller implements with internal/safehttp (MetadataKeys), and a kid that
// is a DID URL, resolved by the caller's DIDKeys (DIDIssuerKeys). A
// cnf.kid DID URL is resolved through the same DIDKeys. VerifyJWT checks
// a plain JWT of a given typ with the same key discovery: a Status List
// Token, for status.Checker's TokenListVerifier.
//
// Issuer and holder side: Issue makes an SD-JWT VC with random salts
// (crypto/rand) and optional decoys; Present selects disclosures by claims
// path and adds a KB-JWT.
//
// Every failure is an *Error whose Code says what failed (errors.go) and
// whose Reason names no claim value and carries no library text.
//
// Not here: which credentials a login asks for (package dcql), the status
// of a credential (status.Checker.CheckTokenStatus, from
// Credential.Status), trust policy over issuers beyond key discovery, SD-JWT
// VC Type Metadata, and the JWS JSON serialisation of RFC 9901 §8.
package sdjwt
