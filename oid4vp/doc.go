// Package oid4vp holds the OpenID for Verifiable Presentations protocol as
// the verifier speaks it to wallets: its words (words.go, each MUST we
// enforce beside its spec sentence), the wire types of a request and an
// answer, and one file per dialect, each building the authorization request
// its wallet generation reads:
//
//   - profile2022.go: the Login-with-IOTA profile (OIDC4VP of 2022):
//     scope=openid, response_mode post / form_post, redirect_uri,
//     presentation_definition or presentation_definition_uri.
//
//   - draft20.go: OID4VP drafts 18–20 with Presentation Exchange:
//     response_mode direct_post with response_uri, client_id_scheme
//     redirect_uri, client_metadata.vp_formats, the definition by value or
//     the whole request by request_uri (an unsigned request object).
//
//   - v1.go: OID4VP 1.0 with DCQL (1.0), and the one-QR dialect
//     (1.0+draft-20) whose request_uri serves the 1.0 request to a wallet
//     that POSTs it and the draft-20 request to one that GETs it
//     (ForFetch); prefixed client identifiers (clientid.go), signed
//     request objects (jar.go), vp_formats_supported (vpformats.go).
//
// answer.go reads what wallets post, whatever the dialect, with the
// tolerances real wallets need; encrypted.go opens direct_post.jwt
// responses (ECDH-ES to a per-request P-256 key, A128GCM/A256GCM);
// requesturi.go reads a wallet's request_uri POST (§5.10).
//
// The package knows nothing of sessions, HTTP frameworks or configuration:
// verifier builds a Login from a session and asks its Dialect for the
// request; web serves it.
package oid4vp
