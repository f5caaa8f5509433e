// Package vp is the wallet's side of OpenID for Verifiable Presentations:
// it reads an authorization request in each dialect the verifier speaks
// (one file each: profile2022.go, the Login-with-IOTA profile; draft20.go,
// OID4VP drafts 18-20 with Presentation Exchange; v1.go names OID4VP 1.0,
// whose DCQL matching waits for the query engine), by value or as a
// request object (request / request_uri, GET or POST), chooses the
// credentials with pex's Select, signs a presentation (ldp_vp with a
// linked-data proof, or jwt_vp_json), and posts the answer.
package vp
