// Package safehttp is the one guarded HTTP client every outbound fetch of
// the verifier goes through: did:web documents, status list credentials,
// remote JSON-LD contexts.
//
// What to fetch is often named by a wallet (a DID, a status list URL in a
// credential), so a fetch must not become a way to make the verifier probe
// its own network. By default a Client:
//
//   - speaks HTTPS only;
//   - connects to publicly routable addresses only, checked by the dialer
//     on the address actually connected to (after DNS), so a name that
//     resolves or re-resolves to an internal address is refused too;
//   - uses no proxy from the environment (a proxy would dial for us, past
//     that check);
//   - follows no redirect (a caller may allow a few, each hop re-checked);
//   - bounds the whole request in time and the body in size.
//
// Every error Get returns is an *Error whose Kind is one of a small closed
// set of sentinels (ErrAddressNotAllowed, ErrTimeout, …), so a caller can
// tell a wallet what failed without passing on DNS answers, addresses or
// certificate details; the raw cause stays wrapped for logs.
package safehttp
