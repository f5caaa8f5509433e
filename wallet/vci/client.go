package vci

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/loginwithiota/verifier/wallet"
)

// Credential formats the wallet keeps.
const (
	FormatLDPVC = "ldp_vc"
	FormatJWTVC = "jwt_vc_json"
	FormatSDJWT = "dc+sd-jwt"
)

// Formats are the formats the wallet receives.
var Formats = []string{FormatLDPVC, FormatJWTVC, FormatSDJWT}

// Client receives credentials for the wallet's key.
type Client struct {
	HTTP *wallet.HTTP
	Key  *wallet.Key
	Now  func() time.Time
}

// Received is one credential the issuer sent.
type Received struct {
	ConfigurationID string
	Format          string
	Credential      any
	// Verified: the issuer's signature was checked (its DID resolves
	// offline); false: accepted on the issuer's word.
	Verified bool
}

// Receive takes the token for offer (with txCode when it asks for one)
// and fetches every offered configuration.
func (c *Client) Receive(ctx context.Context, offer *Offer, md *Metadata, txCode string) ([]Received, error) {
	for _, id := range offer.ConfigurationIDs {
		cfg, ok := md.Configurations[id]
		if !ok {
			return nil, fmt.Errorf("the offer names configuration %q, which the issuer's metadata does not list", wallet.Clip(id))
		}
		if !slices.Contains(Formats, cfg.Format) {
			return nil, fmt.Errorf("configuration %s is %s; this wallet keeps %s credentials", id, wallet.Clip(cfg.Format), strings.Join(Formats, ", "))
		}
		if len(cfg.ProofAlgs) > 0 && !slices.Contains(cfg.ProofAlgs, c.Key.Alg) {
			return nil, fmt.Errorf("configuration %s takes no %s key proofs (the wallet's key)", id, c.Key.Alg)
		}
		// The W3C formats name the holder by its DID (credentialSubject.id);
		// an SD-JWT VC carries its key (cnf.jwk), which the kid proof gives.
		binding := "did:key"
		if cfg.Format == FormatSDJWT {
			binding = "jwk"
		}
		if len(cfg.BindingMethods) > 0 && !slices.Contains(cfg.BindingMethods, binding) {
			return nil, fmt.Errorf("configuration %s does not bind credentials to a %s", id, binding)
		}
	}
	tok, err := c.token(ctx, offer, md, txCode)
	if err != nil {
		return nil, err
	}
	var out []Received
	for _, id := range offer.ConfigurationIDs {
		r, err := c.credential(ctx, md, tok, id)
		if err != nil {
			return out, fmt.Errorf("credential %s: %w", id, err)
		}
		out = append(out, *r)
	}
	return out, nil
}

type token struct {
	access      string
	identifiers map[string]string // configuration → credential_identifier
}

// token is the token request (§6.1): "tx_code ... MUST be present if a
// tx_code object was present in the Credential Offer".
func (c *Client) token(ctx context.Context, offer *Offer, md *Metadata, txCode string) (*token, error) {
	f := url.Values{"grant_type": {GrantPreAuthorizedCode}, "pre-authorized_code": {offer.PreAuthorizedCode}}
	if offer.TxCode != nil {
		if txCode == "" {
			return nil, errors.New("this offer needs a transaction code (--tx-code)")
		}
		if err := offer.TxCode.CheckTxCode(txCode); err != nil {
			return nil, err
		}
		f.Set("tx_code", txCode)
	}
	a, err := c.HTTP.PostForm(ctx, md.TokenEndpoint, f)
	if err != nil {
		return nil, fmt.Errorf("token request: %w", err)
	}
	var t struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		Details     []struct {
			Type        string   `json:"type"`
			ConfigID    string   `json:"credential_configuration_id"`
			Identifiers []string `json:"credential_identifiers"`
		} `json:"authorization_details"`
	}
	if err := json.Unmarshal(a.Body, &t); err != nil || t.AccessToken == "" || !strings.EqualFold(t.TokenType, "Bearer") {
		return nil, errors.New("the token response has no Bearer access_token")
	}
	tok := &token{access: t.AccessToken}
	for _, d := range t.Details {
		if d.Type == "openid_credential" && len(d.Identifiers) > 0 {
			if tok.identifiers == nil {
				tok.identifiers = map[string]string{}
			}
			tok.identifiers[d.ConfigID] = d.Identifiers[0]
		}
	}
	return tok, nil
}

