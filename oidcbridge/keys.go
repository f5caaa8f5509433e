package oidcbridge

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// jwk is a signing key with its kid (the RFC 7638 thumbprint) and alg.
type jwk struct {
	id   string
	alg  jose.SignatureAlgorithm
	priv crypto.Signer
}

var _ op.SigningKey = (*jwk)(nil)

func (k *jwk) SignatureAlgorithm() jose.SignatureAlgorithm { return k.alg }
func (k *jwk) Key() any                                    { return k.priv }
func (k *jwk) ID() string                                  { return k.id }

// publicKey is what the key set publishes of a jwk.
type publicKey struct{ *jwk }

var _ op.Key = publicKey{}

func (k publicKey) Algorithm() jose.SignatureAlgorithm { return k.alg }
func (k publicKey) Use() string                        { return "sig" }
func (k publicKey) Key() any                           { return k.priv.Public() }

// newJWK names a private key: ES256 for P-256, EdDSA for Ed25519, the only
// two we sign with.
func newJWK(priv crypto.Signer) (*jwk, error) {
	var alg jose.SignatureAlgorithm
	switch k := priv.(type) {
	case *ecdsa.PrivateKey:
		if k.Curve != elliptic.P256() {
			return nil, errors.New("oidc: an ECDSA signing key must be on P-256 (ES256)")
		}
		alg = jose.ES256
	case ed25519.PrivateKey:
		alg = jose.EdDSA
	default:
		return nil, fmt.Errorf("oidc: a signing key must be P-256 or Ed25519, not %T", priv)
	}
	pub := jose.JSONWebKey{Key: priv.Public()}
	thumb, err := pub.Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("oidc: key thumbprint: %w", err)
	}
	return &jwk{id: base64.RawURLEncoding.EncodeToString(thumb), alg: alg, priv: priv}, nil
}

// generateKey makes a fresh key for alg from crypto/rand.
func generateKey(alg string) (*jwk, error) {
	switch alg {
	case string(jose.ES256):
		priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, err
		}
		return newJWK(priv)
	case string(jose.EdDSA):
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		return newJWK(priv)
	}
	return nil, fmt.Errorf("oidc: unsupported signing algorithm %q (ES256 or EdDSA)", alg)
}

// marshal and unmarshal keep a generated key in the store as a private JWK.
func (k *jwk) marshal() (json.RawMessage, error) {
	return json.Marshal(jose.JSONWebKey{Key: k.priv, KeyID: k.id, Algorithm: string(k.alg), Use: "sig"})
}

func unmarshalJWK(raw json.RawMessage) (*jwk, error) {
	var j jose.JSONWebKey
	if err := j.UnmarshalJSON(raw); err != nil {
		return nil, fmt.Errorf("oidc: stored key: %w", err)
	}
	priv, ok := j.Key.(crypto.Signer)
	if !ok || j.IsPublic() {
		return nil, errors.New("oidc: stored key is not a private key")
	}
	k, err := newJWK(priv)
	if err != nil {
		return nil, err
	}
	if k.id != j.KeyID {
		return nil, errors.New("oidc: stored key's kid is not its thumbprint")
	}
	return k, nil
}

// keySource is where signing keys come from: config, or the store.
type keySource interface {
	// signing is the key that signs now.
	signing(ctx context.Context) (*jwk, error)
	// published are the keys in the key set (the signing one among them).
	published(ctx context.Context) ([]*jwk, error)
	algorithms() []jose.SignatureAlgorithm
}

// staticKeys are configured keys: the first signs, every one is published.
type staticKeys []*jwk

func (s staticKeys) signing(context.Context) (*jwk, error)     { return s[0], nil }
func (s staticKeys) published(context.Context) ([]*jwk, error) { return s, nil }
func (s staticKeys) algorithms() []jose.SignatureAlgorithm {
	var out []jose.SignatureAlgorithm
	for _, k := range s {
		if !containsAlg(out, k.alg) {
			out = append(out, k.alg)
		}
	}
	return out
}

func containsAlg(list []jose.SignatureAlgorithm, a jose.SignatureAlgorithm) bool {
	for _, x := range list {
		if x == a {
			return true
		}
	}
	return false
}

// setupKeys picks the key source and returns the key that seals access
// tokens; the first instance on a store creates both there.
func (p *Provider) setupKeys(ctx context.Context) ([32]byte, error) {
	var tokenKey [32]byte
	if len(p.opts.SigningKeys) > 0 {
		var keys staticKeys
		for _, s := range p.opts.SigningKeys {
			k, err := newJWK(s)
			if err != nil {
				return tokenKey, err
			}
			keys = append(keys, k)
		}
		p.keys = keys
		_, err := p.store.UpdateKeyRing(ctx, func(cur KeyRing) (KeyRing, error) {
			if len(cur.TokenKey) == len(tokenKey) {
				return cur, errUnchanged
			}
			return cur, addTokenKey(&cur)
		})
		if err != nil && !errors.Is(err, errUnchanged) {
			return tokenKey, fmt.Errorf("oidc: key ring: %w", err)
		}
	} else {
		if a := jose.SignatureAlgorithm(p.opts.Algorithm); a != jose.ES256 && a != jose.EdDSA {
			return tokenKey, fmt.Errorf("oidc: unsupported signing algorithm %q (ES256 or EdDSA)", a)
		}
		ring := &ringKeys{store: p.store, alg: p.opts.Algorithm, rotation: p.opts.KeyRotation, now: p.now}
		if _, err := ring.current(ctx); err != nil {
			return tokenKey, fmt.Errorf("oidc: key ring: %w", err)
		}
		p.keys = ring
	}
	stored, err := p.store.KeyRing(ctx)
	if err != nil {
		return tokenKey, fmt.Errorf("oidc: key ring: %w", err)
	}
	if len(stored.TokenKey) != len(tokenKey) {
		return tokenKey, errors.New("oidc: the key ring has no token key")
	}
	copy(tokenKey[:], stored.TokenKey)
	return tokenKey, nil
}
