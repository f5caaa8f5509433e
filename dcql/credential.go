package dcql

// Credential is a presented credential as the caller decoded (and, for
// a login, verified) it: the neutral view a query is evaluated on. The
// format adapters of the verifier fill it in.
type Credential struct {
	// Format is the credential format identifier the presentation is of
	// (dc+sd-jwt for both SD-JWT VC typ values, jwt_vc_json, ldp_vc,
	// mso_mdoc).
	Format string
	// VCT is an SD-JWT VC's vct; AKAVCTs its aka_vcts (SD-JWT VC §3.2.2.1.1,
	// types it also is).
	VCT     string
	AKAVCTs []string
	// Types are a W3C credential's fully expanded types (B.1.1: "after
	// applying the @context"; a type no @context defines is itself).
	Types []string
	// Doctype is an mdoc's doctype.
	Doctype string
	// Claims is what claims path pointers run on: an SD-JWT VC's processed
	// payload, a W3C credential's root object ("the claims_path parameter
	// always matches on the root of Verifiable Credential (not the
	// Verifiable Presentation)", B.1.2), an mdoc's namespaces.
	Claims map[string]any
	// HolderBound reports a verified cryptographic holder binding (an
	// SD-JWT VC's KB-JWT, a VP signed by the credential's subject).
	HolderBound bool
	// Disclosed lists the selectively disclosed claims' paths (strings and
	// ints; sdjwt.Disclosure.Path), for Options.StrictDisclosure.
	Disclosed [][]any
	// Authorities lists what identifies the issuer's trust chain, for
	// Options.RequireTrustedAuthorities: e.g. {aki, <base64url key id>}
	// per certificate of an x5c chain.
	Authorities []TrustedAuthorityValue
}

// TrustedAuthorityValue is one fact about a credential's issuer that a
// trusted_authorities entry may name.
type TrustedAuthorityValue struct {
	Type, Value string
}
