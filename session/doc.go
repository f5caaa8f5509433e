// Package session defines a login attempt (Session), its lifecycle statuses
// and the Store interface that keeps it between the website's request, the
// wallet's response and the website's polling.
//
// The package owns only the types and the contract. Backends live in
// sub-packages (session/memory for one instance, session/redis for several)
// and prove they keep the contract by running the shared suite in
// session/sessiontest. Callers depend on Store and on the three sentinels:
// ErrNotFound (missing or deleted), ErrExists (Create collided) and
// ErrUnavailable (the backend is down; answer 503).
//
// Records are values. The only way to change one is Store.Update, a
// compare-and-set that lets exactly one of many concurrent wallet responses
// complete a pending session.
//
// Outbox is the third: completion events (verified, failed, expired)
// written in the same compare-and-set as the completion, claimed with
// leases, deferred and acknowledged by whoever delivers them (webhooks),
// so an event is never lost nor written without its completion.
//
// Notifier is the second, smaller contract both backends keep: a completion
// published on one instance wakes the subscribers of that session on every
// instance (in process for memory, Redis pub/sub for Redis), which is how a
// browser's event stream learns of a wallet's answer wherever it arrived.
package session
