package jwtvc

import "sync"

// Token is a JWS compact serialisation parsed once: its header and payload
// are readable before anything is trusted (query matching), and the same
// parse is what VerifyCredentialToken and VerifyEnvelopeToken check, so a
// token is never read under two sets of rules.
type Token struct {
	raw string
	s   *signed

	once sync.Once
	cred *Credential // the credential view, decoded once
	win  window
	err  error
}

// Parse reads token (at most opts.MaxTokenBytes) with go-jose and decodes
// its payload, which must be a JSON object. Any alg go-jose knows parses;
// the allowed ones are checked at verification.
func Parse(token string, opts Options) (*Token, error) {
	s, err := parseAny(token, opts)
	if err != nil {
		return nil, err
	}
	return &Token{raw: token, s: s}, nil
}

// Raw is the compact serialisation.
func (t *Token) Raw() string { return t.raw }

// Alg is the protected header's alg.
func (t *Token) Alg() string { return t.s.alg }

// Claims is the payload, unverified. The map is shared: do not modify it.
func (t *Token) Claims() map[string]any { return t.s.claims }

// IsPresentation reports whether the token is a presentation: a vp
// claim (VC Data Model 1.1), or a 2.0 presentation (vp+jwt).
func (t *Token) IsPresentation() bool {
	if _, ok := t.s.claims["vp"]; ok {
		return true
	}
	_, _, ok := presentationOf(t.s)
	return ok
}

// Presentation is a presentation token's presentation object, unverified:
// the vp claim, or a vp+jwt's payload (nil for a credential). The map is
// shared: do not modify it.
func (t *Token) Presentation() map[string]any {
	vp, _, _ := presentationOf(t.s)
	return vp
}

// PresentationFormat is jwt_vp_json or vp+jwt ("" for a credential).
func (t *Token) PresentationFormat() string {
	_, f, _ := presentationOf(t.s)
	return f
}

// CredentialView is the token read as a credential (VC Data Model 1.1 vc
// claim with iss, jti, sub, nbf and exp filled in; or a 2.0 payload),
// unverified: what query filters see, by the rules verification applies.
// The map is shared: do not modify it.
func (t *Token) CredentialView() (map[string]any, error) {
	c, _, err := t.credential()
	if err != nil {
		return nil, err
	}
	return c.VC, nil
}

func (t *Token) credential() (*Credential, window, error) {
	t.once.Do(func() { t.cred, t.win, t.err = decodeCredential(t.raw, t.s) })
	return t.cred, t.win, t.err
}
