package oid4vp

// profile2022 is the Login-with-IOTA profile's request, parameters by
// value, exactly as the verifier sent it before dialects: scope=openid,
// redirect_uri (or response_uri with direct_post), the definition by value
// or by presentation_definition_uri.
type profile2022 struct{}

func (profile2022) Name() string { return Profile2022 }

// ResponseMode: the operator's. The profile's are post (cross-device) and
// form_post (same-device); direct_post is accepted as well.
func (profile2022) ResponseMode(sameDevice bool, m Modes) string {
	if sameDevice {
		return orDefault(m.SameDevice, ModeFormPost)
	}
	return orDefault(m.CrossDevice, ModePost)
}

// ClientID: the profile's examples name the verifier by its response URL,
// which also makes the VP proof's domain checkable.
func (profile2022) ClientID(l Login) string { return l.ResponseURI }

func (p profile2022) Parameters(l Login) map[string]any {
	out := map[string]any{
		ParamResponseType: ResponseTypeVPToken,
		ParamClientID:     p.ClientID(l),
		ParamScope:        ScopeOpenID,
		ParamResponseMode: l.ResponseMode,
		ParamNonce:        l.Nonce,
		ParamState:        l.State,
	}
	// Draft 20 / 1.0: with direct_post "the Wallet MUST send the
	// Authorization Response to response_uri" and "the redirect_uri
	// Authorization Request parameter MUST NOT be present".
	if l.ResponseMode == ModeDirectPost {
		out[ParamResponseURI] = l.ResponseURI
	} else {
		out[ParamRedirectURI] = l.ResponseURI
	}
	// The profile: "A request MUST contain either a presentation_definition
	// or a presentation_definition_uri" — exactly one of them.
	if l.DefinitionByValue || l.DefinitionURI == "" {
		out[ParamPresentationDefinition] = l.Definition
	} else {
		out[ParamPresentationDefinitionURI] = l.DefinitionURI
	}
	return out
}

// ByReference: the profile's wallets read parameters by value only.
func (profile2022) ByReference() bool { return false }

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
