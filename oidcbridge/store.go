package oidcbridge

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// AuthRequest is one authorization request, from its arrival at the
// authorize endpoint to the end of its code. Records are values: change
// them with Store.UpdateAuthRequest.
type AuthRequest struct {
	ID                  string   `json:"id"`
	ClientID            string   `json:"client_id"`
	RedirectURI         string   `json:"redirect_uri"`
	State               string   `json:"state,omitempty"`
	Nonce               string   `json:"nonce,omitempty"`
	Scopes              []string `json:"scopes"`
	ResponseMode        string   `json:"response_mode,omitempty"`
	CodeChallenge       string   `json:"code_challenge,omitempty"`
	CodeChallengeMethod string   `json:"code_challenge_method,omitempty"`
	// Scope is the credential scope the request named; Definition the
	// presentation definition it triggers.
	Scope      string `json:"scope"`
	Definition string `json:"definition"`

	CreatedAt time.Time `json:"created_at"`
	// ExpiresAt ends the login step: no login completes after it.
	ExpiresAt time.Time `json:"expires_at"`
	// DeleteAt is when the record goes (after its code's tombstone).
	DeleteAt time.Time `json:"delete_at"`

	// Filled when the login succeeds: the verifier session it used, the
	// subject for this client and the mapped claims (nothing else of the
	// credentials is kept).
	SessionID string         `json:"session_id,omitempty"`
	Subject   string         `json:"subject,omitempty"`
	Claims    map[string]any `json:"claims,omitempty"`
	ACR       string         `json:"acr,omitempty"`
	AMR       []string       `json:"amr,omitempty"`
	AuthTime  time.Time      `json:"auth_time,omitzero"`
	Done      bool           `json:"done,omitempty"`
	// Denied: the login failed, expired or was cancelled; nothing more
	// happens to the request.
	Denied bool `json:"denied,omitempty"`

	// CodeHash is SHA-256 of the authorization code (never the code).
	CodeHash      string    `json:"code_hash,omitempty"`
	CodeExpiresAt time.Time `json:"code_expires_at,omitzero"`
	// Redeemed: the code was exchanged; TokenIDs are the tokens it gave,
	// revoked if it is presented again (RFC 6749 §4.1.2).
	Redeemed bool     `json:"redeemed,omitempty"`
	TokenIDs []string `json:"token_ids,omitempty"`

	// Version is bumped by every successful update (compare-and-set).
	Version int64 `json:"version"`
}

// Token is an access token's record: the token itself is an encrypted
// handle for its ID and never stored.
type Token struct {
	ID            string         `json:"id"`
	AuthRequestID string         `json:"auth_request_id"`
	ClientID      string         `json:"client_id"`
	Subject       string         `json:"subject"`
	Scopes        []string       `json:"scopes"`
	Claims        map[string]any `json:"claims,omitempty"`
	ExpiresAt     time.Time      `json:"expires_at"`
}

// KeyRing holds the generated signing keys and the key that encrypts access
// tokens and codes, shared by every instance on one store.
type KeyRing struct {
	Keys []StoredKey `json:"keys"`
	// TokenKey is the AES-256 key of access tokens and codes.
	TokenKey []byte `json:"token_key"`
	Version  int64  `json:"version"`
}

// StoredKey is one generated signing key.
type StoredKey struct {
	// JWK is the private key as a JSON Web Key, with kid and alg.
	JWK json.RawMessage `json:"jwk"`
	// NotBefore is when it starts signing: it is published from its
	// creation, so caches hold it before the first token it signs.
	NotBefore time.Time `json:"not_before"`
	// RetireAt is when it leaves the key set (zero: not yet decided).
	RetireAt time.Time `json:"retire_at,omitzero"`
}

var (
	// ErrNotFound is returned by every backend for a missing or expired record.
	ErrNotFound = errors.New("oidc store: not found")
	// ErrExists is returned when a create or a claim finds its key taken.
	ErrExists = errors.New("oidc store: already exists")
	// ErrUnavailable wraps backend faults (Redis down).
	ErrUnavailable = errors.New("oidc store: unavailable")
)

// Store keeps the OpenID Provider's state. Every backend runs the suite in
// oidcbridge/storetest. Records are values; reads past a record's
// DeleteAt (ExpiresAt for tokens) answer ErrNotFound on the store's clock.
type Store interface {
	// CreateAuthRequest stores a new request; ErrExists if its ID is taken.
	CreateAuthRequest(ctx context.Context, r AuthRequest) error
	AuthRequest(ctx context.Context, id string) (AuthRequest, error)
	// UpdateAuthRequest applies fn with compare-and-set: fn sees the
	// current record and may be called again with a fresher one; its error
	// aborts the update and is returned as is.
	UpdateAuthRequest(ctx context.Context, id string, fn func(AuthRequest) (AuthRequest, error)) (AuthRequest, error)

	// PutCode indexes a code hash to its auth request until deleteAt;
	// ErrExists if the hash is taken.
	PutCode(ctx context.Context, codeHash, authRequestID string, deleteAt time.Time) error
	// CodeAuthRequest returns the auth request id of a code hash.
	CodeAuthRequest(ctx context.Context, codeHash string) (string, error)

	// ClaimSession binds a verifier session to the auth request it logged
	// in, once: ErrExists if the session is bound already.
	ClaimSession(ctx context.Context, sessionID, authRequestID string, deleteAt time.Time) error

	CreateToken(ctx context.Context, t Token) error
	Token(ctx context.Context, id string) (Token, error)
	// DeleteTokens removes tokens; ids that are gone are no error.
	DeleteTokens(ctx context.Context, ids ...string) error
	// DeleteSubjectTokens removes every token of subject at client.
	DeleteSubjectTokens(ctx context.Context, clientID, subject string) error

	// UpdateKeyRing applies fn with compare-and-set to the key ring; fn
	// sees a zero KeyRing (Version 0) when there is none yet.
	UpdateKeyRing(ctx context.Context, fn func(KeyRing) (KeyRing, error)) (KeyRing, error)
	// KeyRing returns the key ring; ErrNotFound when there is none yet.
	KeyRing(ctx context.Context) (KeyRing, error)

	Ping(ctx context.Context) error
}
