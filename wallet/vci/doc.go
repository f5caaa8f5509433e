// Package vci is the wallet's OpenID for Verifiable Credential Issuance
// 1.0 client for the pre-authorized code flow: it reads a credential
// offer (by value or by reference), the issuer's and its authorization
// server's metadata, exchanges the pre-authorized code (and tx_code) for
// an access token, and fetches each offered credential with a jwt key
// proof over a fresh c_nonce. What comes back is checked before it is
// kept: the format the metadata promised, bound to the wallet's DID, and,
// where the issuer's DID resolves offline (did:key, did:jwk), signed by
// the issuer.
package vci