// credential fetches one configuration, retrying once with a fresh nonce
// when the issuer says the nonce is stale ("The wallet should retrieve a
// new c_nonce value").
func (c *Client) credential(ctx context.Context, md *Metadata, tok *token, id string) (*Received, error) {
	for attempt := 0; ; attempt++ {
		r, err := c.credentialOnce(ctx, md, tok, id)
		if err != nil && attempt == 0 && wallet.IsCode(err, "invalid_nonce") {
			continue
		}
		return r, err
	}
}

func (c *Client) credentialOnce(ctx context.Context, md *Metadata, tok *token, id string) (*Received, error) {
	nonce := ""
	if md.NonceEndpoint != "" {
		a, err := c.HTTP.PostJSON(ctx, md.NonceEndpoint, struct{}{}, "")
		if err != nil {
			return nil, fmt.Errorf("nonce request: %w", err)
		}
		var n struct {
			CNonce string `json:"c_nonce"`
		}
		if json.Unmarshal(a.Body, &n) != nil || n.CNonce == "" {
			return nil, errors.New("the nonce response has no c_nonce")
		}
		nonce = n.CNonce
	}
	proof, err := c.proof(md.CredentialIssuer, nonce)
	if err != nil {
		return nil, err
	}
	req := map[string]any{"proofs": map[string]any{"jwt": []string{proof}}}
	if ident, ok := tok.identifiers[id]; ok {
		req["credential_identifier"] = ident
	} else {
		req["credential_configuration_id"] = id
	}
	a, err := c.HTTP.PostJSON(ctx, md.CredentialEndpoint, req, tok.access)
	if err != nil {
		return nil, fmt.Errorf("credential request: %w", err)
	}
	var resp struct {
		Credentials []struct {
			Credential json.RawMessage `json:"credential"`
		} `json:"credentials"`
		TransactionID string `json:"transaction_id"`
	}
	if err := json.Unmarshal(a.Body, &resp); err != nil {
		return nil, errors.New("the credential response is not JSON")
	}
	if resp.TransactionID != "" {
		return nil, errors.New("the issuer deferred the credential (transaction_id); this wallet does not poll deferred issuance")
	}
	if len(resp.Credentials) != 1 {
		return nil, fmt.Errorf("the credential response holds %d credentials, want 1", len(resp.Credentials))
	}
	cfg := md.Configurations[id]
	format := cfg.Format
	var (
		cred     any
		verified bool
	)
	if format == FormatSDJWT {
		cred, verified, err = checkSDJWT(ctx, c.HTTP, resp.Credentials[0].Credential, c.Key, cfg.VCT, c.now())
	} else {
		cred, verified, err = check(ctx, format, resp.Credentials[0].Credential, c.Key.DID, c.now())
	}
	if err != nil {
		return nil, err
	}
	return &Received{ConfigurationID: id, Format: format, Credential: cred, Verified: verified}, nil
}

// proof is the jwt key proof (§F.1): typ openid4vci-proof+jwt, the key by
// kid (a did:key DID URL), aud the issuer, iat now, nonce the c_nonce; no
// iss ("MUST be omitted if the access token ... was obtained from a
// Pre-Authorized Code Flow through anonymous access").
func (c *Client) proof(aud, nonce string) (string, error) {
	claims := map[string]any{"aud": aud, "iat": c.now().Unix()}
	if nonce != "" {
		claims["nonce"] = nonce
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.SignatureAlgorithm(c.Key.Alg), Key: c.Key.Signer()},
		(&jose.SignerOptions{}).WithType(ProofJWTType).WithHeader("kid", c.Key.KeyID))
	if err != nil {
		return "", err
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}
