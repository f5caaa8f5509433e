package sdjwt

import (
	"context"
	"encoding/json"
	"strings"
)

// VerifyJWT verifies a plain JWS compact serialisation of typ with the
// same key discovery as issuer-signed JWTs (opts.Keys, opts.Algorithms,
// opts.Limits): for a Status List Token (typ statuslist+jwt), which an
// SD-JWT VC's issuer signs with the keys it signs credentials with. It
// returns the payload, iss filled in from the key's issuer when the token
// has none (an x5c-identified signer), and the key. Time claims are the
// caller's to check.
func VerifyJWT(ctx context.Context, token, typ string, opts Options) (map[string]any, *IssuerKey, error) {
	if len(token) > opts.Limits.maxBytes() {
		return nil, nil, newError(CodeTooLarge, "token of %d bytes exceeds %d", len(token), opts.Limits.maxBytes())
	}
	token = strings.TrimSpace(token)
	t := &Token{issuerJWT: token}
	if err := t.parseIssuerJWT(opts.Limits); err != nil {
		return nil, nil, err
	}
	if !opts.algAllowed(t.header.Alg) {
		return nil, nil, newError(CodeAlgNotAllowed, "alg %q is not allowed", clip(t.header.Alg))
	}
	if t.header.Typ != typ {
		return nil, nil, newError(CodeType, "typ %q is not %s", clip(t.header.Typ), typ)
	}
	iss, isString := t.payload["iss"].(string)
	if _, has := t.payload["iss"]; has && !isString {
		return nil, nil, newError(CodeClaims, "iss is not a string")
	}
	key, err := t.issuerKey(ctx, opts, iss)
	if err != nil {
		return nil, nil, err
	}
	pub, err := fit(t.header.Alg, key.PublicKey)
	if err != nil {
		return nil, nil, wrapError(CodeSignature, err, "the key does not fit alg %s", t.header.Alg)
	}
	payload, err := t.jws.Verify(pub)
	if err != nil {
		return nil, nil, wrapError(CodeSignature, err, "the signature does not verify")
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil || claims == nil {
		return nil, nil, newError(CodeMalformed, "the payload is not a JSON object")
	}
	if !isString && key.Issuer != "" {
		claims["iss"] = key.Issuer
	}
	return claims, key, nil
}
