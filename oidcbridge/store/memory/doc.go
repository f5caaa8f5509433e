// Package memory is the embedded, single-instance oidcbridge.Store: maps
// guarded by one mutex. Records are copied through JSON on the way in and
// out, as the Redis backend stores them, so no caller reaches a stored
// value except through an update. Records past their end are invisible at
// once and are swept on later writes, so no goroutine is needed.
package memory
