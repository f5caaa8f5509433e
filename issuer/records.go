package issuer

import (
	"encoding/json"
	"time"
)

// Records are values, JSON in the store. None holds a secret the issuer
// handed out, only hashes of them, except offerRecord: an offer served by
// reference must give the wallet its pre-authorized code, so the record
// keeps the offer object until the code is exchanged or expires.

// offerRecord is an offer served at credential_offer_uri.
type offerRecord struct {
	Offer json.RawMessage `json:"offer"` // the Credential Offer object
	URI   string          `json:"uri"`   // the openid-credential-offer:// URI (for the QR code)
}

// grantRecord is what a pre-authorized code stands for.
type grantRecord struct {
	ConfigIDs []string       `json:"config_ids"`
	Claims    map[string]any `json:"claims"`
	// TxCodeHash is SHA-256(code || tx_code); nil when no tx_code was offered.
	TxCodeHash []byte `json:"tx_code_hash,omitempty"`
	WrongTries int    `json:"wrong_tries"`
	// Redeemed is set by the exchange; TokenKey is the token it issued,
	// revoked if the code comes again (RFC 6749 §4.1.2: "If an
	// authorization code is used more than once, the authorization server
	// MUST deny the request and SHOULD revoke ... all tokens previously
	// issued based on that authorization code").
	Redeemed bool   `json:"redeemed,omitempty"`
	TokenKey string `json:"token_key,omitempty"`
	// OfferKey is the offer record's key, deleted once the code is used.
	OfferKey  string    `json:"offer_key,omitempty"`
	ExpiresAt time.Time `json:"expires_at"`
}

// tokenRecord is what an access token allows: each configuration once.
type tokenRecord struct {
	// Remaining are the configurations still to issue.
	Remaining []string `json:"remaining"`
	// Identifiers maps credential_identifier to configuration when the
	// token response carried authorization_details; then the credential
	// request "MUST" name credential_identifier (§8.2).
	Identifiers map[string]string `json:"identifiers,omitempty"`
	Claims      map[string]any    `json:"claims"`
	ExpiresAt   time.Time         `json:"expires_at"`
}

// nonceRecord is an unused c_nonce.
type nonceRecord struct {
	ExpiresAt time.Time `json:"expires_at"`
}
