// Package storetest is the conformance suite every oidcbridge.Store backend
// runs, after dex's storage/conformance and our session/sessiontest: one Run
// function, one fresh store per subtest, the same assertions for memory and
// Redis. What the OpenID Provider relies on (ErrNotFound for everything
// missing or expired, single-use claims and codes under contention,
// compare-and-set updates that lose nothing, a key ring shared by
// instances) belongs here, not in a backend's own tests.
//
// Ids are random, so several runs may share one Redis server at once.
package storetest
