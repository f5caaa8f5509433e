package jwtvc

import (
	"context"
	"slices"
	"time"
)

// Credential formats.
const (
	// FormatJWTVC is a VC Data Model 1.1 credential in JWT encoding (the
	// "vc" claim): OID4VP / PEX format jwt_vc_json (jwt_vc).
	FormatJWTVC = "jwt_vc_json"
	// FormatVCJWT is a VC Data Model 2.0 credential secured as a JWT
	// (VC-JOSE-COSE, media type application/vc+jwt): the payload is the
	// credential itself.
	FormatVCJWT = "vc+jwt"
)

// Credential is a verified credential.
type Credential struct {
	Token      string
	Format     string // FormatJWTVC or FormatVCJWT
	Algorithm  string
	Key        *Key   // the issuer's key that signed it
	Issuer     string // iss / issuer
	Subject    string // sub / credentialSubject.id ("" when several subjects)
	ID         string // jti / id
	Types      []string
	ValidFrom  time.Time // the latest of nbf, iat, issuanceDate/validFrom; zero when none
	ValidUntil time.Time // the earliest of exp, expirationDate/validUntil; zero when none
	IssuedAt   time.Time // iat, zero when absent
	Claims     map[string]any
	// VC is the credential as a JSON object: for FormatJWTVC the "vc" claim
	// with issuer, id, credentialSubject.id, issuanceDate and
	// expirationDate filled in from iss, jti, sub, nbf and exp where it
	// lacks them (VC Data Model 1.1 §6.3.1); for FormatVCJWT the payload.
	// Credential status and PEX filters read it.
	VC map[string]any
}

// VerifyCredential verifies a credential JWT on its own: signature by a
// key of its issuer authorised for assertionMethod, and validity window.
// Nonce and Audience of opts are ignored. Failures are *Error.
func VerifyCredential(ctx context.Context, token string, keys KeyResolver, opts Options) (*Credential, error) {
	return verifyCredential(ctx, token, keys, opts, opts.now())
}

func verifyCredential(ctx context.Context, token string, keys KeyResolver, opts Options, now time.Time) (*Credential, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t, err := Parse(token, opts)
	if err != nil {
		return nil, err
	}
	return verifyCredentialToken(ctx, t, keys, opts, now)
}

// VerifyCredentialToken is VerifyCredential on a token already parsed (a
// verifier decodes each token of an answer once, for matching and for
// verification alike).
func VerifyCredentialToken(ctx context.Context, t *Token, keys KeyResolver, opts Options) (*Credential, error) {
	return verifyCredentialToken(ctx, t, keys, opts, opts.now())
}

func verifyCredentialToken(ctx context.Context, t *Token, keys KeyResolver, opts Options, now time.Time) (*Credential, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !opts.allowed(t.s.alg) {
		return nil, newError(CodeAlgNotAllowed, "alg %q is not allowed", clip(t.s.alg))
	}
	decoded, w, err := t.credential()
	if err != nil {
		return nil, err
	}
	c := *decoded
	if c.Key, err = t.s.check(ctx, keys, c.Issuer, PurposeAssertionMethod); err != nil {
		return nil, err
	}
	c.ValidFrom, c.ValidUntil = w.notBefore, w.expires
	if err := w.check(now, opts.skew()); err != nil {
		return nil, err
	}
	return &c, nil
}

// decodeCredential reads a credential's claims by the rules of its data
// model, without checking the signature.
func decodeCredential(token string, s *signed) (*Credential, window, error) {
	c := &Credential{Token: token, Algorithm: s.alg, Claims: s.claims}
	var (
		w   window
		err error
	)
	if vc, ok := s.claims["vc"].(map[string]any); ok {
		c.Format = FormatJWTVC
		w, err = c.decodeV1(vc)
	} else if _, isVP := s.claims["vp"]; !isVP && s.claims["@context"] != nil {
		c.Format = FormatVCJWT
		w, err = c.decodeV2()
	} else {
		return nil, w, newError(CodeMalformed, "neither a vc claim nor a VC Data Model 2.0 payload")
	}
	if err != nil {
		return nil, w, err
	}
	if !slices.Contains(c.Types, "VerifiableCredential") {
		return nil, w, newError(CodeMalformed, "type %q lacks VerifiableCredential", c.Types)
	}
	return c, w, nil
}

