// Package metrics is the Prometheus side of the service: it implements the
// observer interfaces the core (verifier.Observer) and the HTTP side
// (web.Observer) declare, wraps the session store, the DID resolver and
// the status list fetcher to time them, and serves the registry. The core
// never imports Prometheus; cmd wires this package in.
//
// Label values are definition ids, flows, outcomes, reasons, stages,
// routes, methods, codes, store operations and DID method names — never a
// DID, a claim, a token or a session id. A wallet's own error code, which
// the wallet chooses, is counted under a closed set of known codes or
// "other".
package metrics
