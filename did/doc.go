// Package did parses DID documents, finds the verification methods they
// authorise, and dispatches resolution by DID method.
//
// It owns no method itself: each method lives in a sub-package (did/key,
// …) implementing Resolver, and a Registry wires them by method name. The
// registry can also hold pinned documents (operator-configured or test
// fixtures), which win over the methods. Nothing here touches the network;
// a networked method is its own sub-package and its own decision.
//
// Keys are decoded from Ed25519VerificationKey2018/2020, Multikey and
// JsonWebKey2020 methods; other curves come with the issue that needs them.
package did
