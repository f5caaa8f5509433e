package oid4vp

// v1 is OpenID for Verifiable Presentations 1.0 (July 2025) with DCQL:
//
//	response_type=vp_token, response_mode direct_post or direct_post.jwt,
//	response_uri, a prefixed client_id (decentralized_identifier,
//	x509_san_dns, x509_hash: a signed request object by request_uri,
//	request_uri_method=post; redirect_uri: the parameters by value,
//	unsigned), dcql_query, client_metadata.vp_formats_supported (and for
//	direct_post.jwt jwks and encrypted_response_enc_values_supported),
//	nonce, state, optional verifier_info
//
// v1Draft20 is the same QR for two generations: its request_uri serves
// the 1.0 request to a wallet that POSTs it and the draft-20 request to
// one that GETs it (ForFetch).
type v1 struct{ name string }

func (d v1) Name() string { return d.name }

// ResponseMode is direct_post for both flows; whether the response is
// encrypted on top (direct_post.jwt) is decided per request object, by
// the operator's policy and what the wallet posted (Login.Encryption).
// Same-device: "The Verifier MUST include a fresh, cryptographically
// random value in the URL" of the redirect_uri (the response_code).
func (v1) ResponseMode(bool, Modes) string { return ModeDirectPost }

// ClientID is the full prefixed client identifier.
func (v1) ClientID(l Login) string { return l.ClientID }

// ByReference is false: the 1.0 dialects never send unsigned request
// objects by reference (@openid4vc/openid4vp refuses redirect_uri with
// any request object); signed ones go by request_uri (Signed).
func (v1) ByReference() bool { return false }

func (d v1) Parameters(l Login) map[string]any {
	mode := ModeDirectPost
	meta := map[string]any{
		// §11.1 vp_formats_supported: "REQUIRED. An object containing a
		// list of name/value pairs, where the name is a Credential Format
		// Identifier and the value defines format-specific parameters that
		// a Verifier supports."
		"vp_formats_supported": l.VPFormatsSupported,
	}
	if e := l.Encryption; e != nil {
		mode = ModeDirectPostJWT
		// §5.1 client_metadata.jwks: keys "used by the Wallet as an input
		// to a key agreement that may be used for encryption of the
		// Authorization Response"; "Each JWK in the set MUST have a kid".
		meta["jwks"] = map[string]any{"keys": []any{e.JWK}}
		// "When a response_mode requiring encryption of the Response (such
		// as dc_api.jwt or direct_post.jwt) is specified, this MUST be
		// present for anything other than the default single value of
		// A128GCM."
		meta["encrypted_response_enc_values_supported"] = e.Enc
	}
	out := map[string]any{
		ParamResponseType: ResponseTypeVPToken,
		// §5.2 client_id: "REQUIRED."
		ParamClientID:     l.ClientID,
		ParamResponseMode: mode,
		// §8.2: "response_uri: REQUIRED when the Response Mode direct_post
		// is used"; "When the response_uri parameter is present, the
		// redirect_uri Authorization Request parameter MUST NOT be
		// present."
		ParamResponseURI: l.ResponseURI,
		// §5.2 nonce: "REQUIRED."
		ParamNonce: l.Nonce,
		// §5.3: state is REQUIRED when a presentation without holder
		// binding may be asked for, RECOMMENDED otherwise; always sent.
		ParamState: l.State,
		// §5.1 dcql_query: "Either a dcql_query or a scope parameter
		// representing a DCQL Query MUST be present in the Authorization
		// Request, but not both."
		ParamDCQLQuery:      l.DCQL,
		ParamClientMetadata: meta,
	}
	if len(l.VerifierInfo) > 0 {
		out[ParamVerifierInfo] = l.VerifierInfo
	}
	if l.WalletNonce != "" {
		out[ParamWalletNonce] = l.WalletNonce
	}
	return out
}

// Encryption is what a direct_post.jwt request publishes: the request's
// own ephemeral public key and the content encryptions accepted.
type Encryption struct {
	JWK map[string]any // kty EC, crv P-256, x, y, kid, use enc, alg ECDH-ES
	Enc []string       // encrypted_response_enc_values_supported
}

// IsV1 reports whether a dialect is one of the 1.0 dialects (DCQL,
// prefixed client identifiers).
func IsV1(d Dialect) bool {
	_, ok := d.(v1)
	return ok
}

// ServesDraft20 reports whether d's request_uri serves the draft-20
// request to a wallet that GETs it (the one-QR dialect).
func ServesDraft20(d Dialect) bool { return d.Name() == V1Draft20 }

// ForFetch is what a wallet gets that fetches d's request_uri with
// method: the one-QR dialect serves draft-20 parameters to a GET
// (draft-20 wallets know only GET) and 1.0 to a POST; every other dialect
// serves its own. The name is the dialect the parameters are in.
func ForFetch(d Dialect, l Login, method string) (map[string]any, string) {
	if ServesDraft20(d) && method != RequestURIMethodPost {
		return Draft20Signed(l), Draft20
	}
	return d.Parameters(l), d.Name()
}

// ReferenceParametersV1 are the parameters of a 1.0 QR: the client_id,
// the request_uri and request_uri_method=post (§5.1: "Wallets not
// supporting the post method will send a GET request to the Request
// URI"). §5.10.2: "The Client Identifier value in the client_id
// Authorization Request parameter and the Request Object client_id claim
// value MUST be identical, including the Client Identifier Prefix."
func ReferenceParametersV1(clientID, requestURI string) map[string]any {
	return map[string]any{ParamClientID: clientID, ParamRequestURI: requestURI, ParamRequestURIMethod: RequestURIMethodPost}
}
