package issuer

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/loginwithiota/verifier/oauth"
)

// TokenRequest is a token request's parameters (§6.1).
type TokenRequest struct {
	GrantType         string
	PreAuthorizedCode string
	TxCode            string
	// HasTxCode: the request carried tx_code (even empty).
	HasTxCode bool
	// AuthorizationDetails is the raw authorization_details, "" if absent.
	AuthorizationDetails string
}

// TokenResponse is a successful token response (§6.2).
type TokenResponse struct {
	AccessToken          string           `json:"access_token"`
	TokenType            string           `json:"token_type"`
	ExpiresIn            int              `json:"expires_in"`
	AuthorizationDetails []map[string]any `json:"authorization_details,omitempty"`
}

// errGrantAbort stops a grant update without writing.
var errGrantAbort = errors.New("grant: no change")

// Token exchanges a pre-authorized code (and tx_code) for an access token.
func (iss *Issuer) Token(ctx context.Context, r TokenRequest) (*TokenResponse, error) {
	switch {
	case r.GrantType == "":
		return nil, oauth.Invalid(reasonRequestBody, "grant_type is required")
	case r.GrantType != GrantPreAuthorizedCode:
		return nil, oauth.New(oauth.UnsupportedGrantType, "", "this authorization server supports only the pre-authorized code grant ("+GrantPreAuthorizedCode+")")
	case r.PreAuthorizedCode == "":
		// "pre-authorized_code ... MUST be present if the grant_type is
		// urn:ietf:params:oauth:grant-type:pre-authorized_code".
		return nil, oauth.Invalid(reasonRequestBody, "pre-authorized_code is required")
	}
	details, err := parseAuthorizationDetails(r.AuthorizationDetails)
	if err != nil {
		return nil, err
	}
	gk := key(r.PreAuthorizedCode)
	token := newSecret(32)
	tk := key(token)
	var (
		outcome string
		g       grantRecord
	)
	err = updateRecord(ctx, iss.store, KindGrant, gk, func(old grantRecord) (*grantRecord, error) {
		g, outcome = old, ""
		switch {
		case old.Redeemed:
			outcome = reasonCodeUsed
			return nil, errGrantAbort
		case old.WrongTries >= iss.cfg.MaxTxCodeTries:
			outcome = reasonCodeDead
			return nil, errGrantAbort
		// §6.3 invalid_request: "The Authorization Server expects a
		// Transaction Code in the Pre-Authorized Code Flow but the Client
		// does not provide a Transaction Code", and the reverse.
		case old.TxCodeHash != nil && !r.HasTxCode:
			outcome = reasonTxCodeMissing
			return nil, errGrantAbort
		case old.TxCodeHash == nil && r.HasTxCode:
			outcome = reasonTxCodeUnwanted
			return nil, errGrantAbort
		case old.TxCodeHash != nil && !sameHash(old.TxCodeHash, txCodeHash(r.PreAuthorizedCode, r.TxCode)):
			outcome = reasonTxCodeWrong
			old.WrongTries++
			return &old, nil
		}
		for _, id := range details {
			if !slices.Contains(old.ConfigIDs, id) {
				outcome = reasonDetailsNotOffered
				return nil, errGrantAbort
			}
		}
		old.Redeemed, old.TokenKey = true, tk
		return &old, nil
	})
	switch {
	case errors.Is(err, ErrNotFound):
		return nil, oauth.New(oauth.InvalidGrant, reasonCodeUnknown, "the pre-authorized code is unknown or has expired")
	case err != nil && !errors.Is(err, errGrantAbort):
		return nil, storeError(err)
	}
	log := iss.log.With("grant", ref(gk))
	switch outcome {
	case reasonCodeUsed:
		// Replay: the first exchange's token is revoked.
		if g.TokenKey != "" {
			if err := iss.store.Delete(ctx, KindToken, g.TokenKey); err != nil {
				log.WarnContext(ctx, "revoking a replayed code's token failed", "err", err)
			}
		}
		log.WarnContext(ctx, "pre-authorized code used again; its access token is revoked")
		return nil, oauth.New(oauth.InvalidGrant, reasonCodeUsed, "the pre-authorized code has already been used")
	case reasonCodeDead:
		return nil, oauth.New(oauth.InvalidGrant, reasonCodeDead, "too many wrong transaction codes: this pre-authorized code can no longer be used")
	case reasonTxCodeMissing:
		return nil, oauth.Invalid(reasonTxCodeMissing, "tx_code is required: the credential offer asked for a transaction code")
	case reasonTxCodeUnwanted:
		return nil, oauth.Invalid(reasonTxCodeUnwanted, "tx_code must not be sent: the credential offer asked for no transaction code")
	case reasonTxCodeWrong:
		left := iss.cfg.MaxTxCodeTries - g.WrongTries - 1
		log.InfoContext(ctx, "wrong transaction code", "tries_left", left)
		if left <= 0 {
			return nil, oauth.New(oauth.InvalidGrant, reasonTxCodeWrong, "the transaction code is wrong; that was the last try, this pre-authorized code can no longer be used")
		}
		return nil, oauth.Newf(oauth.InvalidGrant, reasonTxCodeWrong, "the transaction code is wrong (%d tries left)", left)
	case reasonDetailsNotOffered:
		return nil, oauth.Invalid(reasonDetailsNotOffered, "authorization_details names a credential configuration that was not offered")
	}

	rec := tokenRecord{Remaining: g.ConfigIDs, Claims: g.Claims}
	var respDetails []map[string]any
	if details != nil {
		rec.Remaining, rec.Identifiers = nil, map[string]string{}
		for _, id := range details {
			rec.Remaining = append(rec.Remaining, id)
			rec.Identifiers[id] = id // one dataset per configuration
			respDetails = append(respDetails, map[string]any{"type": AuthorizationDetailsType,
				"credential_configuration_id": id, "credential_identifiers": []any{id}})
		}
	}
	now := iss.cfg.Now()
	rec.ExpiresAt = now.Add(iss.cfg.TokenLifetime)
	if err := createRecord(ctx, iss.store, KindToken, tk, rec, rec.ExpiresAt); err != nil {
		return nil, storeError(err)
	}
	if g.OfferKey != "" {
		if err := iss.store.Delete(ctx, KindOffer, g.OfferKey); err != nil {
			log.WarnContext(ctx, "removing a used offer failed", "err", err)
		}
	}
	log.InfoContext(ctx, "access token issued", "token", ref(tk), "configurations", rec.Remaining)
	return &TokenResponse{AccessToken: token, TokenType: "Bearer", ExpiresIn: int(iss.cfg.TokenLifetime / time.Second),
		AuthorizationDetails: respDetails}, nil
}

// parseAuthorizationDetails reads the openid_credential entries of
// authorization_details (§5.1.1): nil when absent.
func parseAuthorizationDetails(raw string) ([]string, error) {
	if raw == "" {
		return nil, nil
	}
	var list []struct {
		Type                      string `json:"type"`
		CredentialConfigurationID string `json:"credential_configuration_id"`
	}
	if len(raw) > 8<<10 || json.Unmarshal([]byte(raw), &list) != nil || len(list) == 0 || len(list) > maxOfferConfigs {
		return nil, oauth.Invalid(reasonRequestBody, "authorization_details must be a JSON array of 1 to %d objects", maxOfferConfigs)
	}
	ids := make([]string, 0, len(list))
	for _, d := range list {
		if d.Type != AuthorizationDetailsType || d.CredentialConfigurationID == "" {
			return nil, oauth.Invalid(reasonRequestBody, "authorization_details entries must be of type %s with a credential_configuration_id", AuthorizationDetailsType)
		}
		if !slices.Contains(ids, d.CredentialConfigurationID) {
			ids = append(ids, d.CredentialConfigurationID)
		}
	}
	return ids, nil
}
