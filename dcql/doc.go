// Package dcql is the Digital Credentials Query Language of OpenID for
// Verifiable Presentations 1.0 §6, from the verifier's side.
//
// Parse (or FromJSON, for a query decoded from configuration) validates
// a query against every rule the specification states, the claims path
// pointers of §7 and the meta members Appendix B makes required for the
// formats it knows (dc+sd-jwt vct_values, jwt_vc_json and ldp_vc
// type_values, mso_mdoc doctype_value); an error names the member
// ("credentials[1].claims[0].path").
//
// Query.Evaluate decides whether a vp_token answers the query, failing
// closed: the caller decodes the vp_token (DecodeVPToken reads its JSON
// shape) and verifies each presentation with its format's package into a
// neutral Credential view (format, vct / types / doctype, claims, holder
// binding); Evaluate refuses unknown credential query ids, more
// presentations than multiple allows, a presentation that does not
// match its query (format, meta, holder binding, claims and values,
// claim_sets), and a vp_token that does not satisfy credential_sets (or,
// without them, every credential query). It returns which presentation
// answers which query with which claim set. SelectClaims then keeps of a
// credential's claims only those its query asked for: what the website
// is told.
//
// Not here: decoding or verifying presentations (packages sdjwt, jwtvc,
// ldproof), trust in issuers (trusted_authorities is matched only on
// request, against facts the caller supplies), SD-JWT VC Type Metadata
// inheritance of vct values, and the wallet's side (choosing credentials
// from a store).
package dcql
