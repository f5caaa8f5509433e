// Package ttlcache is a small, bounded map whose entries expire after a
// time to live, safe for concurrent use: the cache in front of a remote
// answer that is cheap to fetch again (a resolved did:iota document, a
// verified status list).
//
// It imports nothing of ours, so any package may use it.
package ttlcache
