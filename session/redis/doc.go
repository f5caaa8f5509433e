// Package redis is the session.Store for several instances behind one Redis:
// standalone, Sentinel or Cluster (any goredis.UniversalClient).
//
// Layout, under a configurable prefix (default "liota:"):
//
//	{prefix}session:{<id>}  the session record, expiring at its DeleteAt (PXAT)
//	{prefix}completed       pub/sub channel: the id of a session that changed
//
// A session is one key, and its id is the key's hash tag, so whatever a
// script touches of a session lives in one Cluster slot. There is no state
// index: the service mints the wallet-facing state as "<id>.<secret>", so
// GetByState reads the record the state names and compares the stored state
// with the given one in constant time — one round trip, and none for a
// state that names nothing.
//
// The record is "<version>:b" and a compact binary encoding of the session
// (codec.go): the scripts read the version with GETRANGE and never decode
// a record in Lua, and readers skip encoding/json's reflection.
//
// Create is SET NX PXAT. Update is a compare-and-set on the record's
// version in one Lua script, which also publishes the change; the first
// attempt starts from the record this instance just read by state, so a
// wallet's answer costs two round trips in all (read, complete). A writer
// that loses the race gets the current record back from the script and
// tries again on it.
//
// The store is also the session.Notifier of all instances on one Redis:
// Publish sends the id on the channel above (regular pub/sub, which Cluster
// delivers on every node); each instance keeps one subscription (opened by
// its first Subscribe, ended by Close) and wakes its local subscribers. No
// sticky sessions are needed.
//
// Outbox (outbox.go) adds completion events (session.Outbox): the
// completion script also queues the event in an index of the session's own
// slot, so record and event are one write on Cluster too; Create lists a
// pending session in its slot's expiries index. Each instance reads only
// the indexes it knows to have something due, and all 16384 of them now
// and then (OutboxOptions.Resync) to learn what other instances left.
//
// Every fault of Redis or of the connection is returned wrapping both
// session.ErrUnavailable and its cause; the client reconnects by itself
// (and follows a Sentinel or Cluster failover), and the store holds no
// connection state of its own.
package redis
