// Package store holds the issuer's Store backends (memory, redis) and
// their conformance suite (storetest); the contract itself is
// issuer.Store, declared by its user.
package store
