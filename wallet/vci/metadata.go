package vci

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"

	"github.com/loginwithiota/verifier/wallet"
)

// Metadata is what the wallet needs of the issuer and its authorization server.
type Metadata struct {
	CredentialIssuer   string
	CredentialEndpoint string
	NonceEndpoint      string
	TokenEndpoint      string
	Configurations     map[string]Configuration
	// Name is the issuer's display name, if it gives one.
	Name string
}

// Configuration is one credential configuration.
type Configuration struct {
	Format         string
	VCT            string // dc+sd-jwt: the credential's vct
	BindingMethods []string
	ProofAlgs      []string // proof_types_supported.jwt.proof_signing_alg_values_supported
	Name           string
}

// FetchMetadata reads the Credential Issuer Metadata of issuer, then its
// authorization server's (RFC 8414).
func FetchMetadata(ctx context.Context, h *wallet.HTTP, issuer, authServer string) (*Metadata, error) {
	raw, err := wellKnown(ctx, h, issuer, "/.well-known/openid-credential-issuer")
	if err != nil {
		return nil, fmt.Errorf("credential issuer metadata: %w", err)
	}
	var m struct {
		CredentialIssuer     string   `json:"credential_issuer"`
		AuthorizationServers []string `json:"authorization_servers"`
		CredentialEndpoint   string   `json:"credential_endpoint"`
		NonceEndpoint        string   `json:"nonce_endpoint"`
		Display              []struct {
			Name string `json:"name"`
		} `json:"display"`
		Configurations map[string]struct {
			Format         string   `json:"format"`
			VCT            string   `json:"vct"`
			BindingMethods []string `json:"cryptographic_binding_methods_supported"`
			ProofTypes     map[string]struct {
				Algs []string `json:"proof_signing_alg_values_supported"`
			} `json:"proof_types_supported"`
			Metadata struct {
				Display []struct {
					Name string `json:"name"`
				} `json:"display"`
			} `json:"credential_metadata"`
		} `json:"credential_configurations_supported"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("credential issuer metadata: %w", err)
	}
	// "If these values are not identical (when compared using a simple
	// string comparison with no normalization), the data contained in the
	// response MUST NOT be used."
	if m.CredentialIssuer != issuer {
		return nil, fmt.Errorf("the metadata names credential_issuer %q, not %q: refused", wallet.Clip(m.CredentialIssuer), issuer)
	}
	md := &Metadata{CredentialIssuer: issuer, CredentialEndpoint: m.CredentialEndpoint, NonceEndpoint: m.NonceEndpoint,
		Configurations: map[string]Configuration{}}
	if _, err := wallet.CheckURL(m.CredentialEndpoint); err != nil {
		return nil, fmt.Errorf("credential_endpoint: %w", err)
	}
	if m.NonceEndpoint != "" {
		if _, err := wallet.CheckURL(m.NonceEndpoint); err != nil {
			return nil, fmt.Errorf("nonce_endpoint: %w", err)
		}
	}
	if len(m.Display) > 0 {
		md.Name = wallet.Clip(m.Display[0].Name)
	}
	for id, c := range m.Configurations {
		cfg := Configuration{Format: c.Format, VCT: c.VCT, BindingMethods: c.BindingMethods, ProofAlgs: c.ProofTypes["jwt"].Algs}
		if len(c.Metadata.Display) > 0 {
			cfg.Name = wallet.Clip(c.Metadata.Display[0].Name)
		}
		md.Configurations[id] = cfg
	}
	as := issuer
	switch {
	case authServer != "":
		// "The value of this parameter MUST match with one of the values
		// in the authorization_servers array".
		if !slices.Contains(m.AuthorizationServers, authServer) {
			return nil, errors.New("the offer's authorization_server is not one the metadata lists")
		}
		as = authServer
	case len(m.AuthorizationServers) > 0:
		as = m.AuthorizationServers[0]
	}
	if md.TokenEndpoint, err = tokenEndpoint(ctx, h, as); err != nil {
		return nil, err
	}
	return md, nil
}

// tokenEndpoint reads the authorization server's metadata.
func tokenEndpoint(ctx context.Context, h *wallet.HTTP, as string) (string, error) {
	raw, err := wellKnown(ctx, h, as, "/.well-known/oauth-authorization-server")
	if err != nil {
		if raw, err = wellKnown(ctx, h, as, "/.well-known/openid-configuration"); err != nil {
			return "", fmt.Errorf("authorization server metadata: %w", err)
		}
	}
	var m struct {
		Issuer        string `json:"issuer"`
		TokenEndpoint string `json:"token_endpoint"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return "", fmt.Errorf("authorization server metadata: %w", err)
	}
	// RFC 8414 §3.3: "The issuer value returned MUST be identical to the
	// authorization server's issuer identifier value".
	if m.Issuer != as {
		return "", fmt.Errorf("the authorization server metadata names issuer %q, not %q: refused", wallet.Clip(m.Issuer), as)
	}
	if _, err := wallet.CheckURL(m.TokenEndpoint); err != nil {
		return "", fmt.Errorf("token_endpoint: %w", err)
	}
	return m.TokenEndpoint, nil
}

// wellKnown fetches a well-known document of id: the suffix goes between
// host and path (OID4VCI §12.2.2, RFC 8414 §3.1).
func wellKnown(ctx context.Context, h *wallet.HTTP, id, suffix string) ([]byte, error) {
	u, err := wallet.CheckURL(id)
	if err != nil {
		return nil, err
	}
	path := u.EscapedPath()
	if path == "/" {
		path = ""
	}
	w := url.URL{Scheme: u.Scheme, Host: u.Host, Path: suffix + u.Path, RawPath: suffix + path}
	a, err := h.Get(ctx, w.String(), "application/json")
	if err != nil {
		return nil, err
	}
	if a.ContentType != "application/json" {
		return nil, fmt.Errorf("%s is %q, not application/json", w.String(), wallet.Clip(a.ContentType))
	}
	return a.Body, nil
}
