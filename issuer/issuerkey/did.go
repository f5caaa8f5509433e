package issuerkey

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/go-jose/go-jose/v4"

	didjwk "github.com/loginwithiota/verifier/did/jwk"
	didkey "github.com/loginwithiota/verifier/did/key"
	"github.com/loginwithiota/verifier/issuer"
)

// DID methods the issuer can speak as.
const (
	MethodKey = "key"
	MethodJWK = "jwk"
	MethodWeb = "web"
)

// Identity is the issuer's signer and, for did:web, the document to serve
// and where.
type Identity struct {
	Signer issuer.Signer
	// Document and DocumentPath are set for did:web.
	Document     map[string]any
	DocumentPath string
}

// NewIdentity makes the issuer's DID for key: did:key, did:jwk, or did:web
// of publicURL's host and path (did:web §3.1: the port's colon is
// percent-encoded, path segments become colon-separated).
func NewIdentity(key crypto.Signer, method, publicURL string) (*Identity, error) {
	pub := key.Public()
	switch method {
	case MethodKey:
		var d, vm string
		switch p := pub.(type) {
		case ed25519.PublicKey:
			d, vm = didkey.FromEd25519(p)
		case *ecdsa.PublicKey:
			var err error
			if d, vm, err = didkey.FromP256(p); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("did:key: unsupported key %T", pub)
		}
		return &Identity{Signer: issuer.Signer{DID: d, KeyID: vm, Key: key}}, nil
	case MethodJWK:
		jwk, err := publicJWK(pub)
		if err != nil {
			return nil, err
		}
		d, vm, err := didjwk.FromJWK(jwk)
		if err != nil {
			return nil, err
		}
		return &Identity{Signer: issuer.Signer{DID: d, KeyID: vm, Key: key}}, nil
	case MethodWeb:
		return webIdentity(key, publicURL)
	}
	return nil, fmt.Errorf("DID method %q: want key, jwk or web", method)
}

func webIdentity(key crypto.Signer, publicURL string) (*Identity, error) {
	u, err := url.Parse(publicURL)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("did:web needs an https public URL (did:web documents are fetched over HTTPS), got %q", publicURL)
	}
	id := "did:web:" + strings.ReplaceAll(u.Host, ":", "%3A")
	docPath := "/.well-known/did.json"
	if p := strings.Trim(u.EscapedPath(), "/"); p != "" {
		id += ":" + strings.ReplaceAll(p, "/", ":")
		docPath = "/" + p + "/did.json"
	}
	jwk, err := publicJWK(key.Public())
	if err != nil {
		return nil, err
	}
	vm := id + "#key-1"
	doc := map[string]any{
		"@context": []any{"https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"},
		"id":       id,
		"verificationMethod": []any{map[string]any{
			"id": vm, "type": "JsonWebKey2020", "controller": id, "publicKeyJwk": jwk,
		}},
		"assertionMethod": []any{vm},
		"authentication":  []any{vm},
	}
	return &Identity{Signer: issuer.Signer{DID: id, KeyID: vm, Key: key}, Document: doc, DocumentPath: docPath}, nil
}

// publicJWK is the public JWK of pub as a JSON object.
func publicJWK(pub crypto.PublicKey) (map[string]any, error) {
	raw, err := json.Marshal(jose.JSONWebKey{Key: pub})
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	return m, nil
}
