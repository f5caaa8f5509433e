package oidcsetup

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/loginwithiota/verifier/config"
	"github.com/loginwithiota/verifier/oidcbridge"
	"github.com/loginwithiota/verifier/oidcbridge/store/memory"
	oidcredis "github.com/loginwithiota/verifier/oidcbridge/store/redis"
)

// Deps are what the rest of the service hands the provider.
type Deps struct {
	// PublicURL is the verifier's; a path issuer ("/oidc") hangs under it.
	PublicURL string
	// ConfigDir resolves relative key and secret files.
	ConfigDir string
	// Sessions is the verifier (*verifier.Verifier).
	Sessions oidcbridge.Sessions
	// Redis selects the Redis store (nil: memory), under RedisPrefix
	// (the session store's redis.key_prefix) + "oidc:". A concrete client,
	// so that cmd's nil *Client means memory (no nil-in-interface trap).
	Redis       goredis.UniversalClient
	RedisPrefix string
	Logger      *slog.Logger
	Now         func() time.Time
}

// New builds the provider for an enabled section.
func New(ctx context.Context, c config.OIDC, d Deps) (*oidcbridge.Provider, error) {
	if !c.Enabled {
		return nil, errors.New("oidc: the section is not enabled")
	}
	opts := oidcbridge.Options{
		Issuer:              c.Issuer,
		Algorithm:           c.Keys.Algorithm,
		KeyRotation:         c.Keys.Rotation.Std(),
		CodeLifetime:        c.CodeLifetime.Std(),
		AccessTokenLifetime: c.AccessTokenLifetime.Std(),
		IDTokenLifetime:     c.IDTokenLifetime.Std(),
		LoginLifetime:       c.LoginLifetime.Std(),
		Sessions:            d.Sessions,
		Logger:              d.Logger,
		Now:                 d.Now,
	}
	if strings.HasPrefix(c.Issuer, "/") {
		opts.Issuer = strings.TrimRight(d.PublicURL, "/") + c.Issuer
	}
	for _, s := range c.Scopes {
		opts.Scopes = append(opts.Scopes, oidcbridge.Scope{Name: s.Name, Definition: s.Definition, ACR: s.ACR, Claims: s.Claims})
	}
	for _, cl := range c.Clients {
		oc := oidcbridge.Client{ID: cl.ID, Name: cl.Name, RedirectURIs: cl.RedirectURIs, PostLogoutRedirectURIs: cl.PostLogoutRedirectURIs,
			Scopes: cl.Scopes, DefaultScope: cl.DefaultScope, Pairwise: cl.Subject == "pairwise"}
		if cl.SecretHash != "" {
			oc.SecretHash = []byte(cl.SecretHash)
		}
		if oc.Pairwise {
			sector, err := cl.Sector()
			if err != nil {
				return nil, fmt.Errorf("oidc.clients (id %q): %w", cl.ID, err)
			}
			oc.Sector = sector
		}
		opts.Clients = append(opts.Clients, oc)
	}
	secret, err := pairwiseSecret(c, d.ConfigDir)
	if err != nil {
		return nil, err
	}
	opts.PairwiseSecret = secret
	for i, f := range c.Keys.Files {
		k, err := readKey(resolve(d.ConfigDir, f))
		if err != nil {
			return nil, fmt.Errorf("oidc.keys.files[%d]: %w", i, err)
		}
		opts.SigningKeys = append(opts.SigningKeys, k)
	}
	if d.Redis != nil {
		opts.Store = oidcredis.New(d.Redis, oidcredis.Options{Prefix: d.RedisPrefix + "oidc:", Now: d.Now})
	} else {
		opts.Store = memory.New(memory.Options{Now: d.Now})
	}
	return oidcbridge.New(ctx, opts)
}

func pairwiseSecret(c config.OIDC, dir string) ([]byte, error) {
	if c.PairwiseSecretFile == "" {
		if c.PairwiseSecret == "" {
			return nil, nil
		}
		return []byte(c.PairwiseSecret), nil
	}
	raw, err := os.ReadFile(resolve(dir, c.PairwiseSecretFile))
	if err != nil {
		return nil, fmt.Errorf("oidc.pairwise_secret_file: %w", err)
	}
	secret := []byte(strings.TrimRight(string(raw), "\r\n"))
	if len(secret) < 32 {
		return nil, fmt.Errorf("oidc.pairwise_secret_file: want at least 32 bytes")
	}
	return secret, nil
}

// readKey reads a PEM private key: PKCS#8 (P-256 or Ed25519) or SEC 1 (P-256).
func readKey(path string) (crypto.Signer, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(raw)
	if block == nil {
		return nil, fmt.Errorf("%s: no PEM block", path)
	}
	var key any
	switch block.Type {
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(block.Bytes)
	default:
		return nil, fmt.Errorf("%s: want a PRIVATE KEY or EC PRIVATE KEY block, got %s", path, block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	s, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("%s: not a signing key", path)
	}
	return s, nil
}

func resolve(dir, path string) string {
	if filepath.IsAbs(path) || dir == "" {
		return path
	}
	return filepath.Join(dir, path)
}
