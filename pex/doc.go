// Package pex implements DIF Presentation Exchange (v2.1.1, and v1.0.0
// definitions with their input descriptor "schema" lists) for both sides:
// the verifier's (parse, validate and compile a presentation definition
// once; evaluate a wallet's presentation_submission and vp_token against it)
// and the wallet's (Select: choose credentials and build the submission).
//
// It checks structure, formats and claims only. Proofs, DIDs, nonces,
// credential status lists and sessions belong to other packages; pex imports
// none of ours. What it cannot know (a credential's status) the caller feeds
// in (Options.Status).
//
// # Definitions
//
// ParseDefinition validates a definition against the official DIF JSON
// Schema of its version (bundled, see schemas/README.md; v1.0.0 when an
// input descriptor has "schema", else v2), then semantically: unique
// descriptor and field ids, groups named by submission_requirements exist
// and can meet their counts, is_holder/same_subject name existing fields,
// every JSONPath and JSON Schema filter compiles. Errors name the
// definition, the input descriptor, the member and the reason. What is
// accepted but ignored (frame, a keyword draft 7 does not know) is listed by
// Definition.Warnings.
//
// # Evaluation
//
// Without submission_requirements every input descriptor must be answered
// by at least one descriptor_map entry; with them, the answered descriptors
// must meet every requirement (requirements.go). Every entry must name an
// input descriptor and lead to a credential that satisfies it. An entry's
// path is evaluated on the vp_token root (a presentation or an array of
// them); each path_nested path on the object its parent found, to any
// depth; the innermost object is the credential.
//
// Formats: a descriptor's format replaces the definition's. A format object
// constrains only the kinds it names — credential formats (ldp_vc, …) the
// credential, presentation formats (ldp_vp, …) the envelopes — so that the
// profile's {"ldp_vc": …} descriptor accepts its ldp_vp envelope. Where a
// designation lists proof_type (or cryptosuite), every proof of the object
// must have one of them. Supported: ldp_vp, ldp_vc, di_vp, di_vc, ldp, di (a
// JSON-LD object with a proof, of type VerifiablePresentation or
// VerifiableCredential), and, when Options.DecodeJWT is given, jwt_vp_json,
// jwt_vc_json, jwt_vp, jwt_vc and jwt (a JWT, decoded for the next path and
// the constraints, its header's alg checked against the designation's alg
// list: jwt.go); a declared format the definition does not allow is
// rejected.
//
// Constraints, in the spec's order: the v1.0.0 schema list (schemauri.go);
// fields — the paths of a field are tried in order, the first match of the
// first path that selects something is the candidate, it must validate
// against the filter (JSON Schema draft 7, plus formatMinimum/formatMaximum
// on dates, dates.go), else the next path is tried; a field with no match
// fails unless optional, and an optional field that has a value must still
// satisfy its filter; predicate (constraints.go); subject_is_issuer,
// is_holder, same_subject (holder.go); limit_disclosure (disclosure.go);
// statuses (status.go). "preferred" forms that are not met become Notes of
// the Result, never failures.
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
// Reasons in errors and notes name the descriptor, the member, its paths and
// the rule that failed, never a claim value of the credential.
package pex
