package issuertest

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"testing"
)

// es256 is a JWS ES256 signature: R || S, 32 bytes each (RFC 7518 §3.4).
func es256(t *testing.T, k *ecdsa.PrivateKey, input []byte) []byte {
	h := sha256.Sum256(input)
	r, s, err := ecdsa.Sign(rand.Reader, k, h[:])
	if err != nil {
		t.Fatal(err)
	}
	out := make([]byte, 64)
	r.FillBytes(out[:32])
	s.FillBytes(out[32:])
	return out
}
