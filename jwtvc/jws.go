package jwtvc

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"encoding/json"
	"fmt"
	"strings"

	jose "github.com/go-jose/go-jose/v4"
)

// parseAlgorithms is every alg go-jose knows, so that a token signed with
// one we refuse is reported as alg_not_allowed rather than malformed; the
// allowed ones are checked right after parsing, before any key is used.
var parseAlgorithms = []jose.SignatureAlgorithm{
	jose.EdDSA, jose.ES256, jose.ES384, jose.ES512, jose.RS256, jose.RS384, jose.RS512,
	jose.PS256, jose.PS384, jose.PS512, jose.HS256, jose.HS384, jose.HS512,
}

// signed is a parsed JWS whose signature is not checked yet.
type signed struct {
	jws                  *jose.JSONWebSignature
	alg, kid, typ, nonce string
	claims               map[string]any // the payload, unverified until check
}

// parse reads a JWS compact serialisation with go-jose, checks its alg
// against opts and decodes its payload, which must be a JSON object.
func parse(token string, opts Options) (*signed, error) {
	s, err := parseAny(token, opts)
	if err != nil {
		return nil, err
	}
	if !opts.allowed(s.alg) {
		return nil, newError(CodeAlgNotAllowed, "alg %q is not allowed", clip(s.alg))
	}
	return s, nil
}

// Peek decodes a JWS compact serialisation without verifying it: the alg
// of its protected header (whatever it is) and its payload, which must be
// a JSON object. It is for reading a token before trusting it (Presentation
// Exchange matching); only VerifyPresentation and VerifyCredential
// establish that the claims can be trusted.
func Peek(token string) (alg string, claims map[string]any, err error) {
	s, err := parseAny(token, Options{})
	if err != nil {
		return "", nil, err
	}
	return s.alg, s.claims, nil
}

func parseAny(token string, opts Options) (*signed, error) {
	if len(token) > opts.maxTokenBytes() {
		return nil, newError(CodeMalformed, "token of %d bytes exceeds %d", len(token), opts.maxTokenBytes())
	}
	jws, err := jose.ParseSignedCompact(token, parseAlgorithms)
	if err != nil {
		return nil, &Error{Code: CodeMalformed, Credential: -1, Reason: "not a JWS compact serialisation", Err: err}
	}
	if len(jws.Signatures) != 1 {
		return nil, newError(CodeMalformed, "%d signatures, want 1", len(jws.Signatures))
	}
	h := jws.Signatures[0].Protected
	s := &signed{jws: jws, alg: h.Algorithm, kid: h.KeyID, nonce: h.Nonce}
	if typ, ok := h.ExtraHeaders[jose.HeaderType].(string); ok {
		s.typ = typ
	}
	if err := json.Unmarshal(jws.UnsafePayloadWithoutVerification(), &s.claims); err != nil || s.claims == nil {
		return nil, newError(CodeMalformed, "payload is not a JSON object")
	}
	return s, nil
}

// check resolves the signing key for purpose and verifies the signature.
// issuer is the DID the token speaks for: the kid must be one of its
// verification methods. A relative kid ("#key-1") is taken against it; no
// kid at all means the bare DID.
func (s *signed) check(ctx context.Context, keys KeyResolver, issuer string, purpose Purpose) (*Key, error) {
	kid := s.kid
	switch {
	case kid == "":
		kid = issuer
	case strings.HasPrefix(kid, "#"):
		kid = issuer + kid
	}
	if kid == "" {
		return nil, newError(CodeMalformed, "neither kid nor issuer")
	}
	if issuer != "" && didOf(kid) != issuer {
		return nil, newError(CodeIssuerMismatch, "kid %q is not a key of %q", clip(kid), clip(issuer))
	}
	key, err := keys.ResolveKey(ctx, kid, purpose)
	if err != nil {
		return nil, &Error{Code: CodeKeyResolution, Credential: -1,
			Reason: fmt.Sprintf("cannot resolve %q for %s", clip(kid), purpose), Err: err}
	}
	if key == nil || key.PublicKey == nil {
		return nil, newError(CodeKeyResolution, "resolver returned no key for %q", clip(kid))
	}
	pub, err := fit(s.alg, key.PublicKey)
	if err != nil {
		return nil, newError(CodeInvalidSignature, "key %q: %v", clip(kid), err)
	}
	if _, err := s.jws.Verify(pub); err != nil {
		return nil, &Error{Code: CodeInvalidSignature, Credential: -1,
			Reason: fmt.Sprintf("signature does not verify with %q", clip(kid)), Err: err}
	}
	if key.ID == "" {
		key.ID = kid
	}
	return key, nil
}

// fit checks that the key is the kind alg needs (RFC 8037 EdDSA with
// Ed25519; RFC 7518 ES256 with P-256) and returns it in go-jose's form.
func fit(alg string, pub any) (any, error) {
	switch alg {
	case AlgEdDSA:
		if k, ok := pub.(ed25519.PublicKey); ok && len(k) == ed25519.PublicKeySize {
			return k, nil
		}
	case AlgES256:
		var k *ecdsa.PublicKey
		switch v := pub.(type) {
		case *ecdsa.PublicKey:
			k = v
		case ecdsa.PublicKey:
			k = &v
		}
		if k != nil && k.Curve == elliptic.P256() {
			return k, nil
		}
	}
	return nil, fmt.Errorf("a %T cannot verify %s", pub, alg)
}

// didOf returns the DID of a DID URL (drops fragment, query and path).
func didOf(u string) string {
	if i := strings.IndexByte(u, '#'); i >= 0 {
		u = u[:i]
	}
	if i := strings.IndexAny(u, "/?"); i >= 0 {
		u = u[:i]
	}
	return u
}
