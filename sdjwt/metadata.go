package sdjwt

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"encoding/json"
	"net/url"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/loginwithiota/verifier/internal/ttlcache"
)

// Fetcher GETs a URL. The verifier implements it over internal/safehttp
// (HTTPS only, public addresses only, bounded in time and size, each
// redirect re-checked), which is what SD-JWT VC §4 asks of every
// retrieval: "Consumers MUST perform each retrieval in a time-bound and
// size-bound manner". It has the shape of status.Fetcher, so one adapter
// serves both.
type Fetcher interface {
	Fetch(ctx context.Context, url string) (body []byte, contentType string, err error)
}

// Defaults of MetadataKeys.
const (
	DefaultMetadataTTL = 5 * time.Minute
	maxMetadataKeys    = 64
	maxCachedIssuers   = 256
)

// WellKnownPath is the JWT VC Issuer Metadata well-known suffix.
const WellKnownPath = "/.well-known/jwt-vc-issuer"

// MetadataKeys finds an https issuer's key in its JWT VC Issuer Metadata
// (SD-JWT VC §5): GET https://<host>/.well-known/jwt-vc-issuer<path>, its
// issuer equal to iss, its jwks (or the JWK Set at jwks_uri) holding the
// key the kid names. Set the fields before the first use.
type MetadataKeys struct {
	Fetcher Fetcher // required
	// CacheTTL keeps fetched key sets (0: DefaultMetadataTTL; negative: no
	// cache).
	CacheTTL time.Duration
	Now      func() time.Time // the cache's clock (nil: time.Now)

	once  sync.Once
	cache *ttlcache.Cache[[]jose.JSONWebKey]
}

var _ IssuerKeys = (*MetadataKeys)(nil)

// MetadataURL is where the metadata of iss is: SD-JWT VC §5 "inserting
// the well-known string /.well-known/jwt-vc-issuer between the host
// component and the path component (if any) of the iss claim value",
// "any terminating / MUST be removed before inserting". iss "MUST be a
// case-sensitive URL using the HTTPS scheme … but no query or fragment
// components".
func MetadataURL(iss string) (string, error) {
	u, err := url.Parse(iss)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.Opaque != "" ||
		u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.ContainsAny(iss, "?#") {
		return "", newError(CodeKeyResolution, "iss is not an https URL without query or fragment")
	}
	return "https://" + u.Host + WellKnownPath + strings.TrimSuffix(u.EscapedPath(), "/"), nil
}

// IssuerKey implements IssuerKeys.
func (k *MetadataKeys) IssuerKey(ctx context.Context, req KeyRequest) (*IssuerKey, error) {
	k.once.Do(func() {
		switch {
		case k.CacheTTL == 0:
			k.cache = ttlcache.New[[]jose.JSONWebKey](DefaultMetadataTTL, maxCachedIssuers, k.Now)
		case k.CacheTTL > 0:
			k.cache = ttlcache.New[[]jose.JSONWebKey](k.CacheTTL, maxCachedIssuers, k.Now)
		}
	})
	keys, cached := k.cache.Get(req.Issuer)
	jwk, err := pickKey(keys, req)
	// A kid the cached set lacks may be a key rotated in since: fetch once
	// more, never more than once per verification.
	if !cached || err != nil {
		if keys, err = k.fetchKeys(ctx, req.Issuer); err != nil {
			return nil, err
		}
		k.cache.Put(req.Issuer, keys, 0)
		if jwk, err = pickKey(keys, req); err != nil {
			return nil, err
		}
	}
	return &IssuerKey{PublicKey: jwk.Key, Method: MethodMetadata, ID: jwk.KeyID, Issuer: req.Issuer}, nil
}

