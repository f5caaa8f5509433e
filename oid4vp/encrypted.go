package oid4vp

import (
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"

	jose "github.com/go-jose/go-jose/v4"
)

// Encrypted responses (1.0 §8.3, direct_post.jwt): each request that asks
// for one publishes its own ephemeral P-256 key in client_metadata.jwks;
// the wallet posts response=<JWE> made with ECDH-ES to it, whose payload
// is the response's parameters ("The payload of the encrypted JWT
// response MUST include the contents of the response as defined in
// Section 8.1 as top-level JSON members").

// Errors of OpenResponse and PeekResponse, each its own refusal.
var (
	// ErrResponseMalformed: not a JWE compact serialisation, a header that
	// is not JSON, no kid to find the request by.
	ErrResponseMalformed = errors.New("the response is not a JWE this verifier can read")
	// ErrResponseAlg: alg is not ECDH-ES (none, a JWS, another key
	// management algorithm): "The JWE alg algorithm used MUST be equal to
	// the alg value of the chosen jwk."
	ErrResponseAlg = errors.New("the response's alg is not ECDH-ES")
	// ErrResponseEnc: enc is none of those the request published
	// (encrypted_response_enc_values_supported).
	ErrResponseEnc = errors.New("the response's enc is not one the request allows")
	// ErrResponseDecrypt: the JWE does not decrypt with the request's key
	// (encrypted to another key, or altered).
	ErrResponseDecrypt = errors.New("the response does not decrypt with the request's key")
)

// maxHeaderBytes bounds a JWE protected header before it is decoded.
const maxHeaderBytes = 4 << 10

// NewResponseKey makes a request's ephemeral P-256 key (crypto/rand).
func NewResponseKey() (*ecdsa.PrivateKey, error) {
	return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
}

// ResponseKeyBytes is the key as a session keeps it: the 32-byte scalar.
func ResponseKeyBytes(k *ecdsa.PrivateKey) ([]byte, error) {
	ek, err := k.ECDH()
	if err != nil {
		return nil, err
	}
	return ek.Bytes(), nil
}

// ParseResponseKey reads ResponseKeyBytes back.
func ParseResponseKey(b []byte) (*ecdsa.PrivateKey, error) {
	ek, err := ecdh.P256().NewPrivateKey(b)
	if err != nil {
		return nil, fmt.Errorf("oid4vp: response key: %w", err)
	}
	pub := ek.PublicKey().Bytes() // 0x04 || X || Y
	k := &ecdsa.PrivateKey{D: new(big.Int).SetBytes(b)}
	k.Curve = elliptic.P256()
	k.X, k.Y = new(big.Int).SetBytes(pub[1:33]), new(big.Int).SetBytes(pub[33:])
	return k, nil
}

// ResponseJWK is the public JWK a request publishes for k: "JWKs whose
// use parameter is absent or has the value enc are for encryption of the
// Authorization Response"; "The alg parameter MUST be present in the
// JWKs"; "Each JWK in the set MUST have a kid".
func ResponseJWK(k *ecdsa.PrivateKey, kid string) (map[string]any, error) {
	ek, err := k.PublicKey.ECDH()
	if err != nil {
		return nil, err
	}
	pub := ek.Bytes()
	enc := base64.RawURLEncoding
	return map[string]any{"kty": "EC", "crv": "P-256", "x": enc.EncodeToString(pub[1:33]), "y": enc.EncodeToString(pub[33:]),
		"kid": kid, "use": "enc", "alg": EncAlgECDHES}, nil
}

// ResponseHeader is what a response's protected header says, unverified.
type ResponseHeader struct {
	Alg, Enc, Kid string
	// JWE: five segments; false for a JWS or an unsecured JWT.
	JWE bool
	// State is the state of an unsecured or signed JWT's payload
	// (unverified), to find the login a wrongly protected response is for;
	// "" for a JWE.
	State string
}

// PeekResponse reads a response's header without decrypting anything: a
// JWE's alg, enc and kid (the kid names the request's key, and so its
// login), or for a JWT (three segments: a JWS, or alg none) its alg and
// payload state. 1.0 §8.3: "implementations MUST use an unsigned,
// encrypted JWT".
func PeekResponse(compact string) (ResponseHeader, error) {
	parts := strings.Split(compact, ".")
	var h ResponseHeader
	if len(parts) != 5 && len(parts) != 3 {
		return h, ErrResponseMalformed
	}
	if len(parts[0]) > maxHeaderBytes {
		return h, ErrResponseMalformed
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		return h, ErrResponseMalformed
	}
	var hdr struct {
		Alg string `json:"alg"`
		Enc string `json:"enc"`
		Kid string `json:"kid"`
		Zip string `json:"zip"`
	}
	// A compressed payload is refused: 1.0 asks for none, and it would
	// let a small JWE inflate.
	if json.Unmarshal(raw, &hdr) != nil || hdr.Zip != "" {
		return h, ErrResponseMalformed
	}
	h.Alg, h.Enc, h.Kid, h.JWE = hdr.Alg, hdr.Enc, hdr.Kid, len(parts) == 5
	if !h.JWE {
		b, err := base64.RawURLEncoding.DecodeString(parts[1])
		var p struct {
			State string `json:"state"`
		}
		if err == nil && json.Unmarshal(b, &p) == nil {
			h.State = p.State
		}
	}
	return h, nil
}

// OpenResponse decrypts a direct_post.jwt response with the request's
// key, accepting only ECDH-ES and the encs the request published, and
// returns its payload (JSON). The checks on the header come first, and
// go-jose refuses whatever else it does not know.
func OpenResponse(compact string, key *ecdsa.PrivateKey, encs []string) ([]byte, error) {
	h, err := PeekResponse(compact)
	if err != nil {
		return nil, err
	}
	if !h.JWE || h.Alg != EncAlgECDHES {
		return nil, ErrResponseAlg
	}
	if !slices.Contains(encs, h.Enc) {
		return nil, ErrResponseEnc
	}
	contentEncs := make([]jose.ContentEncryption, 0, len(encs))
	for _, e := range encs {
		contentEncs = append(contentEncs, jose.ContentEncryption(e))
	}
	jwe, err := jose.ParseEncryptedCompact(compact, []jose.KeyAlgorithm{jose.ECDH_ES}, contentEncs)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrResponseMalformed, err)
	}
	// The header of the parse is the one decrypted with: read it again.
	if jwe.Header.Algorithm != EncAlgECDHES {
		return nil, ErrResponseAlg
	}
	plain, err := jwe.Decrypt(key)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrResponseDecrypt, err)
	}
	return plain, nil
}
