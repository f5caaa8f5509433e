package issuer

import "net/url"

// CredentialIssuerMetadata is the document at
// /.well-known/openid-credential-issuer (§12.2.4). Without
// authorization_servers, "the Credential Issuer is also acting as the
// Authorization Server"; without batch_credential_issuance one proof per
// request is accepted.
func (iss *Issuer) CredentialIssuerMetadata() map[string]any {
	configs := make(map[string]any, len(iss.cfg.Configurations))
	for i := range iss.cfg.Configurations {
		c := &iss.cfg.Configurations[i]
		entry := map[string]any{
			"format": c.Format,
			"scope":  c.Scope,
			"cryptographic_binding_methods_supported": stringsAny(bindingMethods),
			// "proof_types_supported ... MUST be present if
			// cryptographic_binding_methods_supported is present".
			"proof_types_supported": map[string]any{
				ProofTypeJWT: map[string]any{"proof_signing_alg_values_supported": []any{AlgEdDSA, AlgES256}},
			},
			"credential_metadata": credentialMetadata(c),
		}
		formats[c.Format].metadata(c, iss.alg, entry)
		configs[c.ID] = entry
	}
	m := map[string]any{
		// "The value MUST be identical to the Credential Issuer's
		// identifier value into which the well-known URI string was inserted".
		"credential_issuer":                   iss.cfg.Identifier,
		"credential_endpoint":                 iss.url(PathCredential),
		"nonce_endpoint":                      iss.url(PathNonce),
		"credential_configurations_supported": configs,
	}
	if len(iss.cfg.Display) > 0 {
		m["display"] = mapsAny(iss.cfg.Display)
	}
	return m
}

// credentialMetadata is credential_metadata: display and claims.
func credentialMetadata(c *Configuration) map[string]any {
	md := map[string]any{}
	if len(c.Display) > 0 {
		md["display"] = mapsAny(c.Display)
	}
	if len(c.Claims) > 0 {
		claims := make([]any, 0, len(c.Claims))
		for _, cl := range c.Claims {
			d := map[string]any{"path": formats[c.Format].claimPath(cl.Name)}
			if cl.Mandatory {
				d["mandatory"] = true
			}
			if len(cl.Display) > 0 {
				d["display"] = mapsAny(cl.Display)
			}
			claims = append(claims, d)
		}
		md["claims"] = claims
	}
	return md
}

// AuthorizationServerMetadata is the RFC 8414 document of the issuer's own
// authorization server: the token endpoint and anonymous pre-authorized
// access (§12.3: "pre-authorized_grant_anonymous_access_supported ... A
// boolean indicating whether the Credential Issuer accepts a Token Request
// with a Pre-Authorized Code but without a client_id"). An AS that "only
// supports the Pre-Authorized Code grant type MAY omit the
// response_types_supported parameter".
func (iss *Issuer) AuthorizationServerMetadata() map[string]any {
	return map[string]any{
		"issuer":                iss.cfg.Identifier,
		"token_endpoint":        iss.url(PathToken),
		"grant_types_supported": []any{GrantPreAuthorizedCode},
		"pre-authorized_grant_anonymous_access_supported": true,
		"token_endpoint_auth_methods_supported":           []any{"none"},
		"authorization_details_types_supported":           []any{AuthorizationDetailsType},
	}
}

// WellKnownPath is where a well-known document of the identifier is
// served: the suffix between host and the identifier's path (§12.2.2,
// RFC 8414 §3.1).
func (iss *Issuer) WellKnownPath(suffix string) string {
	u, _ := url.Parse(iss.cfg.Identifier) // checked by New
	return suffix + u.EscapedPath()
}

// BasePath is the identifier's own path ("" at the root of its host):
// every endpoint hangs under it.
func (iss *Issuer) BasePath() string {
	u, _ := url.Parse(iss.cfg.Identifier)
	return u.EscapedPath()
}

func mapsAny(list []map[string]any) []any {
	out := make([]any, len(list))
	for i, m := range list {
		out[i] = m
	}
	return out
}
