package issuer

import (
	"context"
	"errors"

	"github.com/loginwithiota/verifier/oauth"
)

// Nonce returns a fresh c_nonce (§7.2): "New challenge values MUST be
// unpredictable." Each proves one key once, within NonceLifetime.
func (iss *Issuer) Nonce(ctx context.Context) (string, error) {
	n := newSecret(24)
	exp := iss.cfg.Now().Add(iss.cfg.NonceLifetime)
	if err := createRecord(ctx, iss.store, KindNonce, key(n), nonceRecord{ExpiresAt: exp}, exp); err != nil {
		return "", storeError(err)
	}
	return n, nil
}

// useNonce spends a c_nonce: of concurrent uses exactly one succeeds.
func (iss *Issuer) useNonce(ctx context.Context, nonce string) error {
	_, err := iss.store.Take(ctx, KindNonce, key(nonce))
	if errors.Is(err, ErrNotFound) {
		// §8.3.1.2 invalid_nonce: "at least one of the key proofs contains an
		// invalid c_nonce value. The wallet should retrieve a new c_nonce".
		return oauth.New(oauth.InvalidNonce, reasonNonceUnknown, "the proof's nonce is not a current c_nonce of this issuer (unknown, used or expired): fetch a new one from the nonce endpoint")
	}
	if err != nil {
		return storeError(err)
	}
	return nil
}
