package issuer

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"math/big"
)

// newSecret returns n random bytes, base64url: codes, tokens, nonces, ids.
func newSecret(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read does not fail
	return base64.RawURLEncoding.EncodeToString(b)
}

// newTxCode returns a random transaction code of length characters, digits
// for input_mode numeric, else letters and digits without look-alikes.
func newTxCode(length int, numeric bool) string {
	alphabet := "0123456789"
	if !numeric {
		alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	}
	out := make([]byte, length)
	max := big.NewInt(int64(len(alphabet)))
	for i := range out {
		n, _ := rand.Int(rand.Reader, max)
		out[i] = alphabet[n.Int64()]
	}
	return string(out)
}

// key is the store key of a secret: its SHA-256, hex.
func key(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// ref names a record in logs: a prefix of its key, enough to correlate
// lines, useless to redeem anything.
func ref(storeKey string) string {
	if len(storeKey) > 12 {
		return storeKey[:12]
	}
	return storeKey
}

// txCodeHash binds a tx_code to its pre-authorized code: knowing the
// stored hash and the short code's alphabet is not enough to search it
// without the pre-authorized code too.
func txCodeHash(code, tx string) []byte {
	h := sha256.Sum256([]byte(code + "\x00" + tx))
	return h[:]
}

// sameHash compares two hashes in constant time.
func sameHash(a, b []byte) bool {
	return len(a) == len(b) && subtle.ConstantTimeCompare(a, b) == 1
}
