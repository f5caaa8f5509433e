package jwk

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/internal/ttlcache"
)

// Prefix is the scheme and method of every did:jwk.
const Prefix = "did:jwk:"

// maxDIDLength bounds the identifier before decoding it: a P-256 or
// Ed25519 JWK is well under 200 characters.
const maxDIDLength = 2048

// Resolver resolves did:jwk DIDs. The zero value is ready to use.
type Resolver struct{}

var _ did.Resolver = Resolver{}

// New returns the did:jwk resolver.
func New() did.Resolver { return Resolver{} }

// Resolve generates the document of a did:jwk. Malformed identifiers wrap
// did.ErrInvalidDID; key types did cannot use wrap did.ErrUnsupportedKey too.
func (Resolver) Resolve(ctx context.Context, id string) (*did.Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	id, _ = did.Split(id)
	if doc, ok := generated.Get(id); ok {
		return doc, nil
	}
	doc, err := generate(id)
	if err != nil {
		return nil, err
	}
	generated.Put(id, doc, 0)
	return doc, nil
}

// generated keeps documents made lately: a document is a pure function of
// its DID, and the same issuers and holders come back login after login,
// so building it anew each time is waste. Documents are shared read-only.
var generated = ttlcache.New[*did.Document](time.Hour, 4096, nil)

func generate(id string) (*did.Document, error) {
	enc, ok := strings.CutPrefix(id, Prefix)
	if !ok {
		return nil, fmt.Errorf("%w: not a did:jwk", did.ErrInvalidDID)
	}
	if len(id) > maxDIDLength {
		return nil, fmt.Errorf("%w: did:jwk longer than %d characters", did.ErrInvalidDID, maxDIDLength)
	}
	raw, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil {
		return nil, fmt.Errorf("%w: not base64url without padding: %v", did.ErrInvalidDID, err)
	}
	var key map[string]any
	if err := json.Unmarshal(raw, &key); err != nil || key == nil {
		return nil, fmt.Errorf("%w: not a JSON object", did.ErrInvalidDID)
	}
	use, _ := key["use"].(string)
	if _, err := did.JWKKey(key); err != nil {
		// An encryption-only key need not be one we can verify with.
		if !(use == "enc" && errors.Is(err, did.ErrUnsupportedKey)) {
			return nil, fmt.Errorf("%w: %w", did.ErrInvalidDID, err)
		}
		if _, private := key["d"]; private {
			return nil, fmt.Errorf("%w: the JWK has a private part", did.ErrInvalidDID)
		}
	}
	vmID := id + "#0"
	doc := map[string]any{
		"@context": []any{"https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"},
		"id":       id,
		"verificationMethod": []any{map[string]any{
			"id":           vmID,
			"type":         did.TypeJsonWebKey2020,
			"controller":   id,
			"publicKeyJwk": key,
		}},
	}
	if use != "enc" {
		for _, rel := range []string{did.Authentication, did.AssertionMethod, did.CapabilityInvocation, did.CapabilityDelegation} {
			doc[rel] = []any{vmID}
		}
	}
	if use != "sig" {
		doc[did.KeyAgreement] = []any{vmID}
	}
	d, err := did.DocumentFromMap(doc)
	if err != nil {
		return nil, fmt.Errorf("did:jwk: generated document: %w", err)
	}
	return d, nil
}

// FromJWK returns the did:jwk of a public JWK and its method id.
func FromJWK(jwk map[string]any) (id, vmID string, err error) {
	raw, err := json.Marshal(jwk)
	if err != nil {
		return "", "", err
	}
	id = Prefix + base64.RawURLEncoding.EncodeToString(raw)
	return id, id + "#0", nil
}