func (k *MetadataKeys) fetchKeys(ctx context.Context, iss string) ([]jose.JSONWebKey, error) {
	if k.Fetcher == nil {
		return nil, newError(CodeKeyResolution, "no fetcher is configured for JWT VC issuer metadata")
	}
	mdURL, err := MetadataURL(iss)
	if err != nil {
		return nil, err
	}
	body, _, err := k.Fetcher.Fetch(ctx, mdURL)
	if err != nil {
		return nil, wrapError(CodeKeyResolution, err, "the JWT VC issuer metadata cannot be fetched")
	}
	var md struct {
		Issuer  *string         `json:"issuer"`
		JWKS    json.RawMessage `json:"jwks"`
		JWKSURI *string         `json:"jwks_uri"`
	}
	if err := json.Unmarshal(body, &md); err != nil {
		return nil, newError(CodeKeyResolution, "the JWT VC issuer metadata is not a JSON object")
	}
	// §5.3: "The issuer value returned MUST be identical to the iss value
	// of the Issuer-signed JWT. If these values are not identical, the
	// data contained in the response MUST NOT be used."
	if md.Issuer == nil || *md.Issuer != iss {
		return nil, newError(CodeIssuer, "the JWT VC issuer metadata is of another issuer")
	}
	// §5.2: "JWT VC Issuer Metadata MUST include either jwks_uri or jwks
	// in their JWT VC Issuer Metadata, but not both."
	hasJWKS := len(md.JWKS) > 0 && string(md.JWKS) != "null"
	switch {
	case hasJWKS && md.JWKSURI != nil, !hasJWKS && md.JWKSURI == nil:
		return nil, newError(CodeKeyResolution, "the JWT VC issuer metadata must have exactly one of jwks and jwks_uri")
	case hasJWKS:
		return parseJWKS(md.JWKS)
	}
	if u, err := url.Parse(*md.JWKSURI); err != nil || u.Scheme != "https" || u.Host == "" {
		return nil, newError(CodeKeyResolution, "jwks_uri is not an https URL")
	}
	set, _, err := k.Fetcher.Fetch(ctx, *md.JWKSURI)
	if err != nil {
		return nil, wrapError(CodeKeyResolution, err, "the issuer's JWK Set cannot be fetched")
	}
	return parseJWKS(set)
}

// parseJWKS reads a JWK Set, keeping the public Ed25519 and P-256 keys
// meant for signatures; any other key is skipped, not an error (a set
// may hold encryption keys too).
func parseJWKS(raw []byte) ([]jose.JSONWebKey, error) {
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(raw, &set); err != nil || set.Keys == nil {
		return nil, newError(CodeKeyResolution, "the issuer's JWK Set is not {\"keys\": [...]}")
	}
	if len(set.Keys) > maxMetadataKeys {
		return nil, newError(CodeKeyResolution, "the issuer's JWK Set has %d keys, more than %d", len(set.Keys), maxMetadataKeys)
	}
	var keys []jose.JSONWebKey
	for _, r := range set.Keys {
		var k jose.JSONWebKey
		if err := k.UnmarshalJSON(r); err != nil || !k.IsPublic() || (k.Use != "" && k.Use != "sig") {
			continue
		}
		if signingKey(k.Key) {
			keys = append(keys, k)
		}
	}
	return keys, nil
}

func signingKey(k any) bool {
	switch pub := k.(type) {
	case ed25519.PublicKey:
		return len(pub) == ed25519.PublicKeySize
	case *ecdsa.PublicKey:
		return pub.Curve == elliptic.P256()
	}
	return false
}

// pickKey is the key the kid names or, without a kid, the only key that
// fits the alg.
func pickKey(keys []jose.JSONWebKey, req KeyRequest) (*jose.JSONWebKey, error) {
	var found []*jose.JSONWebKey
	for i := range keys {
		k := &keys[i]
		if req.Kid != "" && k.KeyID != req.Kid {
			continue
		}
		if k.Algorithm != "" && k.Algorithm != req.Alg {
			continue
		}
		if _, err := fit(req.Alg, k.Key); err != nil {
			continue
		}
		found = append(found, k)
	}
	switch {
	case len(found) == 1:
		return found[0], nil
	case len(found) == 0 && req.Kid != "":
		return nil, newError(CodeKeyResolution, "the issuer's metadata has no usable key with the kid")
	case len(found) == 0:
		return nil, newError(CodeKeyResolution, "the issuer's metadata has no usable key for %s", clip(req.Alg))
	}
	return nil, newError(CodeKeyResolution, "the issuer-signed JWT has no kid and the metadata has %d keys", len(found))
}
