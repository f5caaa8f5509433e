// Package pex implements the verifier's side of DIF Presentation Exchange
// (v2.1.1; v1 definitions parse too): it owns presentation definitions —
// parsing, validating and compiling them once — and the evaluation of a
// wallet's presentation_submission and vp_token against one.
//
// It checks structure, formats and claim constraints only. Proofs, DIDs,
// nonces and sessions belong to other packages; pex imports none of ours.
//
// # Evaluation
//
// Every input descriptor must be named by at least one descriptor_map entry,
// and every entry must name an input descriptor and lead to a credential that
// satisfies it. An entry's path is evaluated on the vp_token root (a
// presentation or an array of them); each path_nested path on the object its
// parent found, to any depth; the innermost object is the credential.
//
// Formats: a descriptor's format replaces the definition's. A format object
// constrains only the kinds it names — credential formats (ldp_vc, …) the
// credential, presentation formats (ldp_vp, …) the envelopes — so that the
// profile's {"ldp_vc": …} descriptor accepts its ldp_vp envelope. Where a
// designation lists proof_type, every proof of the object must have one of
// them. Supported: ldp_vp, ldp_vc, di_vp, di_vc, ldp, di (a JSON-LD object
// with a proof, of type VerifiablePresentation or VerifiableCredential).
//
// Fields: the paths of a field are tried in order; the first match of the
// first path that selects something is the candidate; it must validate
// against the filter (JSON Schema draft 7), else the next path is tried.
// A field with no match fails unless optional; an optional field that has a
// value must still satisfy its filter, as the spec says.
//
// # Profile-compatibility rule
//
// The Login-with-IOTA profile's example definition filters "$.type" — an
// array in every real credential — with {"type": "string", "pattern":
// "VerifiableId"}, which strict JSON Schema never matches. So when a filter's
// "type" is "string" and the value is a non-empty array of strings, the
// filter matches when ANY element matches. Everywhere else JSON Schema is
// applied strictly.
//
// # JSONPath
//
// Descriptor-map paths come from the wallet and must be definite: "$"
// followed by .name, ['name'], ["name"] or [index]. Field paths of a
// definition may use the full syntax that github.com/PaesslerAG/jsonpath
// compiles (wildcards, unions, slices, filters, recursive descent) and must
// start with "$"; definite ones are walked directly, without allocating. An
// index selects nothing in an object and a name nothing in an array (RFC
// 9535; PaesslerAG would read an index as a member name there).
//
// # Not evaluated yet
//
// submission_requirements are validated but every input descriptor is
// required (stricter than pick rules, never more lenient). Features whose
// "required" form would need enforcing here (subject_is_issuer, is_holder,
// same_subject, statuses, v1.0.0 schema) make ParseDefinition fail rather than
// be silently ignored; see features.go. limit_disclosure is the holder's duty
// and frame is ignored.
//
// Reasons in errors name the descriptor, the field, its paths and the rule
// that failed, never a claim value of the credential.
package pex
