// Command loadtest drives whole logins against a running verifier, as a
// website and a wallet would: create a session, read its authorization
// request (and the presentation definition when it is given by URI), sign
// the wallet's presentation with the wallet's own Ed25519 key, post it, and
// read the session's status. It runs a given number of logins at once for
// a given time and prints logins/s, p50/p99 latency of a whole login, and
// — given the server's pid (and Redis's) — their CPU per login, also as a
// multiple of two Ed25519 verifications measured on this machine.
//
//	loadtest -url http://127.0.0.1:8080 -c 32 -d 10s -pid $(pidof verifier)
//
// It is a separate program so the service binary stays small. Its wallets
// get their credentials from package testwallet (whose code is independent
// of the verifier's) and choose with testwallet's selection once per
// definition; each presentation they sign themselves, writing its
// canonical form directly (sign.go), so that the generator's own CPU per
// login stays well below the verifier's on a shared machine.
//
// CPU times come from /proc/PID/stat (Linux); -cpuprofile profiles the
// generator itself. The bench harness behind docs/performance.md runs the
// verifier, Redis and this program on the same two cores.
package main
