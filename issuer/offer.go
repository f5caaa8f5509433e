package issuer

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"time"

	"github.com/loginwithiota/verifier/oauth"
)

// OfferRequest is what an operator (or the demo) asks to offer.
type OfferRequest struct {
	// ConfigurationIDs are the offered credential configurations.
	ConfigurationIDs []string
	// Claims become credentialSubject's members.
	Claims map[string]any
	// TxCode, when set, makes the token request need a transaction code,
	// which CreateOffer generates and returns for another channel.
	TxCode *TxCodeSpec
	// ByValue puts the offer object in the URI instead of
	// credential_offer_uri ("When the Credential Offer is displayed as a
	// QR code, it would usually contain the Credential Offer by reference
	// due to the size limitations of the QR codes").
	ByValue bool
}

// TxCodeSpec describes the transaction code (§4.1.1 tx_code).
type TxCodeSpec struct {
	// Length in characters (default 6, 4 to 12).
	Length int
	// InputMode is "numeric" (the default) or "text".
	InputMode string
	// Description tells the holder where the code comes from; "MUST NOT
	// exceed 300 characters".
	Description string
}

// Offer is a created credential offer.
type Offer struct {
	// ID names the offer in its URLs (credential_offer_uri, QR codes): a
	// capability, as secret as the pre-authorized code it leads to.
	ID string
	// Object is the Credential Offer object.
	Object map[string]any
	// URI is the openid-credential-offer:// URI for a QR code or link.
	URI string
	// OfferURI is credential_offer_uri when the offer goes by reference.
	OfferURI string
	// TxCode is the transaction code, "" when none was asked for.
	TxCode    string
	ExpiresAt time.Time
}

// Bounds on what an offer may carry.
const (
	maxOfferConfigs  = 8
	maxClaims        = 64
	maxClaimsBytes   = 16 << 10
	maxTxDescription = 300
)

// CreateOffer makes a pre-authorized offer for req.
func (iss *Issuer) CreateOffer(ctx context.Context, req OfferRequest) (*Offer, error) {
	if err := iss.checkOffer(&req); err != nil {
		return nil, err
	}
	now := iss.cfg.Now()
	expires := now.Add(iss.cfg.OfferLifetime).Truncate(time.Second)
	code, id := newSecret(32), newSecret(24)
	grant := map[string]any{"pre-authorized_code": code}
	g := grantRecord{ConfigIDs: req.ConfigurationIDs, Claims: req.Claims, OfferKey: key(id), ExpiresAt: expires}
	o := &Offer{ID: id, ExpiresAt: expires}
	if req.TxCode != nil {
		t := req.TxCode
		o.TxCode = newTxCode(t.Length, t.InputMode == "numeric")
		g.TxCodeHash = txCodeHash(code, o.TxCode)
		spec := map[string]any{"input_mode": t.InputMode, "length": t.Length}
		if t.Description != "" {
			spec["description"] = t.Description
		}
		grant["tx_code"] = spec
	}
	o.Object = map[string]any{
		"credential_issuer":            iss.cfg.Identifier,
		"credential_configuration_ids": stringsAny(req.ConfigurationIDs),
		"grants":                       map[string]any{GrantPreAuthorizedCode: grant},
	}
	raw, err := json.Marshal(o.Object)
	if err != nil {
		return nil, oauth.Server(err)
	}
	if req.ByValue {
		o.URI = OfferScheme + "?credential_offer=" + url.QueryEscape(string(raw))
	} else {
		o.OfferURI = iss.url(PathOffers + id)
		o.URI = OfferScheme + "?credential_offer_uri=" + url.QueryEscape(o.OfferURI)
	}
	if err := createRecord(ctx, iss.store, KindGrant, key(code), g, expires); err != nil {
		return nil, storeError(err)
	}
	if err := createRecord(ctx, iss.store, KindOffer, key(id), offerRecord{Offer: raw, URI: o.URI}, expires); err != nil {
		return nil, storeError(err)
	}
	iss.log.InfoContext(ctx, "offer created", "offer", ref(key(id)), "grant", ref(key(code)),
		"configurations", req.ConfigurationIDs, "tx_code", req.TxCode != nil, "by_value", req.ByValue)
	return o, nil
}

// DemoOffer offers the demo configurations with the demo claims and a
// numeric tx_code, by reference: the demo page shows the code beside the QR.
func (iss *Issuer) DemoOffer(ctx context.Context) (*Offer, error) {
	return iss.CreateOffer(ctx, OfferRequest{
		ConfigurationIDs: iss.cfg.DemoConfigurations,
		Claims:           iss.cfg.DemoClaims,
		TxCode:           &TxCodeSpec{Description: "The transaction code is shown next to the QR code."},
	})
}

