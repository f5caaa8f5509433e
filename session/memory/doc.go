// Package memory is the embedded, single-instance session.Store: a map
// guarded by one mutex. Records are deep-copied on the way in and out, so
// no caller can reach the stored value except through Update.
//
// Records past their DeleteAt are invisible at once (checked on every
// access) and are removed from memory by the sweep that Store.Run performs;
// the service starts Run beside the server and stops it with its context.
//
// It is also the session.Notifier of its one instance: Publish wakes the
// subscribers in this process.
package memory
