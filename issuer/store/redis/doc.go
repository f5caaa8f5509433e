// Package redis is the issuer.Store on Redis, shared by every issuer
// instance that uses the same server and key prefix: records are keys
// prefix+kind+":"+hash with a PXAT expiry, Create is SET NX, Take is
// GETDEL, and Update a compare-and-set by value in one Lua script (so a
// record that expired between read and write is never written back
// without its expiry).
package redis