// OfferObject returns offer id's Credential Offer object (served at
// credential_offer_uri) and its URI (for QR codes). An offer whose code was
// used or expired is not found.
func (iss *Issuer) OfferObject(ctx context.Context, id string) (json.RawMessage, string, error) {
	if id == "" || len(id) > 64 {
		return nil, "", oauth.New(oauth.NotFound, "", "no such credential offer")
	}
	rec, err := getRecord[offerRecord](ctx, iss.store, KindOffer, key(id))
	if errors.Is(err, ErrNotFound) {
		return nil, "", oauth.New(oauth.NotFound, "", "no such credential offer (it was used or has expired)")
	}
	if err != nil {
		return nil, "", storeError(err)
	}
	return rec.Offer, rec.URI, nil
}

// checkOffer validates and normalizes an offer request.
func (iss *Issuer) checkOffer(req *OfferRequest) error {
	ids := req.ConfigurationIDs
	if len(ids) == 0 || len(ids) > maxOfferConfigs {
		return oauth.Invalid(reasonOfferInvalid, "credential_configuration_ids must name 1 to %d credential configurations", maxOfferConfigs)
	}
	for i, id := range ids {
		if iss.configs[id] == nil {
			return oauth.Invalid(reasonOfferInvalid, "credential_configuration_ids[%d] is not a credential configuration of this issuer", i)
		}
		if slices.Index(ids, id) != i {
			return oauth.Invalid(reasonOfferInvalid, "credential_configuration_ids must be unique")
		}
	}
	if req.Claims == nil {
		req.Claims = map[string]any{}
	}
	if err := iss.checkClaims(ids, req.Claims); err != nil {
		return err
	}
	if t := req.TxCode; t != nil {
		if t.Length == 0 {
			t.Length = 6
		}
		if t.InputMode == "" {
			t.InputMode = "numeric"
		}
		if t.Length < 4 || t.Length > 12 {
			return oauth.Invalid(reasonOfferInvalid, "tx_code.length must be 4 to 12")
		}
		if t.InputMode != "numeric" && t.InputMode != "text" {
			return oauth.Invalid(reasonOfferInvalid, "tx_code.input_mode must be numeric or text")
		}
		if len(t.Description) > maxTxDescription {
			return oauth.Invalid(reasonOfferInvalid, "tx_code.description must not exceed %d characters", maxTxDescription)
		}
	}
	return nil
}

// checkClaims bounds the claims and, where configurations describe their
// claims, holds them to the description: only described claims, every
// mandatory one.
func (iss *Issuer) checkClaims(ids []string, claims map[string]any) error {
	if len(claims) > maxClaims {
		return oauth.Invalid(reasonOfferInvalid, "claims may hold at most %d members", maxClaims)
	}
	if raw, err := json.Marshal(claims); err != nil || len(raw) > maxClaimsBytes {
		return oauth.Invalid(reasonOfferInvalid, "claims must be JSON of at most %d bytes", maxClaimsBytes)
	}
	if _, ok := claims["id"]; ok {
		return oauth.Invalid(reasonOfferInvalid, "claims must not hold id: the credential subject is the holder's key")
	}
	for _, id := range ids {
		c := iss.configs[id]
		if cc, ok := formats[c.Format].(claimChecker); ok {
			for name := range claims {
				if err := cc.checkClaim(name); err != nil {
					return oauth.Invalid(reasonOfferInvalid, "credential configuration %s: %s", id, err.Error())
				}
			}
		}
		if len(c.Claims) == 0 {
			continue
		}
		for name := range claims {
			if !slices.ContainsFunc(c.Claims, func(cl Claim) bool { return cl.Name == name }) {
				return oauth.Invalid(reasonOfferInvalid, "claim %s is not described by credential configuration %s", clip(name), id)
			}
		}
		for _, cl := range c.Claims {
			if _, ok := claims[cl.Name]; cl.Mandatory && !ok {
				return oauth.Invalid(reasonOfferInvalid, "credential configuration %s needs the claim %s", id, cl.Name)
			}
		}
	}
	return nil
}

// storeError hides a backend failure behind a temporarily_unavailable.
func storeError(err error) error {
	return oauth.Unavailable("the issuer's store is unavailable; try again", 2*time.Second, err)
}

// clip bounds a client's string quoted in a description.
func clip(s string) string {
	r := []rune(s)
	for i, c := range r {
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			r[i] = '?' // error_description: %x20-21 / %x23-5B / %x5D-7E
		}
	}
	if len(r) > 40 {
		return string(r[:40]) + "..."
	}
	return string(r)
}

// DemoConfigurations are the configurations demo offers carry.
func (iss *Issuer) DemoConfigurations() []string { return iss.cfg.DemoConfigurations }
