package memory

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/loginwithiota/verifier/oidcbridge"
)

func (s *Store) CreateAuthRequest(_ context.Context, r oidcbridge.AuthRequest) error {
	if r.ID == "" || !r.DeleteAt.After(s.now()) {
		return errors.New("memory: an auth request needs an ID and a DeleteAt in the future")
	}
	data, err := encode(r)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweep()
	if _, ok := s.live(s.requests, r.ID); ok {
		return oidcbridge.ErrExists
	}
	s.requests[r.ID] = entry{data: data, deleteAt: r.DeleteAt}
	return nil
}

func (s *Store) AuthRequest(_ context.Context, id string) (oidcbridge.AuthRequest, error) {
	s.mu.Lock()
	e, ok := s.live(s.requests, id)
	s.mu.Unlock()
	if !ok {
		return oidcbridge.AuthRequest{}, oidcbridge.ErrNotFound
	}
	return decode[oidcbridge.AuthRequest](e.data)
}

// UpdateAuthRequest runs fn under the lock: with one writer at a time the
// compare-and-set never conflicts, and fn is called once.
func (s *Store) UpdateAuthRequest(_ context.Context, id string, fn func(oidcbridge.AuthRequest) (oidcbridge.AuthRequest, error)) (oidcbridge.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.live(s.requests, id)
	if !ok {
		return oidcbridge.AuthRequest{}, oidcbridge.ErrNotFound
	}
	old, err := decode[oidcbridge.AuthRequest](e.data)
	if err != nil {
		return oidcbridge.AuthRequest{}, err
	}
	next, err := fn(old)
	if err != nil {
		return oidcbridge.AuthRequest{}, err
	}
	if next.ID != old.ID {
		return oidcbridge.AuthRequest{}, fmt.Errorf("memory: an update may not change the ID")
	}
	if !next.DeleteAt.After(s.now()) {
		return oidcbridge.AuthRequest{}, fmt.Errorf("memory: an updated DeleteAt must be in the future")
	}
	next.Version = old.Version + 1
	data, err := encode(next)
	if err != nil {
		return oidcbridge.AuthRequest{}, err
	}
	s.requests[id] = entry{data: data, deleteAt: next.DeleteAt}
	return decode[oidcbridge.AuthRequest](data)
}

func (s *Store) PutCode(_ context.Context, codeHash, authRequestID string, deleteAt time.Time) error {
	return s.putOnce(s.codes, codeHash, authRequestID, deleteAt)
}

func (s *Store) CodeAuthRequest(_ context.Context, codeHash string) (string, error) {
	return s.getString(s.codes, codeHash)
}

func (s *Store) ClaimSession(_ context.Context, sessionID, authRequestID string, deleteAt time.Time) error {
	return s.putOnce(s.claims, sessionID, authRequestID, deleteAt)
}

// putOnce sets m[key] = value unless a live value is there.
func (s *Store) putOnce(m map[string]entry, key, value string, deleteAt time.Time) error {
	if key == "" || !deleteAt.After(s.now()) {
		return errors.New("memory: a key and a DeleteAt in the future are required")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweep()
	if _, ok := s.live(m, key); ok {
		return oidcbridge.ErrExists
	}
	m[key] = entry{data: []byte(value), deleteAt: deleteAt}
	return nil
}

func (s *Store) getString(m map[string]entry, key string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.live(m, key)
	if !ok {
		return "", oidcbridge.ErrNotFound
	}
	return string(e.data), nil
}
