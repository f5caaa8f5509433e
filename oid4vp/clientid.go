package oid4vp

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
)

// ClientIdentifier is how the verifier names itself in a 1.0 request: a
// prefix and the original client identifier within it (1.0 §5.9.1,
// "<client_id_prefix>:<orig_client_id>"). The whole string is the
// Client Identifier everywhere: "The presentation would contain the full
// verifier_attestation:example-client string as the audience (intended
// receiver) and the same full string would be used as the Client
// Identifier anywhere in the OAuth flow" (and §14.1.5, "Always Use the
// Full Client Identifier").
type ClientIdentifier struct {
	Prefix string // PrefixRedirectURI, PrefixDID, PrefixX509SanDNS, PrefixX509Hash
	Value  string // the original client identifier
}

// String is the full client identifier.
func (c ClientIdentifier) String() string {
	if c.Prefix == "" {
		return c.Value
	}
	return c.Prefix + ":" + c.Value
}

// Signed reports whether requests under the prefix are signed request
// objects: every prefix here but redirect_uri, which "cannot be signed".
func (c ClientIdentifier) Signed() bool { return c.Prefix != PrefixRedirectURI }

// Prefixes lists the client identifier prefixes this verifier can use.
func Prefixes() []string {
	return []string{PrefixDID, PrefixX509SanDNS, PrefixX509Hash, PrefixRedirectURI}
}

// CheckPrefix refuses a prefix this verifier does not speak.
func CheckPrefix(p string) error {
	for _, k := range Prefixes() {
		if p == k {
			return nil
		}
	}
	return fmt.Errorf("client identifier prefix %q is not supported (supported: %s)", clip(p), strings.Join(Prefixes(), ", "))
}

// X509Hash is the x509_hash original client identifier of a leaf
// certificate: "the base64url-encoded value of the SHA-256 hash of the
// DER-encoded X.509 certificate".
func X509Hash(leafDER []byte) string {
	h := sha256.Sum256(leafDER)
	return base64.RawURLEncoding.EncodeToString(h[:])
}
