// Package web implements the did:web method: the DID names an HTTPS URL
// (did:web:example.com → https://example.com/.well-known/did.json,
// did:web:example.com:users:alice → https://example.com/users/alice/did.json,
// a port as %3A) and the document is fetched from it.
//
// A DID arrives from a wallet, so resolving one must not become a way to
// make the verifier probe its own network. The fetch goes through
// internal/safehttp: only HTTPS, no proxy from the environment, a timeout,
// a size limit, and — unless configured otherwise — no connection to
// loopback, private, link-local or otherwise non-public addresses, checked
// when the connection is dialled, after DNS, so a name that resolves (or
// re-resolves) to an internal address is refused too. Up to 3 redirects
// are followed, as DID resolvers in the field do, each hop re-checked.
package web
