package oid4vp

// draft20 is OID4VP drafts 18–20 with Presentation Exchange, as the
// maintained wallet libraries of that generation read it
// (@sphereon/did-auth-siop 0.19, @openid4vc/openid4vp 0.4):
//
//	response_type=vp_token, response_mode=direct_post, response_uri,
//	client_id_scheme=redirect_uri, client_id = the response URI,
//	presentation_definition by value, client_metadata.vp_formats,
//	nonce, state; no scope
//
// or client_id + request_uri pointing at the same parameters as an
// unsigned request object.
type draft20 struct{}

func (draft20) Name() string { return Draft20 }

// ResponseMode is direct_post for both flows. Cross-device: "The flow uses
// the Response Type vp_token in conjunction with the Response Mode
// direct_post". Same-device: the Response Endpoint answers with a
// redirect_uri carrying a one-time response_code ("The Verifier's Response
// Endpoint MUST include a fresh secret (Response Code) into the redirect URI
// returned to the Wallet").
func (draft20) ResponseMode(bool, Modes) string { return ModeDirectPost }

// ClientID: "If the Client Identifier scheme redirect_uri is used in
// conjunction with the Response Mode direct_post, and the response_uri
// parameter is present, the client_id value MUST be equal to the
// response_uri value."
func (draft20) ClientID(l Login) string { return l.ResponseURI }

func (d draft20) Parameters(l Login) map[string]any {
	return map[string]any{
		ParamResponseType: ResponseTypeVPToken,
		ParamClientID:     d.ClientID(l),
		// "If the parameter is not present, the Wallet MUST behave as
		// specified in [RFC6749]", which wallets read as an OpenID
		// Federation entity or a pre-registered client: we name ours.
		ParamClientIDScheme: SchemeRedirectURI,
		ParamResponseMode:   ModeDirectPost,
		// "response_uri ... MUST be present when the Response Mode
		// direct_post is used"; "When the response_uri parameter is
		// present, the redirect_uri Authorization Request parameter MUST
		// NOT be present."
		ParamResponseURI: l.ResponseURI,
		// "nonce: REQUIRED."
		ParamNonce: l.Nonce,
		ParamState: l.State,
		// "presentation_definition ... MUST be present when
		// presentation_definition_uri parameter, or a scope value
		// representing a Presentation Definition is not present": by value,
		// and no scope (wallets refuse a second way to name a definition).
		ParamPresentationDefinition: l.Definition,
		// The redirect_uri scheme: "all Verifier metadata parameters MUST
		// be passed using the client_metadata ... parameter"; and
		// "vp_formats: REQUIRED".
		ParamClientMetadata: map[string]any{"vp_formats": l.VPFormats},
	}
}

// ByReference: "The usage of the Response Mode direct_post in conjunction
// with request_uri is RECOMMENDED"; the redirect_uri scheme makes the
// request object unsigned ("MUST NOT be signed").
func (draft20) ByReference() bool { return true }

// Draft20Signed is the draft-20 request the one-QR dialect serves to a
// wallet that GETs its request_uri: draft-20's parameters under the 1.0
// client identifier, signed like the 1.0 request. The client_id is the
// QR's, whole (RFC 9101 §5: the request object's client_id and the
// request's must be the same), and no client_id_scheme is sent: draft
// 20's schemes name the client_id bare ("did": "the Client Identifier is
// a DID"), which the prefixed one is not. A draft-20 wallet then reads it
// as draft 20 reads a client_id without scheme, a known client, and
// verifies the request object by its kid or x5c (as
// @sphereon/did-auth-siop 0.19 does); its presentations name the full
// client identifier as their audience, as 1.0 wallets' do.
func Draft20Signed(l Login) map[string]any {
	p := draft20{}.Parameters(l)
	p[ParamClientID] = l.ClientID
	delete(p, ParamClientIDScheme)
	return p
}
