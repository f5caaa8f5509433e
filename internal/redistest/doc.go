// Package redistest starts real redis-server processes for tests: a
// standalone server, a Sentinel setup (a master, replicas, sentinels) and a
// Redis Cluster (masters with replicas), on free loopback ports, with no
// persistence, torn down when the test (or, for the shared ones, the test
// binary: see Main) ends.
//
// Without redis-server on PATH the helpers skip the test, except in CI (CI
// set in the environment), where they fail it: CI must never pass by
// skipping. Children die with the test binary (Pdeathsig), so a killed run
// leaves no server behind.
package redistest
