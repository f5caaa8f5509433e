// Package sessiontest is the conformance suite every session.Store backend
// runs, after dex's storage/conformance: one Run function, one fresh store
// per subtest, the same assertions for memory and Redis. A behaviour the web
// layer relies on (ErrNotFound for everything missing, complete-once under
// contention, expiry at DeleteAt, notifications that reach every instance)
// belongs here, not in a backend's own tests.
//
// The suite makes its ids and states random, so several runs may share one
// Redis server at once. Its states have the form the service mints,
// "<id>.<secret>" (session.Session.State), which is what lets the Redis
// store find a session from its state in one read.
package sessiontest
