// Package redis is the oidcbridge.Store on Redis, shared by every instance
// of the service: an authorization request started on one instance is
// completed, redeemed and read on any other.
//
// Key layout under the prefix (default "liota:oidc:"), each key expiring
// with its record:
//
//	authreq:{id}              the auth request, JSON
//	code:{sha256 of code}     "{delete at, unix ms} {auth request id}"
//	claim:{session id}        "{delete at, unix ms} {auth request id}"
//	token:{id}                the access token record, JSON
//	subject:{client}:{hash}   set of token ids of one subject at one client
//	keys                      the key ring, JSON (no expiry)
//
// Updates are compare-and-set in Lua scripts on the stored value; reads
// check each record's end on the injected clock, so a fake clock expires
// records exactly, and Redis TTLs only clean up.
package redis
