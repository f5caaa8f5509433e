// Package redis is the session.Store for several instances behind one Redis
// (standalone or Sentinel; see below for Cluster).
//
// Layout, under a configurable prefix (default "liota:"):
//
//	{prefix}session:{id}   JSON of the session.Session
//	{prefix}state:{state}  the id, so the wallet's state finds its session
//	{prefix}completed      pub/sub channel: the id of a session that changed
//
// Both keys expire at the session's DeleteAt (PXAT), so Redis deletes the
// record and its claims on time without a sweeper. Create writes both keys
// in one Lua script that refuses a taken id or state. Update is a
// compare-and-set on the record's Version, checked in a Lua script; a
// writer that loses the race re-reads and calls fn again.
//
// The store is also the session.Notifier of all instances on one Redis:
// Publish sends the id on the channel above; each instance keeps one
// subscription (opened by its first Subscribe, ended by Close) and wakes its
// local subscribers. No sticky sessions are needed.
//
// Every fault of Redis or of the connection is returned wrapping both
// session.ErrUnavailable and its cause; the client reconnects by itself,
// and the store holds no connection state of its own.
//
// Create and Update touch two keys in one script, so on Redis Cluster both
// must hash to one slot; the key layout above does not ensure that, and
// Cluster is not supported.
package redis