// decodeV1 reads a VC Data Model 1.1 JWT: the registered claims stand for
// credential properties, and where both are present they must agree.
func (c *Credential) decodeV1(vc map[string]any) (window, error) {
	claims := c.Claims
	w, nbf, iat, exp, err := jwtWindow(claims)
	if err != nil {
		return w, err
	}
	c.IssuedAt = iat
	iss, err := stringClaim(claims, "iss")
	if err != nil {
		return w, err
	}
	vcIssuer, err := idOf(vc, "issuer")
	if err != nil {
		return w, err
	}
	switch {
	case iss == "" && vcIssuer == "":
		return w, newError(CodeMalformed, "no iss and no vc.issuer")
	case iss != "" && vcIssuer != "" && iss != vcIssuer:
		return w, newError(CodeIssuerMismatch, "iss %q and vc.issuer %q differ", clip(iss), clip(vcIssuer))
	case iss == "":
		iss = vcIssuer
	}
	c.Issuer = iss
	if c.Subject, err = stringClaim(claims, "sub"); err != nil {
		return w, err
	}
	if c.ID, err = stringClaim(claims, "jti"); err != nil {
		return w, err
	}
	if c.Types, err = types(vc); err != nil {
		return w, err
	}
	doc := copyMap(vc)
	if _, ok := doc["issuer"]; !ok {
		doc["issuer"] = iss
	}
	if id, ok := doc["id"].(string); ok && c.ID != "" && id != c.ID {
		return w, newError(CodeMalformed, "jti %q and vc.id %q differ", clip(c.ID), clip(id))
	} else if !ok && c.ID != "" {
		doc["id"] = c.ID
	} else if ok {
		c.ID = id
	}
	switch cs := vc["credentialSubject"].(type) {
	case map[string]any:
		subject, _ := cs["id"].(string)
		switch {
		case subject != "" && c.Subject != "" && subject != c.Subject:
			return w, newError(CodeMalformed, "sub %q and credentialSubject.id %q differ", clip(c.Subject), clip(subject))
		case subject == "" && c.Subject != "":
			cs = copyMap(cs)
			cs["id"] = c.Subject
			doc["credentialSubject"] = cs
		case subject != "":
			c.Subject = subject
		}
	case []any:
	default:
		return w, newError(CodeMalformed, "vc.credentialSubject is neither an object nor an array")
	}
	for _, d := range []struct {
		member string
		t      time.Time
		from   bool
	}{{"issuanceDate", nbf, true}, {"expirationDate", exp, false}} {
		t, err := dateTime(vc, d.member)
		if err != nil {
			return w, err
		}
		switch {
		case !t.IsZero() && d.from:
			w.from(t, "vc."+d.member)
		case !t.IsZero():
			w.until(t, "vc."+d.member)
		case !d.t.IsZero():
			doc[d.member] = d.t.Format(time.RFC3339)
		}
	}
	c.VC = doc
	return w, nil
}

// decodeV2 reads a VC Data Model 2.0 payload (VC-JOSE-COSE §3.1.1: iss, if
// present, must be the issuer; nbf/exp/iat may accompany validFrom and
// validUntil).
func (c *Credential) decodeV2() (window, error) {
	claims := c.Claims
	w, _, iat, _, err := jwtWindow(claims)
	if err != nil {
		return w, err
	}
	c.IssuedAt = iat
	if c.Issuer, err = idOf(claims, "issuer"); err != nil {
		return w, err
	}
	iss, err := stringClaim(claims, "iss")
	if err != nil {
		return w, err
	}
	switch {
	case c.Issuer == "":
		return w, newError(CodeMalformed, "no issuer")
	case iss != "" && iss != c.Issuer:
		return w, newError(CodeIssuerMismatch, "iss %q and issuer %q differ", clip(iss), clip(c.Issuer))
	}
	if c.ID, err = stringClaim(claims, "id"); err != nil {
		return w, err
	}
	if c.Types, err = types(claims); err != nil {
		return w, err
	}
	if cs, ok := claims["credentialSubject"].(map[string]any); ok {
		c.Subject, _ = cs["id"].(string)
	}
	from, err := dateTime(claims, "validFrom")
	if err != nil {
		return w, err
	}
	until, err := dateTime(claims, "validUntil")
	if err != nil {
		return w, err
	}
	w.from(from, "validFrom")
	w.until(until, "validUntil")
	c.VC = claims
	return w, nil
}
