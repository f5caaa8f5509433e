package redis

import (
	"context"
	"errors"
	"fmt"

	"github.com/loginwithiota/verifier/oidcbridge"
)

func (s *Store) CreateToken(ctx context.Context, t oidcbridge.Token) error {
	if t.ID == "" || !t.ExpiresAt.After(s.now()) {
		return errors.New("redis: a token needs an ID and an ExpiresAt in the future")
	}
	data, err := encode(t)
	if err != nil {
		return err
	}
	res, err := createTokenScript.Run(ctx, s.client,
		[]string{s.key("token", t.ID), s.subjectKey(t.ClientID, t.Subject)},
		data, t.ID, s.ttl(t.ExpiresAt).Milliseconds()).Int()
	if err != nil {
		return unavailable("create token", err)
	}
	if res == 0 {
		return oidcbridge.ErrExists
	}
	return nil
}

func (s *Store) Token(ctx context.Context, id string) (oidcbridge.Token, error) {
	data, err := s.get(ctx, s.key("token", id))
	if err != nil {
		return oidcbridge.Token{}, err
	}
	t, err := decode[oidcbridge.Token](data)
	if err != nil {
		return oidcbridge.Token{}, err
	}
	if !s.now().Before(t.ExpiresAt) {
		return oidcbridge.Token{}, oidcbridge.ErrNotFound
	}
	return t, nil
}

func (s *Store) DeleteTokens(ctx context.Context, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = s.key("token", id)
	}
	if err := s.client.Del(ctx, keys...).Err(); err != nil {
		return unavailable("delete tokens", err)
	}
	return nil
}

func (s *Store) DeleteSubjectTokens(ctx context.Context, clientID, subject string) error {
	err := deleteSubjectScript.Run(ctx, s.client, []string{s.subjectKey(clientID, subject)}, s.key("token", "")).Err()
	if err != nil {
		return unavailable("delete subject tokens", err)
	}
	return nil
}

func (s *Store) KeyRing(ctx context.Context) (oidcbridge.KeyRing, error) {
	data, err := s.get(ctx, s.key("keys"))
	if err != nil {
		return oidcbridge.KeyRing{}, err
	}
	return decode[oidcbridge.KeyRing](data)
}

func (s *Store) UpdateKeyRing(ctx context.Context, fn func(oidcbridge.KeyRing) (oidcbridge.KeyRing, error)) (oidcbridge.KeyRing, error) {
	for range maxAttempts {
		var old oidcbridge.KeyRing
		raw, err := s.get(ctx, s.key("keys"))
		switch {
		case errors.Is(err, oidcbridge.ErrNotFound):
			raw = nil
		case err != nil:
			return oidcbridge.KeyRing{}, err
		default:
			if old, err = decode[oidcbridge.KeyRing](raw); err != nil {
				return oidcbridge.KeyRing{}, err
			}
		}
		next, err := fn(old)
		if err != nil {
			return oidcbridge.KeyRing{}, err
		}
		next.Version = old.Version + 1
		data, err := encode(next)
		if err != nil {
			return oidcbridge.KeyRing{}, err
		}
		res, err := swapScript.Run(ctx, s.client, []string{s.key("keys")}, raw, data, 0).Int()
		if err != nil {
			return oidcbridge.KeyRing{}, unavailable("update keys", err)
		}
		if res == swapStored {
			return decode[oidcbridge.KeyRing](data)
		}
	}
	return oidcbridge.KeyRing{}, fmt.Errorf("redis: update keys: %w: %d conflicting writes in a row", oidcbridge.ErrUnavailable, maxAttempts)
}
