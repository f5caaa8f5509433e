// Package audit writes the audit log: one JSON line per completed login
// (verified, failed, or declined by the wallet) to a sink the operator
// chooses. A record names when, which login (a hash of its id, never the
// id), the definition, flow, outcome and reason, and the issuers and types
// of the verified credentials. It never holds claims, tokens, nonces or
// states, and the holder's DID only when the operator asks for it
// (Options.IncludeHolder): a holder DID is personal data.
//
// It is a verifier.Observer; cmd adds it beside the metrics.
package audit
