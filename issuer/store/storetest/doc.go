// Package storetest is the conformance suite every issuer.Store backend
// runs: round trips, copies, ErrNotFound/ErrExists, expiry (and no record
// written back after it), compare-and-set under contention, single-use
// Take under contention, kinds kept apart, and two instances on one
// backend seeing one state.
package storetest
