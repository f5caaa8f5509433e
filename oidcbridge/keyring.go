package oidcbridge

import (
	"context"
	"crypto/rand"
	"errors"
	"slices"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// Generated keys rotate: one signs for rotation, the next is published
// rotation/10 before it starts signing (so caches of the key set hold it
// before the first token it signs), and a replaced key stays published for
// retain, past the life of any ID token it signed.
const (
	retain = 24 * time.Hour
	// ringCacheTTL is how long an instance uses the key ring it read before
	// reading it again; far below the pre-publication time, so an instance
	// never signs with a key another instance's key set lacks.
	ringCacheTTL = time.Minute
)

// errUnchanged: the ring is up to date; nothing to write.
var errUnchanged = errors.New("key ring unchanged")

// ringKeys are keys generated and kept in the store, shared by instances.
type ringKeys struct {
	store    Store
	alg      string
	rotation time.Duration
	now      func() time.Time

	mu     sync.Mutex
	keys   []ringKey // by NotBefore
	readAt time.Time
}

type ringKey struct {
	*jwk
	notBefore time.Time
}

func (r *ringKeys) algorithms() []jose.SignatureAlgorithm {
	return []jose.SignatureAlgorithm{jose.SignatureAlgorithm(r.alg)}
}

func (r *ringKeys) signing(ctx context.Context) (*jwk, error) {
	keys, err := r.current(ctx)
	if err != nil {
		return nil, err
	}
	now := r.now()
	var signer *jwk
	for _, k := range keys {
		if !k.notBefore.After(now) {
			signer = k.jwk
		}
	}
	if signer == nil {
		return nil, errors.New("oidc: no signing key is in force")
	}
	return signer, nil
}

func (r *ringKeys) published(ctx context.Context) ([]*jwk, error) {
	keys, err := r.current(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*jwk, len(keys))
	for i, k := range keys {
		out[i] = k.jwk
	}
	return out, nil
}

// current returns the ring, read again once the cache is old, rotated in
// the store when it is due.
func (r *ringKeys) current(ctx context.Context) ([]ringKey, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	if r.keys != nil && now.Sub(r.readAt) < ringCacheTTL && !r.due(now) {
		return r.keys, nil
	}
	ring, err := r.store.KeyRing(ctx)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	if _, changed, err := rotate(ring, now, r.alg, r.rotation); err != nil {
		return nil, err
	} else if changed {
		ring, err = r.store.UpdateKeyRing(ctx, func(cur KeyRing) (KeyRing, error) {
			next, changed, err := rotate(cur, now, r.alg, r.rotation)
			if err == nil && !changed {
				err = errUnchanged // another instance rotated first
			}
			return next, err
		})
		if errors.Is(err, errUnchanged) {
			ring, err = r.store.KeyRing(ctx)
		}
		if err != nil {
			return nil, err
		}
	}
	keys, err := parseRing(ring)
	if err != nil {
		return nil, err
	}
	r.keys, r.readAt = keys, now
	return keys, nil
}

// due reports whether the cached ring needs a change in the store: a key
// to publish or one to retire. A cached next key's turn needs none: signing
// picks the key by its NotBefore.
func (r *ringKeys) due(now time.Time) bool {
	stored := make([]StoredKey, len(r.keys))
	for i, k := range r.keys {
		stored[i] = StoredKey{NotBefore: k.notBefore}
	}
	kept, add := schedule(stored, now, r.rotation)
	return !add.IsZero() || len(kept) != len(stored)
}

func parseRing(ring KeyRing) ([]ringKey, error) {
	keys := make([]ringKey, 0, len(ring.Keys))
	for _, sk := range ring.Keys {
		k, err := unmarshalJWK(sk.JWK)
		if err != nil {
			return nil, err
		}
		keys = append(keys, ringKey{jwk: k, notBefore: sk.NotBefore})
	}
	if len(keys) == 0 {
		return nil, errors.New("oidc: the key ring has no keys")
	}
	slices.SortFunc(keys, func(a, b ringKey) int { return a.notBefore.Compare(b.notBefore) })
	return keys, nil
}

// rotate brings ring up to date at now: a token key, a signing key, the
// next key published in time, replaced keys retired.
func rotate(ring KeyRing, now time.Time, alg string, rotation time.Duration) (KeyRing, bool, error) {
	changed := false
	if len(ring.TokenKey) != 32 {
		if err := addTokenKey(&ring); err != nil {
			return ring, false, err
		}
		changed = true
	}
	keys, add := schedule(ring.Keys, now, rotation)
	if len(keys) != len(ring.Keys) {
		changed = true
	}
	if !add.IsZero() {
		k, err := generateKey(alg)
		if err != nil {
			return ring, false, err
		}
		raw, err := k.marshal()
		if err != nil {
			return ring, false, err
		}
		keys = append(keys, StoredKey{JWK: raw, NotBefore: add})
		changed = true
	}
	ring.Keys = keys
	return ring, changed, nil
}

// addTokenKey gives the ring a fresh AES-256 key from crypto/rand.
func addTokenKey(ring *KeyRing) error {
	ring.TokenKey = make([]byte, 32)
	_, err := rand.Read(ring.TokenKey)
	return err
}

// schedule keeps the keys still published at now and says when a new key
// should start signing (zero: none is needed yet).
func schedule(keys []StoredKey, now time.Time, rotation time.Duration) ([]StoredKey, time.Time) {
	keys = slices.Clone(keys)
	slices.SortFunc(keys, func(a, b StoredKey) int { return a.NotBefore.Compare(b.NotBefore) })
	signer := -1
	for i, k := range keys {
		if !k.NotBefore.After(now) {
			signer = i
		}
	}
	if signer < 0 {
		if len(keys) > 0 {
			return keys, time.Time{} // a key waits for its turn
		}
		return keys, now // the very first key signs at once
	}
	// Keys before the signer are retired retain after their successor took over.
	kept := keys[:0:0]
	for i, k := range keys {
		if i < signer && !keys[i+1].NotBefore.Add(retain).After(now) {
			continue
		}
		kept = append(kept, k)
	}
	if signer < len(keys)-1 {
		return kept, time.Time{} // the next key is published already
	}
	prepublish := rotation / 10
	turn := keys[signer].NotBefore.Add(rotation)
	if now.Before(turn.Add(-prepublish)) {
		return kept, time.Time{}
	}
	return kept, maxTime(turn, now.Add(prepublish))
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
