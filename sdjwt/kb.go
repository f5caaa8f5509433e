package sdjwt

import (
	"context"
	"crypto"
	"crypto/subtle"
	"encoding/json"
	"strings"

	jose "github.com/go-jose/go-jose/v4"
)

// verifyKB is RFC 9901 §7.3 step 2 and 5.
func (t *Token) verifyKB(ctx context.Context, opts Options, cnf map[string]any) (*KeyBinding, error) {
	if t.kb == "" {
		// §7.3 step 2: "If Key Binding is required and the Holder has
		// provided an SD-JWT (without Key Binding), the Verifier MUST reject
		// the presentation."
		if opts.RequireKeyBinding {
			return nil, newError(CodeKBMissing, "key binding is required and no KB-JWT was presented")
		}
		return nil, nil
	}
	jws, err := jose.ParseSignedCompact(t.kb, parseAlgorithms)
	if err != nil {
		return nil, wrapError(CodeKBMalformed, err, "the KB-JWT is not a JWS compact serialisation")
	}
	if len(jws.Signatures) != 1 {
		return nil, newError(CodeKBMalformed, "the KB-JWT has %d signatures, want 1", len(jws.Signatures))
	}
	h := jws.Signatures[0].Protected
	// §7.3 5.4: "Check that the typ of the Key Binding JWT is kb+jwt".
	if typ, _ := h.ExtraHeaders[jose.HeaderType].(string); typ != TypeKB {
		return nil, newError(CodeKBType, "the KB-JWT's typ is %q, not kb+jwt", clip(typ))
	}
	// §7.3 5.2: "The none algorithm MUST NOT be accepted."
	if !opts.algAllowed(h.Algorithm) {
		return nil, newError(CodeKBMalformed, "the KB-JWT's alg %q is not allowed", clip(h.Algorithm))
	}
	raw := jws.UnsafePayloadWithoutVerification()
	var claims map[string]any
	if jsonDepth(raw) > opts.Limits.maxDepth() || json.Unmarshal(raw, &claims) != nil || claims == nil {
		return nil, newError(CodeKBMalformed, "the KB-JWT's payload is not a JSON object")
	}
	// §4.3: "the Verifier MUST ensure that the key with which it validates
	// the signature on the Key Binding JWT is the key specified in the
	// SD-JWT as the Holder's public key."
	holder, holderID, err := holderKey(ctx, opts, cnf)
	if err != nil {
		return nil, err
	}
	pub, err := fit(h.Algorithm, holder)
	if err != nil {
		return nil, wrapError(CodeKBSignature, err, "the holder key does not fit the KB-JWT's alg %s", h.Algorithm)
	}
	// §7.3 5.3: "Validate the signature over the Key Binding JWT".
	if _, err := jws.Verify(pub); err != nil {
		return nil, wrapError(CodeKBSignature, err, "the KB-JWT's signature does not verify with the holder key")
	}
	kb := &KeyBinding{Alg: h.Algorithm, HolderKey: holder, HolderKeyID: holderID}
	if err := t.checkKBClaims(claims, opts, kb); err != nil {
		return nil, err
	}
	return kb, nil
}

func (t *Token) checkKBClaims(claims map[string]any, opts Options, kb *KeyBinding) error {
	now := opts.now()
	// §7.3 5.5: "Check that the creation time of the Key Binding JWT, as
	// determined by the iat claim, is within an acceptable window."
	iat, ok := numericDate(claims["iat"])
	if !ok {
		return newError(CodeKBIat, "the KB-JWT has no iat NumericDate")
	}
	switch {
	case iat.Before(now.Add(-opts.kbMaxAge())):
		return newError(CodeKBIat, "the KB-JWT was issued more than %s ago", opts.kbMaxAge())
	case iat.After(now.Add(opts.kbMaxFuture())):
		return newError(CodeKBIat, "the KB-JWT is issued more than %s in the future", opts.kbMaxFuture())
	}
	kb.IssuedAt = iat
	// §7.3 5.8: "Check that the Key Binding JWT is a valid JWT in all other
	// respects, per [RFC7519]".
	if v, has := claims["exp"]; has {
		if exp, ok := numericDate(v); !ok || !now.Before(exp.Add(opts.skew())) {
			return newError(CodeKBIat, "the KB-JWT has expired")
		}
	}
	if v, has := claims["nbf"]; has {
		if nbf, ok := numericDate(v); !ok || now.Add(opts.skew()).Before(nbf) {
			return newError(CodeKBIat, "the KB-JWT is not valid yet")
		}
	}
	// §7.3 5.6: "Determine that the Key Binding JWT is bound to the current
	// transaction and was created for this Verifier (replay detection) by
	// validating nonce and aud claims." The nonce is compared in constant
	// time: it is the session's secret.
	nonce, ok := claims["nonce"].(string)
	switch {
	case opts.SkipNonce && ok:
	case !ok:
		return newError(CodeKBNonce, "the KB-JWT has no string nonce")
	case opts.Nonce == "":
		return newError(CodeKBNonce, "no nonce is expected, so none can match")
	case subtle.ConstantTimeCompare([]byte(nonce), []byte(opts.Nonce)) != 1:
		return newError(CodeKBNonce, "the KB-JWT's nonce is not the one of this request")
	}
	kb.Nonce = nonce
	// §4.3: "aud: REQUIRED. The value MUST be a single string"; OID4VP B.3
	// "the aud claim MUST be the value of the Client Identifier" (the full,
	// prefixed one, §13.4), compared exactly.
	aud, ok := claims["aud"].(string)
	switch {
	case opts.SkipAudience && ok:
	case !ok:
		return newError(CodeKBAudience, "the KB-JWT's aud is not a single string")
	case opts.Audience == "":
		return newError(CodeKBAudience, "no audience is expected, so none can match")
	case aud != opts.Audience:
		return newError(CodeKBAudience, "the KB-JWT is for another audience")
	}
	kb.Audience = aud
	// §7.3 5.7: "Calculate the digest over the Issuer-signed JWT and
	// Disclosures as defined in Section 4.3.1 and verify that it matches
	// the value of the sd_hash claim in the Key Binding JWT."
	sdHash, ok := claims["sd_hash"].(string)
	if !ok {
		return newError(CodeKBSdHash, "the KB-JWT has no string sd_hash")
	}
	if subtle.ConstantTimeCompare([]byte(sdHash), []byte(digest(t.hash, t.presented))) != 1 {
		return newError(CodeKBSdHash, "sd_hash is not the hash of the presented SD-JWT")
	}
	return nil
}

