package redis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/loginwithiota/verifier/session"
	"github.com/loginwithiota/verifier/session/internal/fanout"
)

var _ session.Store = (*Store)(nil)

// DefaultPrefix starts every key when Options.Prefix is empty.
const DefaultPrefix = "liota:"

// Options configures a Store.
type Options struct {
	// Prefix starts every key; empty means DefaultPrefix.
	Prefix string
	// Now is the clock used to check DeleteAt; nil means time.Now. Expiry
	// itself runs on the Redis server's clock.
	Now func() time.Time
}

// Store is a Redis-backed session.Store, safe for concurrent use.
type Store struct {
	client goredis.UniversalClient
	prefix string
	now    func() time.Time

	hub    fanout.Hub // Notifier subscribers of this instance
	mu     sync.Mutex // guards pubsub and closed
	pubsub *goredis.PubSub
	closed bool
}

// New returns a Store on client. The client is the caller's to close.
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

func (s *Store) sessionKey(id string) string  { return s.prefix + "session:" + id }
func (s *Store) stateKey(state string) string { return s.prefix + "state:" + state }

// Create stores sess; session.ErrExists if its ID or State is taken.
func (s *Store) Create(ctx context.Context, sess session.Session) error {
	if err := validate(sess, s.now()); err != nil {
		return err
	}
	data, err := json.Marshal(sess)
	if err != nil {
		return fmt.Errorf("redis: encode session: %w", err)
	}
	res, err := createScript.Run(ctx, s.client,
		[]string{s.sessionKey(sess.ID), s.stateKey(sess.State)},
		data, sess.ID, sess.DeleteAt.UnixMilli()).Int()
	if err != nil {
		return unavailable("create", err)
	}
	if res != scriptStored {
		return fmt.Errorf("redis: create: %w", session.ErrExists)
	}
	return nil
}

// Get returns the session with the website-facing id.
func (s *Store) Get(ctx context.Context, id string) (session.Session, error) {
	return s.get(ctx, id)
}

// GetByState returns the session with the wallet-facing state.
func (s *Store) GetByState(ctx context.Context, state string) (session.Session, error) {
	id, err := s.client.Get(ctx, s.stateKey(state)).Result()
	if errors.Is(err, goredis.Nil) {
		return session.Session{}, fmt.Errorf("redis: get by state: %w", session.ErrNotFound)
	}
	if err != nil {
		return session.Session{}, unavailable("get by state", err)
	}
	sess, err := s.get(ctx, id)
	if err != nil {
		return session.Session{}, err
	}
	if sess.State != state {
		// Only possible if the keys were written by something else than
		// this package; never hand a wallet another session.
		return session.Session{}, fmt.Errorf("redis: get by state: %w", session.ErrNotFound)
	}
	return sess, nil
}

// get reads and decodes one record.
func (s *Store) get(ctx context.Context, id string) (session.Session, error) {
	data, err := s.client.Get(ctx, s.sessionKey(id)).Bytes()
	if errors.Is(err, goredis.Nil) {
		return session.Session{}, fmt.Errorf("redis: get: %w", session.ErrNotFound)
	}
	if err != nil {
		return session.Session{}, unavailable("get", err)
	}
	var sess session.Session
	if err := json.Unmarshal(data, &sess); err != nil {
		return session.Session{}, fmt.Errorf("redis: decode session: %w", err)
	}
	return sess, nil
}

// Ping reports whether Redis answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.client.Ping(ctx).Err(); err != nil {
		return unavailable("ping", err)
	}
	return nil
}

// unavailable wraps a fault of Redis or of the way to it. Every such error
// is reported as session.ErrUnavailable, including server-side errors: the
// store sends only commands it knows to be valid, so a refusal (LOADING,
// READONLY, OOM, …) means the backend cannot serve now.
func unavailable(op string, err error) error {
	return fmt.Errorf("redis: %s: %w: %w", op, session.ErrUnavailable, err)
}

func validate(sess session.Session, now time.Time) error {
	switch {
	case sess.ID == "":
		return errors.New("redis: session has no ID")
	case sess.State == "":
		return errors.New("redis: session has no State")
	case !sess.DeleteAt.After(now):
		return errors.New("redis: session DeleteAt is not in the future")
	}
	return nil
}
