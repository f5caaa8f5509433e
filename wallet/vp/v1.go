package vp

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"

	"github.com/loginwithiota/verifier/dcql"
	"github.com/loginwithiota/verifier/wallet"
)

// v1 is OID4VP 1.0 (July 2025): a dcql_query, a prefixed client_id
// (authenticated by the request object's signature, or redirect_uri:
// unsigned), response_mode direct_post or direct_post.jwt to
// response_uri, client_metadata.vp_formats_supported (and, to encrypt,
// jwks and encrypted_response_enc_values_supported). The answer is a
// vp_token keyed by credential query id (dcql.go, present_v1.go).
type v1 struct{}

func (v1) name() string { return V1 }

// accepts a DCQL query, or a prefixed client_id without a Presentation
// Exchange definition (which is a draft-20 request signed under a 1.0
// client identifier: the one QR's GET answer).
func (v1) accepts(p params) bool {
	if p.has(pDCQL) {
		return true
	}
	prefix, _ := splitPrefix(p.str(pClientID))
	return prefix != "" && !p.has(pDefinition) && !p.has(pDefinitionURI)
}

func (v1) parse(p params, r *Request) error {
	switch {
	case !p.has(pDCQL) && p.has(pScope):
		return errors.New("the request names its DCQL query by scope, which this wallet knows none of (send dcql_query)")
	case !p.has(pDCQL):
		// §8.5 invalid_request: "does not include a dcql_query parameter nor
		// a scope parameter referencing a DCQL query".
		return errors.New("dcql_query is required")
	case p.has(pScope):
		return errors.New("a request must not have both dcql_query and a scope (§8.5)")
	case p.has(pDefinition) || p.has(pDefinitionURI):
		return errors.New("a 1.0 request has a dcql_query, not a presentation_definition")
	}
	q, err := dcql.FromJSON(p[pDCQL])
	if err != nil {
		return fmt.Errorf("dcql_query: %w", err)
	}
	r.DCQL = q
	switch r.ResponseMode {
	case ModeDirectPost, ModeDirectJWT:
	case "":
		return errors.New("response_mode is required (direct_post or direct_post.jwt): this wallet answers cross-device by a POST")
	default:
		return fmt.Errorf("response_mode %q is not one this wallet answers (direct_post, direct_post.jwt)", wallet.Clip(r.ResponseMode))
	}
	// §8.2: "When the response_uri parameter is present, the redirect_uri
	// Authorization Request parameter MUST NOT be present."
	if p.has(pRedirectURI) {
		return errors.New("redirect_uri must not be present with response_mode direct_post")
	}
	if r.ResponseURI, err = responseURI(pResponseURI, p.str(pResponseURI)); err != nil {
		return err
	}
	if err := checkClientID(r); err != nil {
		return err
	}
	meta, err := clientMetadata(p)
	if err != nil {
		return err
	}
	if raw, ok := meta["vp_formats_supported"]; ok {
		if err := json.Unmarshal(raw, &r.VPFormatsSupported); err != nil {
			return errors.New("client_metadata.vp_formats_supported must be an object of format objects")
		}
	}
	if r.ResponseMode == ModeDirectJWT {
		if r.Encryption, err = encryptionOf(meta); err != nil {
			return err
		}
	}
	return nil
}

// checkClientID holds the client identifier to its prefix's rules:
// "If any of these conditions are not met, the Wallet MUST terminate
// request processing."
func checkClientID(r *Request) error {
	prefix, value := splitPrefix(r.ClientID)
	switch prefix {
	case PrefixRedirectURI:
		// "the original Client Identifier part ... is the Verifier's ...
		// Response URI when Response Mode direct_post is used"; it "cannot
		// be signed".
		if r.Signer != "" {
			return errors.New("a redirect_uri: request must not be signed")
		}
		if value != r.ResponseURI {
			return errors.New("the redirect_uri: client_id is not the response_uri")
		}
	case PrefixX509SanDNS:
		// "If not [a trusted list], the FQDN of the redirect_uri value MUST
		// match the Client Identifier without the prefix x509_san_dns:".
		u, err := url.Parse(r.ResponseURI)
		if err != nil || u.Hostname() != value {
			return errors.New("the response_uri's host is not the x509_san_dns: client_id's DNS name")
		}
	case PrefixDID, PrefixX509Hash:
	case "":
		return errors.New("a 1.0 request whose client_id has no prefix is from a pre-registered verifier, and this wallet has none registered")
	default:
		return fmt.Errorf("the client identifier prefix %s is not supported by this wallet", prefix)
	}
	if prefix != PrefixRedirectURI && r.Signer == "" {
		// A prefix that authenticates the verifier by a signature came
		// without one (by value, or an unsigned object): nothing proves it.
		return fmt.Errorf("a %s: request must be a signed request object (it came unsigned)", prefix)
	}
	return nil
}

// clientMetadata is client_metadata's members (an empty map without it).
func clientMetadata(p params) (map[string]json.RawMessage, error) {
	v, ok := p[pClientMetadata]
	if !ok {
		return map[string]json.RawMessage{}, nil
	}
	raw, _ := json.Marshal(v)
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return nil, errors.New("client_metadata must be an object")
	}
	return m, nil
}
