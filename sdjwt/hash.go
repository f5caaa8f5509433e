package sdjwt

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"hash"
)

// hasher returns the hash function of an _sd_alg name, or nil.
func hasher(name string) func() hash.Hash {
	switch name {
	case HashSHA256:
		return sha256.New
	case HashSHA384:
		return sha512.New384
	case HashSHA512:
		return sha512.New
	}
	return nil
}

// digest is base64url(hash(ASCII bytes of s)): RFC 9901 §4.2.3 "The
// digest MUST be taken over the US-ASCII bytes of the base64url-encoded
// value that is the Disclosure", and §4.3.1 the same for sd_hash.
func digest(h func() hash.Hash, s string) string {
	d := h()
	d.Write([]byte(s))
	return base64.RawURLEncoding.EncodeToString(d.Sum(nil))
}

// jsonDepth is the deepest nesting of arrays and objects in b, which
// must be JSON text (strings are skipped, escapes honoured). It runs
// before encoding/json so that a hostile document is refused before it
// is built in memory.
func jsonDepth(b []byte) int {
	depth, deepest := 0, 0
	inString, escaped := false, false
	for _, c := range b {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			depth++
			if depth > deepest {
				deepest = depth
			}
		case c == ']' || c == '}':
			depth--
		}
	}
	return deepest
}
