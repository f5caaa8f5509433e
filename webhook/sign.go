package webhook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// Standard Webhooks' header names.
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

// secretPrefix starts a secret's text form, as Standard Webhooks has it.
const secretPrefix = "whsec_"

// Secret is an endpoint's signing key. Its text form is "whsec_" and the
// key in standard base64; the key is 24 to 64 bytes (the scheme's range).
type Secret struct{ key []byte }

// ParseSecret reads a secret's text form.
func ParseSecret(s string) (Secret, error) {
	b64, ok := strings.CutPrefix(s, secretPrefix)
	if !ok {
		return Secret{}, errors.New(`a webhook secret starts with "whsec_"`)
	}
	key, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return Secret{}, errors.New("a webhook secret is whsec_ and standard base64")
	}
	if len(key) < 24 || len(key) > 64 {
		return Secret{}, fmt.Errorf("a webhook secret holds 24 to 64 bytes, this one %d", len(key))
	}
	return Secret{key: key}, nil
}

// NewSecret makes a secret from crypto/rand, in its text form (32 bytes).
func NewSecret() string {
	key := make([]byte, 32)
	_, _ = rand.Read(key) // never fails (crypto/rand since Go 1.24)
	return secretPrefix + base64.StdEncoding.EncodeToString(key)
}

// LogValue keeps the key out of logs.
func (s Secret) LogValue() slog.Value { return slog.StringValue("whsec_…") }

// String keeps the key out of formatted text.
func (s Secret) String() string { return "whsec_…" }

// Sign is the webhook-signature header of a message: "v1,<base64
// HMAC-SHA256 of id.timestamp.body>" for each secret, separated by
// spaces, so a receiver that knows either of two rotating secrets
// verifies it.
func Sign(secrets []Secret, id string, ts time.Time, body []byte) string {
	signed := make([]byte, 0, len(id)+len(body)+24)
	signed = append(signed, id...)
	signed = append(signed, '.')
	signed = strconv.AppendInt(signed, ts.Unix(), 10)
	signed = append(signed, '.')
	signed = append(signed, body...)
	sigs := make([]string, len(secrets))
	for i, s := range secrets {
		mac := hmac.New(sha256.New, s.key)
		mac.Write(signed)
		sigs[i] = "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	}
	return strings.Join(sigs, " ")
}
