// Package vp is the wallet's side of OpenID for Verifiable Presentations:
// it reads an authorization request in each dialect the verifier speaks
// (one file each: profile2022.go, the Login-with-IOTA profile; draft20.go,
// OID4VP drafts 18-20 with Presentation Exchange; v1.go, OID4VP 1.0 with
// DCQL), by value or as a request object (request / request_uri, GET or
// POST with the wallet's metadata and nonce). Signed request objects are
// verified as their client identifier prefix says (jar.go:
// decentralized_identifier by an offline DID, x509_san_dns and x509_hash
// by a chain to the caller's trust anchors; redirect_uri only unsigned).
// Credentials are chosen with pex's Select or, for 1.0, package dcql's
// matching (dcql.go, views.go); the presentation is an ldp_vp or a
// jwt_vp_json, and for 1.0 a vp_token keyed by credential query id with
// SD-JWT VCs disclosing only the requested claims under a KB-JWT
// (present_v1.go); the answer is posted, encrypted for direct_post.jwt
// (encrypt.go), or an error response (respond.go).
package vp
