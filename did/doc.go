// Package did parses DID documents, finds the verification methods they
// authorise, and dispatches resolution by DID method.
//
// It owns no method itself: each method lives in a sub-package (did/key,
// did/jwk, did/web, …) implementing Resolver, and a Registry wires them by
// method name. The registry also holds pinned documents (operator-configured
// or test fixtures), which win over the methods and are reported as pinned
// (ResolveWithMetadata). Cache keeps resolved documents for a TTL in front
// of a networked method and merges concurrent lookups of one DID; Memo
// resolves each DID once for its lifetime (one wallet answer), failures
// included. Nothing here touches the network; a networked method is its
// own sub-package and its own decision.
//
// Keys are decoded from Ed25519VerificationKey2018/2020, Multikey and
// JsonWebKey2020 methods: Ed25519, and P-256 (as *ecdsa.PublicKey).
package did
