package verifier

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
)

// newSecret returns n random bytes from crypto/rand, base64url-encoded.
// State and nonce use 24 bytes (192 bits; the issue asks for at least 128).
func newSecret(n int) string {
	b := make([]byte, n)
	// crypto/rand.Read never returns an error on supported platforms (Go 1.24+).
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// tokenMatches compares in constant time (on the hashes, so the length of the
// stored value leaks nothing either).
func tokenMatches(token string, hash []byte) bool {
	if token == "" || len(hash) == 0 {
		return false
	}
	return subtle.ConstantTimeCompare(hashToken(token), hash) == 1
}

// constantEqual compares two strings in constant time.
func constantEqual(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
