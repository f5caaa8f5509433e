package oid4vp

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// Login is what a request says, whatever its dialect: the verifier fills it
// from a session and its configuration.
type Login struct {
	// ResponseURI is where the wallet posts its answer.
	ResponseURI string
	// Nonce and State are the session's secrets.
	Nonce, State string
	// SameDevice: the request is a link on the holder's device.
	SameDevice bool
	// ResponseMode is the session's (see Dialect.ResponseMode).
	ResponseMode string
	// Definition is the Presentation Exchange definition, as JSON.
	Definition json.RawMessage
	// DefinitionURI is where a wallet fetches it (presentation_definition_uri).
	DefinitionURI string
	// DefinitionByValue: profile-2022 inlines the definition instead of
	// sending DefinitionURI.
	DefinitionByValue bool
	// VPFormats is client_metadata.vp_formats (VPFormats builds it from
	// the definition).
	VPFormats map[string]any

	// The 1.0 dialects' (v1.go), and the signed draft-20 request of the
	// one-QR dialect:

	// ClientID is the full prefixed client identifier (ClientIdentifier).
	ClientID string
	// DCQL is the DCQL query, as JSON.
	DCQL json.RawMessage
	// VPFormatsSupported is client_metadata.vp_formats_supported
	// (VPFormatsSupported builds it from the query).
	VPFormatsSupported map[string]any
	// Encryption, when set, makes the request direct_post.jwt.
	Encryption *Encryption
	// WalletNonce echoes what a wallet posted to the request_uri.
	WalletNonce string
	// VerifierInfo is the optional verifier_info (§5.11), as JSON.
	VerifierInfo json.RawMessage
}

// Modes are the operator's response modes per flow; a dialect that has
// choices (profile-2022) takes them, one that has none ignores them.
type Modes struct {
	CrossDevice, SameDevice string
}

// Dialect is one generation of the protocol: how a request looks and how
// the verifier names itself in it. Adding one (OID4VP 1.0) is adding a file
// and a line to dialects.
type Dialect interface {
	// Name is the dialect's config and API name (Profile2022, Draft20).
	Name() string
	// ResponseMode is the response mode of a flow.
	ResponseMode(sameDevice bool, configured Modes) string
	// ClientID is how the verifier names itself in l's request (and what
	// VP proofs and KB-JWTs must name as domain / aud).
	ClientID(l Login) string
	// Parameters are the authorization request's parameters, by value.
	// Objects (presentation_definition, client_metadata) are JSON values;
	// Query encodes them as JSON strings, RequestObject as claims.
	Parameters(l Login) map[string]any
	// ByReference reports whether the request may go by request_uri as an
	// unsigned request object; the 1.0 dialects, which sign theirs, say
	// so in v1.go.
	ByReference() bool
}

// dialects are the available ones, by name.
var dialects = map[string]Dialect{
	Profile2022: profile2022{},
	Draft20:     draft20{},
	V1:          v1{name: V1},
	V1Draft20:   v1{name: V1Draft20},
}

// Lookup returns the dialect of name; an empty name is profile-2022, the
// dialect of every session recorded before dialects existed.
func Lookup(name string) (Dialect, error) {
	if name == "" {
		name = Profile2022
	}
	if d, ok := dialects[name]; ok {
		return d, nil
	}
	return nil, fmt.Errorf("protocol %q is unknown (available: %s)", clip(name), strings.Join(Names(), ", "))
}

// Names lists the available dialects, sorted.
func Names() []string {
	names := make([]string, 0, len(dialects))
	for n := range dialects {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// DefaultProtocols are the dialects of a definition that names none, the
// first being its default: draft-20 is what maintained wallet libraries
// with Presentation Exchange read; profile-2022 stays for the profile's
// wallets, which ask for it by name.
func DefaultProtocols() []string { return []string{Draft20, Profile2022} }

// Query encodes params as a URI query: strings as they are, objects as
// JSON text.
func Query(params map[string]any) (string, error) {
	q := url.Values{}
	for k, v := range params {
		switch v := v.(type) {
		case string:
			q.Set(k, v)
		case json.RawMessage:
			q.Set(k, string(v))
		default:
			b, err := json.Marshal(v)
			if err != nil {
				return "", fmt.Errorf("oid4vp: parameter %s: %w", k, err)
			}
			q.Set(k, string(b))
		}
	}
	return q.Encode(), nil
}

// URI joins a base (a scheme such as "openid4vp://" or a wallet's
// authorization endpoint) and an encoded query.
func URI(base, query string) string {
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + query
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
