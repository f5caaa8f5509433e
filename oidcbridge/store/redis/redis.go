package redis

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/loginwithiota/verifier/oidcbridge"
)

// DefaultPrefix starts every key unless Options.Prefix says otherwise.
const DefaultPrefix = "liota:oidc:"

// Options configure the store.
type Options struct {
	// Prefix starts every key; empty means DefaultPrefix.
	Prefix string
	// Now is the clock records are read against; nil means time.Now.
	Now func() time.Time
}

// Store is an oidcbridge.Store on Redis, safe for concurrent use.
type Store struct {
	client goredis.UniversalClient
	prefix string
	now    func() time.Time
}

var _ oidcbridge.Store = (*Store)(nil)

// New returns a store on client. The caller owns client and closes it.
func New(client goredis.UniversalClient, opts Options) *Store {
	s := &Store{client: client, prefix: opts.Prefix, now: opts.Now}
	if s.prefix == "" {
		s.prefix = DefaultPrefix
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// Prefix is the key prefix in use.
func (s *Store) Prefix() string { return s.prefix }

func (s *Store) Ping(ctx context.Context) error {
	if err := s.client.Ping(ctx).Err(); err != nil {
		return unavailable("ping", err)
	}
	return nil
}

func (s *Store) key(parts ...string) string {
	k := s.prefix
	for i, p := range parts {
		if i > 0 {
			k += ":"
		}
		k += p
	}
	return k
}

// subjectKey hashes the subject: a DID in a key name would show in every
// listing of the server.
func (s *Store) subjectKey(clientID, subject string) string {
	sum := sha256.Sum256([]byte(subject))
	return s.key("subject", clientID, hex.EncodeToString(sum[:16]))
}

// ttl is the time from now to t, at least a millisecond (Redis refuses 0).
func (s *Store) ttl(t time.Time) time.Duration {
	return max(t.Sub(s.now()), time.Millisecond)
}

// unavailable wraps a Redis fault; the cause stays for the log.
func unavailable(op string, err error) error {
	return fmt.Errorf("redis %s: %w: %w", op, oidcbridge.ErrUnavailable, err)
}

func encode(v any) ([]byte, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("redis: encode: %w", err)
	}
	return data, nil
}

func decode[T any](data []byte) (T, error) {
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		return v, fmt.Errorf("redis: decode: %w", err)
	}
	return v, nil
}

// get reads key; a missing key is ErrNotFound.
func (s *Store) get(ctx context.Context, key string) ([]byte, error) {
	data, err := s.client.Get(ctx, key).Bytes()
	if errors.Is(err, goredis.Nil) {
		return nil, oidcbridge.ErrNotFound
	}
	if err != nil {
		return nil, unavailable("get", err)
	}
	return data, nil
}

// setNX stores value at key until deleteAt unless the key exists.
func (s *Store) setNX(ctx context.Context, key string, value []byte, deleteAt time.Time) error {
	ok, err := s.client.SetNX(ctx, key, value, s.ttl(deleteAt)).Result()
	if err != nil {
		return unavailable("set", err)
	}
	if !ok {
		return oidcbridge.ErrExists
	}
	return nil
}
