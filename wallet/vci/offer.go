package vci

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/loginwithiota/verifier/wallet"
)

// Protocol words (OID4VCI 1.0).
const (
	GrantPreAuthorizedCode = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
	ProofJWTType           = "openid4vci-proof+jwt"
)

// Offer is a credential offer as the wallet uses it.
type Offer struct {
	CredentialIssuer    string
	ConfigurationIDs    []string
	PreAuthorizedCode   string
	TxCode              *TxCode // nil: no transaction code asked for
	AuthorizationServer string  // the grant's authorization_server, if any
}

// TxCode is what the offer says of the transaction code.
type TxCode struct {
	InputMode   string `json:"input_mode"`
	Length      int    `json:"length"`
	Description string `json:"description"`
}

// ParseOffer reads an offer URI (openid-credential-offer://?… or any URI
// with that query): "either credential_offer or credential_offer_uri",
// the latter fetched with GET and "MUST use the media type
// application/json".
func ParseOffer(ctx context.Context, h *wallet.HTTP, uri string) (*Offer, error) {
	_, query, ok := strings.Cut(strings.TrimSpace(uri), "?")
	if !ok {
		return nil, errors.New("the offer has no query: want openid-credential-offer://?credential_offer_uri=… or ?credential_offer=…")
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return nil, fmt.Errorf("the offer's query: %w", err)
	}
	byValue, byRef := q["credential_offer"], q["credential_offer_uri"]
	var raw []byte
	switch {
	case len(byValue)+len(byRef) != 1:
		// "This MUST NOT be present when the credential_offer_uri parameter is present."
		return nil, errors.New("the offer must carry exactly one credential_offer or credential_offer_uri")
	case len(byValue) == 1:
		raw = []byte(byValue[0])
	default:
		a, err := h.Get(ctx, byRef[0], "application/json")
		if err != nil {
			return nil, fmt.Errorf("credential_offer_uri: %w", err)
		}
		if a.ContentType != "application/json" {
			return nil, fmt.Errorf("credential_offer_uri answered %q, the spec asks for application/json", wallet.Clip(a.ContentType))
		}
		raw = a.Body
	}
	return decodeOffer(raw)
}

func decodeOffer(raw []byte) (*Offer, error) {
	var o struct {
		CredentialIssuer string                     `json:"credential_issuer"`
		ConfigurationIDs []string                   `json:"credential_configuration_ids"`
		Grants           map[string]json.RawMessage `json:"grants"`
	}
	if err := json.Unmarshal(raw, &o); err != nil {
		return nil, fmt.Errorf("the credential offer is not the JSON object OID4VCI 1.0 defines: %w", err)
	}
	if _, err := wallet.CheckURL(o.CredentialIssuer); err != nil {
		return nil, fmt.Errorf("credential_issuer: %w", err)
	}
	if len(o.ConfigurationIDs) == 0 {
		return nil, errors.New("the offer has no credential_configuration_ids")
	}
	for i, id := range o.ConfigurationIDs {
		if id == "" || slices.Index(o.ConfigurationIDs, id) != i {
			return nil, errors.New("credential_configuration_ids must be unique non-empty strings")
		}
	}
	g, ok := o.Grants[GrantPreAuthorizedCode]
	if !ok {
		return nil, errors.New("the offer has no pre-authorized code grant (this wallet supports only the pre-authorized code flow)")
	}
	var grant struct {
		Code       string          `json:"pre-authorized_code"`
		TxCode     json.RawMessage `json:"tx_code"`
		AuthServer string          `json:"authorization_server"`
	}
	if err := json.Unmarshal(g, &grant); err != nil || grant.Code == "" {
		return nil, errors.New("the pre-authorized code grant has no pre-authorized_code")
	}
	offer := &Offer{CredentialIssuer: o.CredentialIssuer, ConfigurationIDs: o.ConfigurationIDs,
		PreAuthorizedCode: grant.Code, AuthorizationServer: grant.AuthServer}
	// "Object indicating that a Transaction Code is required if present, even if empty."
	if len(grant.TxCode) > 0 && string(grant.TxCode) != "null" {
		offer.TxCode = &TxCode{}
		if err := json.Unmarshal(grant.TxCode, offer.TxCode); err != nil {
			return nil, errors.New("tx_code must be an object")
		}
		if offer.TxCode.InputMode == "" {
			offer.TxCode.InputMode = "numeric"
		}
	}
	return offer, nil
}

// CheckTxCode checks a transaction code the holder typed against what the
// offer described, before it is sent.
func (t *TxCode) CheckTxCode(code string) error {
	if t.Length > 0 && len([]rune(code)) != t.Length {
		return fmt.Errorf("the transaction code has %d characters; the offer says %d", len([]rune(code)), t.Length)
	}
	if t.InputMode == "numeric" && strings.Trim(code, "0123456789") != "" {
		return errors.New("the transaction code must be digits only")
	}
	return nil
}
