package oid4vp

import (
	"encoding/base64"
	"encoding/json"
	"errors"
)

// ReferenceParameters are what the request URI carries when the request
// goes by reference: RFC 9101 §5, "client_id REQUIRED" and "request_uri"
// (the wallet then uses only the request object's parameters), plus the
// client identifier scheme when the dialect has one, so a wallet knows how
// to read client_id before it fetches anything.
func ReferenceParameters(params map[string]any, requestURI string) map[string]any {
	out := map[string]any{ParamClientID: params[ParamClientID], ParamRequestURI: requestURI}
	if s, ok := params[ParamClientIDScheme]; ok {
		out[ParamClientIDScheme] = s
	}
	return out
}

// RequestObject encodes params as an unsigned request object (RFC 9101):
// a JWT with header {"alg":"none","typ":"oauth-authz-req+jwt"}, the
// parameters as claims and aud "https://self-issued.me/v2", and an empty
// signature. Only a dialect whose client identifier scheme forbids signing
// (draft-20's redirect_uri: "the Authorization Request MUST NOT be signed")
// may send one; a dialect that signs (1.0) brings its own signer.
func RequestObject(d Dialect, params map[string]any) (string, error) {
	if !d.ByReference() {
		return "", errors.New("oid4vp: " + d.Name() + " requests go by value only")
	}
	if params[ParamClientIDScheme] != SchemeRedirectURI {
		return "", errors.New("oid4vp: an unsigned request object needs the redirect_uri client identifier scheme")
	}
	claims := make(map[string]any, len(params)+1)
	for k, v := range params {
		claims[k] = v
	}
	claims["aud"] = AudienceSelfIssued
	header, err := json.Marshal(map[string]string{"alg": AlgNone, "typ": RequestObjectType})
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding
	return enc.EncodeToString(header) + "." + enc.EncodeToString(payload) + ".", nil
}
