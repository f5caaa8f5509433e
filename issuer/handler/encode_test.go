package handler_test

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"testing"
)

func b64(s string) ([]byte, error) { return base64.RawURLEncoding.DecodeString(s) }
func enc(b []byte) string          { return base64.RawURLEncoding.EncodeToString(b) }

// signRaw signs with an Ed25519 key (the tests' wrong keys are Ed25519).
func signRaw(t *testing.T, k crypto.Signer, msg []byte) []byte {
	t.Helper()
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		t.Fatalf("signRaw wants an Ed25519 key, got %T", k)
	}
	return ed25519.Sign(priv, msg)
}

func otherKey() ed25519.PrivateKey {
	_, k, _ := ed25519.GenerateKey(rand.Reader)
	return k
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
func itoa(n int64) string               { return strconv.FormatInt(n, 10) }
