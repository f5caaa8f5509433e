package redis

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/loginwithiota/verifier/oidcbridge"
)

func (s *Store) CreateAuthRequest(ctx context.Context, r oidcbridge.AuthRequest) error {
	if r.ID == "" || !r.DeleteAt.After(s.now()) {
		return errors.New("redis: an auth request needs an ID and a DeleteAt in the future")
	}
	data, err := encode(r)
	if err != nil {
		return err
	}
	return s.setNX(ctx, s.key("authreq", r.ID), data, r.DeleteAt)
}

func (s *Store) AuthRequest(ctx context.Context, id string) (oidcbridge.AuthRequest, error) {
	r, _, err := s.authRequest(ctx, id)
	return r, err
}

// authRequest returns the record and its stored bytes (for the swap).
func (s *Store) authRequest(ctx context.Context, id string) (oidcbridge.AuthRequest, []byte, error) {
	data, err := s.get(ctx, s.key("authreq", id))
	if err != nil {
		return oidcbridge.AuthRequest{}, nil, err
	}
	r, err := decode[oidcbridge.AuthRequest](data)
	if err != nil {
		return oidcbridge.AuthRequest{}, nil, err
	}
	if !s.now().Before(r.DeleteAt) {
		return oidcbridge.AuthRequest{}, nil, oidcbridge.ErrNotFound
	}
	return r, data, nil
}

func (s *Store) UpdateAuthRequest(ctx context.Context, id string, fn func(oidcbridge.AuthRequest) (oidcbridge.AuthRequest, error)) (oidcbridge.AuthRequest, error) {
	for range maxAttempts {
		old, raw, err := s.authRequest(ctx, id)
		if err != nil {
			return oidcbridge.AuthRequest{}, err
		}
		next, err := fn(old)
		if err != nil {
			return oidcbridge.AuthRequest{}, err
		}
		if next.ID != old.ID {
			return oidcbridge.AuthRequest{}, errors.New("redis: an update may not change the ID")
		}
		if !next.DeleteAt.After(s.now()) {
			return oidcbridge.AuthRequest{}, errors.New("redis: an updated DeleteAt must be in the future")
		}
		next.Version = old.Version + 1
		data, err := encode(next)
		if err != nil {
			return oidcbridge.AuthRequest{}, err
		}
		res, err := swapScript.Run(ctx, s.client, []string{s.key("authreq", id)},
			raw, data, s.ttl(next.DeleteAt).Milliseconds()).Int()
		if err != nil {
			return oidcbridge.AuthRequest{}, unavailable("update", err)
		}
		switch res {
		case swapStored:
			return decode[oidcbridge.AuthRequest](data)
		case swapGone:
			return oidcbridge.AuthRequest{}, oidcbridge.ErrNotFound
		}
	}
	return oidcbridge.AuthRequest{}, fmt.Errorf("redis: update: %w: %d conflicting writes in a row", oidcbridge.ErrUnavailable, maxAttempts)
}

func (s *Store) PutCode(ctx context.Context, codeHash, authRequestID string, deleteAt time.Time) error {
	return s.putIndex(ctx, s.key("code", codeHash), authRequestID, deleteAt)
}

func (s *Store) CodeAuthRequest(ctx context.Context, codeHash string) (string, error) {
	return s.getIndex(ctx, s.key("code", codeHash))
}

func (s *Store) ClaimSession(ctx context.Context, sessionID, authRequestID string, deleteAt time.Time) error {
	return s.putIndex(ctx, s.key("claim", sessionID), authRequestID, deleteAt)
}

// putIndex stores "{deleteAt ms} {value}" once; the end travels with the
// value so a read can check it on the store's clock.
func (s *Store) putIndex(ctx context.Context, key, value string, deleteAt time.Time) error {
	if value == "" || !deleteAt.After(s.now()) {
		return errors.New("redis: a value and a DeleteAt in the future are required")
	}
	return s.setNX(ctx, key, []byte(strconv.FormatInt(deleteAt.UnixMilli(), 10)+" "+value), deleteAt)
}

func (s *Store) getIndex(ctx context.Context, key string) (string, error) {
	data, err := s.get(ctx, key)
	if err != nil {
		return "", err
	}
	ms, value, ok := strings.Cut(string(data), " ")
	at, err := strconv.ParseInt(ms, 10, 64)
	if !ok || err != nil {
		return "", fmt.Errorf("redis: malformed index value at %s", key)
	}
	if !s.now().Before(time.UnixMilli(at)) {
		return "", oidcbridge.ErrNotFound
	}
	return value, nil
}
