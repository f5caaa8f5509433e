// Package memory is an in-process issuer.Store for one instance: records
// in a map under one mutex, expiry by an injected clock, a sweep loop
// that drops expired records.
package memory
