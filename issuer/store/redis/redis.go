package redis

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/loginwithiota/verifier/issuer"
)

// Store is the Redis issuer.Store.
type Store struct {
	client goredis.UniversalClient
	prefix string
}

var _ issuer.Store = (*Store)(nil)

// Options tune the store.
type Options struct {
	// Prefix starts every key (default "liota-issuer:").
	Prefix string
}

// New returns a store on client; the caller owns and closes the client.
func New(client goredis.UniversalClient, o Options) *Store {
	if o.Prefix == "" {
		o.Prefix = "liota-issuer:"
	}
	return &Store{client: client, prefix: o.Prefix}
}

func (s *Store) key(kind issuer.Kind, key string) string {
	return s.prefix + string(kind) + ":" + key
}

// Create implements issuer.Store.
func (s *Store) Create(ctx context.Context, kind issuer.Kind, key string, value []byte, expires time.Time) error {
	if !expires.After(time.Now()) {
		return nil // born expired: as if created and gone
	}
	ok, err := s.client.SetArgs(ctx, s.key(kind, key), value, goredis.SetArgs{Mode: "NX", ExpireAt: expires}).Result()
	if errors.Is(err, goredis.Nil) || (err == nil && ok != "OK") {
		return issuer.ErrExists
	}
	if err != nil {
		return fmt.Errorf("redis create: %w", err)
	}
	return nil
}

// Get implements issuer.Store.
func (s *Store) Get(ctx context.Context, kind issuer.Kind, key string) ([]byte, error) {
	v, err := s.client.Get(ctx, s.key(kind, key)).Bytes()
	if errors.Is(err, goredis.Nil) {
		return nil, issuer.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("redis get: %w", err)
	}
	return v, nil
}

// casScript replaces KEYS[1] with ARGV[2] (or deletes it when ARGV[3] is
// "del") only while it still holds ARGV[1]; SET KEEPTTL keeps the expiry.
// 1: written, 0: the value changed or the key is gone.
var casScript = goredis.NewScript(`
local cur = redis.call('GET', KEYS[1])
if cur ~= ARGV[1] then return 0 end
if ARGV[3] == 'del' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL') end
return 1`)

// maxAttempts bounds Update's retries under contention.
const maxAttempts = 100

// Update implements issuer.Store.
func (s *Store) Update(ctx context.Context, kind issuer.Kind, key string, fn func([]byte) ([]byte, error)) error {
	k := s.key(kind, key)
	for range maxAttempts {
		old, err := s.client.Get(ctx, k).Bytes()
		if errors.Is(err, goredis.Nil) {
			return issuer.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("redis update: %w", err)
		}
		next, err := fn(bytes.Clone(old))
		if err != nil {
			return err
		}
		mode := "set"
		if next == nil {
			mode = "del"
		}
		n, err := casScript.Run(ctx, s.client, []string{k}, old, next, mode).Int()
		if err != nil {
			return fmt.Errorf("redis update: %w", err)
		}
		if n == 1 {
			return nil
		}
	}
	return fmt.Errorf("redis update: %d attempts lost to concurrent writers", maxAttempts)
}

// Take implements issuer.Store.
func (s *Store) Take(ctx context.Context, kind issuer.Kind, key string) ([]byte, error) {
	v, err := s.client.GetDel(ctx, s.key(kind, key)).Bytes()
	if errors.Is(err, goredis.Nil) {
		return nil, issuer.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("redis take: %w", err)
	}
	return v, nil
}

// Delete implements issuer.Store.
func (s *Store) Delete(ctx context.Context, kind issuer.Kind, key string) error {
	if err := s.client.Del(ctx, s.key(kind, key)).Err(); err != nil {
		return fmt.Errorf("redis delete: %w", err)
	}
	return nil
}

// Ping implements issuer.Store.
func (s *Store) Ping(ctx context.Context) error {
	return s.client.Ping(ctx).Err()
}
