// Package jwk implements the did:jwk method: the DID is the base64url of a
// public JWK, and its document is generated from it offline.
//
// The document has one JsonWebKey2020 method "#0", listed under the
// signing relationships (authentication, assertionMethod,
// capabilityInvocation, capabilityDelegation) and keyAgreement, or only
// under the signing ones ("use": "sig") or only keyAgreement ("use": "enc"),
// as the did:jwk specification says.
package jwk
