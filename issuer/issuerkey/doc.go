// Package issuerkey gives the issuer its key and DID: a private JWK in a
// file (generated on first start, written 0600, refused when others can
// read it), and the DID it speaks as: did:key or did:jwk of that key, or
// a did:web of the issuer's own host, whose document the issuer serves.
package issuerkey
