package vp

import "strings"

// Protocol words: "the profile" is the Login-with-IOTA profile, "draft
// 20" OpenID for Verifiable Presentations draft 20.

// Dialects.
const (
	Profile2022 = "profile-2022"
	Draft20     = "draft-20"
	V1          = "1.0"
)

// Response modes.
const (
	ModePost       = "post"        // the profile's cross-device mode
	ModeFormPost   = "form_post"   // the profile's same-device mode
	ModeDirectPost = "direct_post" // draft 20 and 1.0
	ModeDirectJWT  = "direct_post.jwt"
)

// Request parameters.
const (
	pResponseType     = "response_type"
	pClientID         = "client_id"
	pClientIDScheme   = "client_id_scheme"
	pResponseMode     = "response_mode"
	pRedirectURI      = "redirect_uri"
	pResponseURI      = "response_uri"
	pNonce            = "nonce"
	pState            = "state"
	pDefinition       = "presentation_definition"
	pDefinitionURI    = "presentation_definition_uri"
	pClientMetadata   = "client_metadata"
	pRequest          = "request"
	pRequestURI       = "request_uri"
	pRequestURIMethod = "request_uri_method"
	pDCQL             = "dcql_query"
	pScope            = "scope"
	pTransactionData  = "transaction_data"
	pWalletNonce      = "wallet_nonce"
	pWalletMetadata   = "wallet_metadata"
)

// Client identifier prefixes (1.0 §5.9.3) this wallet authenticates.
const (
	PrefixDID         = "decentralized_identifier"
	PrefixX509SanDNS  = "x509_san_dns"
	PrefixX509Hash    = "x509_hash"
	PrefixRedirectURI = "redirect_uri"
)

// knownPrefixes are the prefixes 1.0 defines: a client_id starting with
// one of them and a colon is a prefixed client identifier.
var knownPrefixes = []string{PrefixRedirectURI, PrefixX509SanDNS, PrefixX509Hash, PrefixDID,
	"verifier_attestation", "openid_federation", "origin"}

// splitPrefix splits a 1.0 client_id into its prefix and original client
// identifier ("", id for none: a plain URL's "https:" is no prefix).
func splitPrefix(id string) (prefix, value string) {
	for _, p := range knownPrefixes {
		if v, ok := strings.CutPrefix(id, p+":"); ok && v != "" {
			return p, v
		}
	}
	return "", id
}

// objectParams are the parameters whose values are JSON objects: in a
// query they are JSON text, in a request object JSON values.
var objectParams = map[string]bool{pDefinition: true, pClientMetadata: true, pDCQL: true}

const (
	// responseTypeVPToken: "response_type: REQUIRED ... vp_token".
	responseTypeVPToken = "vp_token"
	// schemeRedirectURI: draft 20 §5.7, "the Authorization Request MUST NOT
	// be signed"; with direct_post "the client_id value MUST be equal to
	// the response_uri value".
	schemeRedirectURI = "redirect_uri"
	// requestObjectType is RFC 9101's explicit typ.
	requestObjectType = "oauth-authz-req+jwt"
)
