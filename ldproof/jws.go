package ldproof

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strings"
)

// JWS algorithms of the detached signatures.
const (
	algEdDSA = "EdDSA"
	algES256 = "ES256"
)

// maxJWSChars bounds proof.jws before decoding.
const maxJWSChars = 2048

// verifyJWSProof is the Verify of the detached-JWS suites
// (Ed25519Signature2018, JsonWebSignature2020): proof.jws must be a
// detached JWS, in one of algs, over the linked-data verify data of in
// with the suite's contexts.
func verifyJWSProof(ctx context.Context, in *Input, suite string, contexts []string, algs ...string) error {
	jws, ok := in.Proof["jws"].(string)
	if !ok || jws == "" {
		return newError(CodeMalformedProof, "%s proof has no jws string", suite)
	}
	return verifyLinkedData(ctx, in, contexts, func(data []byte) error {
		return verifyDetachedJWS(jws, data, in.Key.PublicKey, algs...)
	})
}

// signJWSProof is the sign of the detached-JWS suites: in.Proof with jws
// set to what verifyJWSProof checks.
func signJWSProof(in *Input, priv crypto.Signer, contexts []string) (map[string]any, error) {
	data, err := linkedDataVerifyData(context.Background(), in, contexts...)
	if err != nil {
		return nil, err
	}
	jws, err := signDetachedJWS(data, priv)
	if err != nil {
		return nil, err
	}
	out := withoutMember(in.Proof, "jws")
	out["jws"] = jws
	return out, nil
}

// verifyDetachedJWS checks a JWS with a detached, unencoded payload
// (RFC 7797, "b64": false, which "crit" must name): header..signature over
// ASCII(BASE64URL(header)) || "." || payload.
func verifyDetachedJWS(jws string, payload []byte, key crypto.PublicKey, algs ...string) error {
	if len(jws) > maxJWSChars {
		return newError(CodeInvalidSignature, "jws is %d characters, too long", len(jws))
	}
	h, rest, ok := strings.Cut(jws, ".")
	empty, s, ok2 := strings.Cut(rest, ".")
	if !ok || !ok2 || empty != "" {
		return newError(CodeMalformedProof, "jws is not a detached JWS (header..signature)")
	}
	rawHeader, err := base64.RawURLEncoding.DecodeString(h)
	if err != nil {
		return &Error{Code: CodeMalformedProof, Reason: "jws header is not base64url", Err: err}
	}
	var header struct {
		Alg  string   `json:"alg"`
		B64  *bool    `json:"b64"`
		Crit []string `json:"crit"`
	}
	if err := json.Unmarshal(rawHeader, &header); err != nil {
		return &Error{Code: CodeMalformedProof, Reason: "jws header is not a JSON object", Err: err}
	}
	if header.B64 == nil || *header.B64 || !slices.Contains(header.Crit, "b64") {
		return newError(CodeMalformedProof, `jws header must have "b64": false and "crit": ["b64"] (RFC 7797)`)
	}
	if !slices.Contains(algs, header.Alg) {
		return newError(CodeMalformedProof, "jws alg %q is not supported here (want %s)", clip(header.Alg), strings.Join(algs, " or "))
	}
	sig, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return &Error{Code: CodeMalformedProof, Reason: "jws signature is not base64url", Err: err}
	}
	input := make([]byte, 0, len(h)+1+len(payload))
	input = append(append(append(input, h...), '.'), payload...)
	switch header.Alg {
	case algEdDSA:
		pub, ok := key.(ed25519.PublicKey)
		if !ok {
			return newError(CodeKeyResolutionFailed, "jws alg EdDSA needs an Ed25519 key, the verification method has %T", key)
		}
		if len(sig) != ed25519.SignatureSize || !ed25519.Verify(pub, input, sig) {
			return newError(CodeInvalidSignature, "EdDSA signature does not verify: the document or proof was changed after signing, or another key signed it")
		}
	case algES256:
		pub, ok := key.(*ecdsa.PublicKey)
		if !ok || pub.Curve != elliptic.P256() {
			return newError(CodeKeyResolutionFailed, "jws alg ES256 needs a P-256 key, the verification method has %T", key)
		}
		digest := sha256.Sum256(input)
		if len(sig) != 64 || !ecdsa.Verify(pub, digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
			return newError(CodeInvalidSignature, "ES256 signature does not verify: the document or proof was changed after signing, or another key signed it")
		}
	}
	return nil
}

// signDetachedJWS makes the JWS verifyDetachedJWS checks.
func signDetachedJWS(payload []byte, priv crypto.Signer) (string, error) {
	alg := algEdDSA
	if _, ok := priv.(*ecdsa.PrivateKey); ok {
		alg = algES256
	}
	h := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"` + alg + `","b64":false,"crit":["b64"]}`))
	input := append([]byte(h+"."), payload...)
	var sig []byte
	switch k := priv.(type) {
	case ed25519.PrivateKey:
		sig = ed25519.Sign(k, input)
	case *ecdsa.PrivateKey:
		digest := sha256.Sum256(input)
		r, s, err := ecdsa.Sign(rand.Reader, k, digest[:])
		if err != nil {
			return "", err
		}
		sig = make([]byte, 64)
		r.FillBytes(sig[:32])
		s.FillBytes(sig[32:])
	default:
		return "", fmt.Errorf("ldproof: cannot make a JWS with a %T", priv)
	}
	return h + ".." + base64.RawURLEncoding.EncodeToString(sig), nil
}
