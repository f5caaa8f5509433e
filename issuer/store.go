package issuer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Store keeps the issuer's records: offers, pre-authorized codes, access
// tokens and c_nonces. It is declared here, by its user; memory and Redis
// implement it (issuer/store/...), and issuer/store/storetest is the
// conformance suite both run.
//
// A record is an opaque value under a Kind and a key (the issuer passes
// hashes of secrets, never secrets), with an expiry fixed when it is
// created: past it the record is gone for every method, on every
// instance sharing the backend. Values are copies: changing a returned
// slice changes nothing stored.
type Store interface {
	// Create stores value under (kind, key) until expires. ErrExists when
	// a live record has that key.
	Create(ctx context.Context, kind Kind, key string, value []byte, expires time.Time) error
	// Get returns the live record's value; ErrNotFound when there is none.
	Get(ctx context.Context, kind Kind, key string) ([]byte, error)
	// Update replaces the live record's value with fn's result, atomically
	// (compare-and-set: fn may run again if another writer got there
	// first, so it must not have side effects beyond its result). The
	// expiry is kept. A nil result deletes the record; an error from fn
	// aborts and is returned as it is. ErrNotFound when there is no live
	// record.
	Update(ctx context.Context, kind Kind, key string, fn func(old []byte) ([]byte, error)) error
	// Take returns the live record's value and deletes it, atomically: of
	// concurrent Takes of one key, exactly one gets the value, the others
	// ErrNotFound.
	Take(ctx context.Context, kind Kind, key string) ([]byte, error)
	// Delete removes the record; deleting a missing one is not an error.
	Delete(ctx context.Context, kind Kind, key string) error
	// Ping reports whether the backend answers.
	Ping(ctx context.Context) error
}

// Kind names a family of records; keys are unique within a kind.
type Kind string

// The kinds the issuer stores.
const (
	KindOffer Kind = "offer" // a credential offer served by reference, by hash of its id
	KindGrant Kind = "grant" // a pre-authorized code's grant, by hash of the code
	KindToken Kind = "token" // an access token, by hash of the token
	KindNonce Kind = "nonce" // a c_nonce, by hash of the nonce
)

// Kinds lists every kind, for backends and their tests.
func Kinds() []Kind { return []Kind{KindOffer, KindGrant, KindToken, KindNonce} }

// Sentinels every backend returns (wrapped or not; test with errors.Is).
var (
	ErrNotFound = errors.New("issuer store: no such record")
	ErrExists   = errors.New("issuer store: record exists")
)

// getRecord reads and decodes a record.
func getRecord[T any](ctx context.Context, s Store, kind Kind, key string) (T, error) {
	var v T
	raw, err := s.Get(ctx, kind, key)
	if err != nil {
		return v, err
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return v, fmt.Errorf("issuer store: %s record: %w", kind, err)
	}
	return v, nil
}

// createRecord encodes and stores a new record.
func createRecord(ctx context.Context, s Store, kind Kind, key string, v any, expires time.Time) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return s.Create(ctx, kind, key, raw, expires)
}

// updateRecord is Update on decoded values; fn returning nil deletes.
func updateRecord[T any](ctx context.Context, s Store, kind Kind, key string, fn func(old T) (*T, error)) error {
	return s.Update(ctx, kind, key, func(raw []byte) ([]byte, error) {
		var old T
		if err := json.Unmarshal(raw, &old); err != nil {
			return nil, fmt.Errorf("issuer store: %s record: %w", kind, err)
		}
		next, err := fn(old)
		if err != nil || next == nil {
			return nil, err
		}
		return json.Marshal(next)
	})
}