// holderKey is the key cnf names: cnf.jwk (RFC 7800 §3.2), or cnf.kid as
// a DID URL through opts.Holders.
func holderKey(ctx context.Context, opts Options, cnf map[string]any) (crypto.PublicKey, string, error) {
	if cnf == nil {
		return nil, "", newError(CodeKBKey, "a KB-JWT was presented and the credential has no cnf")
	}
	if jwk, ok := cnf["jwk"].(map[string]any); ok {
		pub, err := PublicKeyFromJWK(jwk)
		if err != nil {
			return nil, "", wrapError(CodeKBKey, err, "cnf.jwk is not a usable public key")
		}
		return pub, "", nil
	}
	kid, ok := cnf["kid"].(string)
	switch {
	case !ok:
		return nil, "", newError(CodeKBKey, "cnf has neither jwk nor kid")
	case !strings.HasPrefix(kid, "did:"):
		return nil, "", newError(CodeKBKey, "cnf.kid is not a DID URL")
	case opts.Holders == nil:
		return nil, "", newError(CodeKBKey, "cnf.kid is a DID URL and no DID resolver is configured")
	}
	pub, err := opts.Holders.DIDKey(ctx, kid, PurposeAuthentication)
	if err != nil {
		return nil, "", wrapError(CodeKBKey, err, "cnf.kid cannot be resolved")
	}
	if pub == nil {
		return nil, "", newError(CodeKBKey, "cnf.kid resolved to no key")
	}
	return pub, kid, nil
}

// PrecheckKeyBinding compares a presented KB-JWT's nonce and aud with
// opts, reading its payload unverified: the cheap check a verifier runs
// on every presentation of an answer before any key is resolved or
// signature verified, so a replayed or relayed presentation costs
// nothing. Verify checks both again on the signed KB-JWT. A presentation
// without a KB-JWT passes (Verify decides whether one was required).
func (t *Token) PrecheckKeyBinding(opts Options) error {
	if t.kb == "" {
		return nil
	}
	jws, err := jose.ParseSignedCompact(t.kb, parseAlgorithms)
	if err != nil || len(jws.Signatures) != 1 {
		return newError(CodeKBMalformed, "the KB-JWT is not a JWS compact serialisation")
	}
	raw := jws.UnsafePayloadWithoutVerification()
	var claims map[string]any
	if jsonDepth(raw) > opts.Limits.maxDepth() || json.Unmarshal(raw, &claims) != nil || claims == nil {
		return newError(CodeKBMalformed, "the KB-JWT's payload is not a JSON object")
	}
	if !opts.SkipNonce {
		nonce, ok := claims["nonce"].(string)
		if !ok || opts.Nonce == "" || subtle.ConstantTimeCompare([]byte(nonce), []byte(opts.Nonce)) != 1 {
			return newError(CodeKBNonce, "the KB-JWT's nonce is not the one of this request")
		}
	}
	if !opts.SkipAudience {
		if aud, ok := claims["aud"].(string); !ok || opts.Audience == "" || aud != opts.Audience {
			return newError(CodeKBAudience, "the KB-JWT is for another audience")
		}
	}
	return nil
}
