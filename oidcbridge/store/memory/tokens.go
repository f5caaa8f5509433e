package memory

import (
	"context"
	"errors"

	"github.com/loginwithiota/verifier/oidcbridge"
)

func (s *Store) CreateToken(_ context.Context, t oidcbridge.Token) error {
	if t.ID == "" || !t.ExpiresAt.After(s.now()) {
		return errors.New("memory: a token needs an ID and an ExpiresAt in the future")
	}
	data, err := encode(t)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweep()
	if _, ok := s.live(s.tokens, t.ID); ok {
		return oidcbridge.ErrExists
	}
	s.tokens[t.ID] = entry{data: data, deleteAt: t.ExpiresAt}
	return nil
}

func (s *Store) Token(_ context.Context, id string) (oidcbridge.Token, error) {
	s.mu.Lock()
	e, ok := s.live(s.tokens, id)
	s.mu.Unlock()
	if !ok {
		return oidcbridge.Token{}, oidcbridge.ErrNotFound
	}
	return decode[oidcbridge.Token](e.data)
}

func (s *Store) DeleteTokens(_ context.Context, ids ...string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		delete(s.tokens, id)
	}
	return nil
}

// DeleteSubjectTokens scans the tokens: a memory store holds few, and a
// logout is rare.
func (s *Store) DeleteSubjectTokens(_ context.Context, clientID, subject string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, e := range s.tokens {
		t, err := decode[oidcbridge.Token](e.data)
		if err != nil {
			return err
		}
		if t.ClientID == clientID && t.Subject == subject {
			delete(s.tokens, id)
		}
	}
	return nil
}

func (s *Store) KeyRing(context.Context) (oidcbridge.KeyRing, error) {
	s.mu.Lock()
	data := s.keyRing
	s.mu.Unlock()
	if data == nil {
		return oidcbridge.KeyRing{}, oidcbridge.ErrNotFound
	}
	return decode[oidcbridge.KeyRing](data)
}

func (s *Store) UpdateKeyRing(_ context.Context, fn func(oidcbridge.KeyRing) (oidcbridge.KeyRing, error)) (oidcbridge.KeyRing, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var old oidcbridge.KeyRing
	if s.keyRing != nil {
		var err error
		if old, err = decode[oidcbridge.KeyRing](s.keyRing); err != nil {
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
	s.keyRing = data
	return decode[oidcbridge.KeyRing](data)
}
