package oid4vp

// Protocol words, in one place, with the spec sentence beside each MUST we
// enforce. "Draft 20" is OpenID for Verifiable Presentations draft 20
// (openid-4-verifiable-presentations-1_0-20); "the profile" is the
// Login-with-IOTA profile (testdata/specs).

// Dialect names, as the config and POST /api/v1/sessions' protocol member
// spell them.
const (
	// Profile2022 is the Login-with-IOTA profile's request.
	Profile2022 = "profile-2022"
	// Draft20 is OID4VP drafts 18–20 with Presentation Exchange.
	Draft20 = "draft-20"
	// V1 is OID4VP 1.0 with DCQL (v1.go): a signed request object by
	// request_uri, whether the wallet GETs or POSTs it.
	V1 = "1.0"
	// V1Draft20 is one QR for two generations (v1.go): a wallet that POSTs
	// the request_uri (request_uri_method=post, OID4VP 1.0 §5.10) gets the
	// 1.0 request with DCQL, one that GETs it (a draft-20 wallet, which
	// knows no POST) gets the draft-20 request with Presentation Exchange,
	// both signed by the same client identifier.
	V1Draft20 = "1.0+draft-20"
)

// Response types and modes.
const (
	// ResponseTypeVPToken: the profile's response_type is "REQUIRED ...
	// vp_token"; draft 20: "When supplied as the response_type parameter in
	// an Authorization Request, a successful response MUST include the
	// vp_token parameter."
	ResponseTypeVPToken = "vp_token"

	// ModePost is the profile's cross-device mode: "For cross-device
	// scenarios [OIDC4VP] introduces a new response mode post".
	ModePost = "post"
	// ModeFormPost is the profile's same-device mode: "The response_mode
	// should be set to form_post."
	ModeFormPost = "form_post"
	// ModeDirectPost is draft 20's (and 1.0's) mode: "response_uri ... MUST
	// be present when the Response Mode direct_post is used. The Response
	// URI to which the Wallet MUST send the Authorization Response using an
	// HTTPS POST request".
	ModeDirectPost = "direct_post"
	// ModeDirectPostJWT is 1.0 §8.3.1: "allows for encryption to be used
	// on top of the Response Mode direct_post"; "The Wallet adds the
	// response parameter containing the JWT ... in the body of an HTTP
	// POST request".
	ModeDirectPostJWT = "direct_post.jwt"
)

// Client identifier schemes (draft 20 §5.7, "Verifier Metadata Management").
const (
	// SchemeRedirectURI: "This value indicates that the Verifier's redirect
	// URI is also the value of the Client Identifier. In this case, the
	// Authorization Request MUST NOT be signed, the Verifier MAY omit the
	// redirect_uri Authorization Request parameter, and all Verifier
	// metadata parameters MUST be passed using the client_metadata or
	// client_metadata_uri parameter". With direct_post: "the client_id
	// value MUST be equal to the response_uri value."
	SchemeRedirectURI = "redirect_uri"
)

// Authorization request parameters.
const (
	ParamResponseType              = "response_type"
	ParamClientID                  = "client_id"
	ParamClientIDScheme            = "client_id_scheme"
	ParamScope                     = "scope"
	ParamResponseMode              = "response_mode"
	ParamRedirectURI               = "redirect_uri"
	ParamResponseURI               = "response_uri"
	ParamNonce                     = "nonce"
	ParamState                     = "state"
	ParamPresentationDefinition    = "presentation_definition"
	ParamPresentationDefinitionURI = "presentation_definition_uri"
	ParamClientMetadata            = "client_metadata"
	ParamRequestURI                = "request_uri"
	// 1.0 §5.1.
	ParamDCQLQuery        = "dcql_query"
	ParamRequestURIMethod = "request_uri_method"
	ParamVerifierInfo     = "verifier_info"
	// 1.0 §5.10: the request to the Request URI Endpoint, and the claim
	// that echoes the nonce: "When received, the Verifier MUST use it as
	// the wallet_nonce value in the signed authorization request object."
	ParamWalletMetadata = "wallet_metadata"
	ParamWalletNonce    = "wallet_nonce"
)

// request_uri_method values (1.0 §5.1: "Two case-sensitive valid values
// are defined in this specification: get and post").
const (
	RequestURIMethodGet  = "get"
	RequestURIMethodPost = "post"
)

// Client identifier prefixes (1.0 §5.9.3), written before the original
// client identifier with a colon: "<client_id_prefix>:<orig_client_id>".
const (
	// PrefixRedirectURI: "Requests using the redirect_uri Client Identifier
	// Prefix cannot be signed".
	PrefixRedirectURI = "redirect_uri"
	// PrefixDID: "The request MUST be signed with a private key associated
	// with the DID ... identified by the kid in the JOSE Header."
	PrefixDID = "decentralized_identifier"
	// PrefixX509SanDNS: "MUST be a DNS name and match a dNSName Subject
	// Alternative Name (SAN) entry in the leaf certificate passed with the
	// request"; signed "with the private key corresponding to the public
	// key in the leaf X.509 certificate of the certificate chain added to
	// the request in the x5c JOSE header".
	PrefixX509SanDNS = "x509_san_dns"
	// PrefixX509Hash: "the base64url-encoded value of the SHA-256 hash of
	// the DER-encoded X.509 certificate" of the leaf, x5c as above.
	PrefixX509Hash = "x509_hash"
)

// Response encryption (1.0 §8.3).
const (
	// EncAlgECDHES is the JWE alg of encrypted responses: the JWK's alg,
	// "The JWE alg algorithm used MUST be equal to the alg value of the
	// chosen jwk."
	EncAlgECDHES = "ECDH-ES"
	// EncA128GCM is the default enc: "allowing for the default value of
	// A128GCM when not explicitly set".
	EncA128GCM = "A128GCM"
	EncA256GCM = "A256GCM"
)

// Request objects (RFC 9101, JWT-Secured Authorization Request).
const (
	// RequestObjectType is the typ header of a request object: RFC 9101
	// §10.8 asks for explicit typing, "oauth-authz-req+jwt", so a request
	// object is never mistaken for another JWT.
	RequestObjectType = "oauth-authz-req+jwt"
	// RequestObjectMediaType is how the request_uri endpoint serves it
	// (RFC 9101 §5.2: "application/oauth-authz-req+jwt").
	RequestObjectMediaType = "application/oauth-authz-req+jwt"
	// AudienceSelfIssued: draft 20 §5.6, "the aud Claim MUST be
	// "https://self-issued.me/v2", when Static Discovery metadata is used".
	AudienceSelfIssued = "https://self-issued.me/v2"
	// AlgNone is an unsecured request object (RFC 7519 §6), the only kind
	// the redirect_uri scheme allows ("MUST NOT be signed").
	AlgNone = "none"
)

// Authorization response parameters.
const (
	ParamVPToken                = "vp_token"
	ParamPresentationSubmission = "presentation_submission"
	// ParamResponse carries the JWE of a direct_post.jwt response.
	ParamResponse         = "response"
	ParamError            = "error"
	ParamErrorDescription = "error_description"
)

// ScopeOpenID is the scope of the profile's example requests
// ("scope=openid"); draft 20 drops it: with a presentation_definition, a
// scope "representing a Presentation Definition" would be a second one.
const ScopeOpenID = "openid"
