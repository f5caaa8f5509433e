package testshared

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
)

// SignJWT signs claims with key as a compact JWS, with go-jose (an
// implementation independent of the verifier's); opts carries the headers
// (typ, kid, …) and may be nil.
func SignJWT(tb testing.TB, key jose.SigningKey, opts *jose.SignerOptions, claims any) string {
	tb.Helper()
	signer, err := jose.NewSigner(key, opts)
	if err != nil {
		tb.Fatal(err)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		tb.Fatal(err)
	}
	obj, err := signer.Sign(payload)
	if err != nil {
		tb.Fatal(err)
	}
	token, err := obj.CompactSerialize()
	if err != nil {
		tb.Fatal(err)
	}
	return token
}

// TamperJWT decodes the payload of a compact JWS, lets edit change the
// claims, and encodes them again, keeping header and signature: a token
// whose signature no longer verifies.
func TamperJWT(tb testing.TB, token string, edit func(claims map[string]any)) string {
	tb.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		tb.Fatalf("not a compact JWS: %q", token)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		tb.Fatal(err)
	}
	var claims map[string]any
	if err := json.Unmarshal(raw, &claims); err != nil {
		tb.Fatal(err)
	}
	edit(claims)
	if raw, err = json.Marshal(claims); err != nil {
		tb.Fatal(err)
	}
	parts[1] = base64.RawURLEncoding.EncodeToString(raw)
	return strings.Join(parts, ".")
}
