// Package key implements the did:key method (W3C CCG did:key v0.7): the
// DID is a multibase, multicodec-tagged public key, and its document is
// generated from it offline, with no registry and no network.
//
// Ed25519 (multicodec 0xed, "z6Mk…") yields one Ed25519VerificationKey2020
// method listed under authentication, assertionMethod and both capability
// relationships, plus the X25519 key derived from it under keyAgreement
// (the spec's enableEncryptionKeyDerivation default). X25519 (0xec,
// "z6LS…") yields a keyAgreement-only document. P-256 (0x1200, "zDn…")
// yields one Multikey method under every relationship but keyAgreement.
// Further key types are one entry in keyTypes plus a builder.
package key
