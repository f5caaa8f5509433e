package oidcbridge

import (
	"crypto/sha256"
	"crypto/subtle"
	"sync"

	"golang.org/x/crypto/bcrypt"
)

// secrets checks client secrets against their bcrypt hashes. bcrypt, not
// argon2id: its hashes are self-describing strings every tool makes
// (htpasswd -B, Python's bcrypt, bcryptjs), it compares in constant time,
// and the memory hardness argon2id adds protects low-entropy passwords, not
// the random secrets clients are given, at 64 MiB per check.
//
// A bcrypt check costs tens of milliseconds of CPU, once per token request.
// The last secret that passed is remembered per client as its SHA-256 and
// compared in constant time, so a client's logins cost one bcrypt check per
// process; a wrong secret always pays the full check.
type secrets struct {
	mu     sync.Mutex
	passed map[string][sha256.Size]byte
}

func newSecrets() *secrets { return &secrets{passed: map[string][sha256.Size]byte{}} }

// verify reports whether secret is c's.
func (s *secrets) verify(c *client, secret string) bool {
	if c.public() || secret == "" {
		return false
	}
	sum := sha256.Sum256([]byte(secret))
	s.mu.Lock()
	last, ok := s.passed[c.ID]
	s.mu.Unlock()
	if ok && subtle.ConstantTimeCompare(last[:], sum[:]) == 1 {
		return true
	}
	if bcrypt.CompareHashAndPassword(c.SecretHash, []byte(secret)) != nil {
		return false
	}
	s.mu.Lock()
	s.passed[c.ID] = sum
	s.mu.Unlock()
	return true
}
