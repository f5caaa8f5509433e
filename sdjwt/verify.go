package sdjwt

import (
	"context"
	"crypto"
	"errors"
	"time"
)

// Credential is a verified SD-JWT VC.
type Credential struct {
	Header Header
	// Claims is the processed payload: digests resolved, _sd, _sd_alg and
	// undisclosed array elements removed. Shared with the Token: do not
	// modify it.
	Claims      map[string]any
	Disclosures []*Disclosure
	HashAlg     string

	Issuer  string   // iss, "" when absent
	Subject string   // sub, "" when absent
	VCT     string   // vct
	AKAVCTs []string // aka_vcts
	Cnf     map[string]any
	// IssuedAt, NotBefore and Expires are zero when absent.
	IssuedAt, NotBefore, Expires time.Time
	// Status is status.status_list, nil when absent.
	Status *StatusListRef

	// IssuerKey is the key that verified the issuer signature and how it
	// was found.
	IssuerKey *IssuerKey
	// KeyBinding is the verified KB-JWT, nil when none was presented (and
	// none was required).
	KeyBinding *KeyBinding
}

// DisclosedPaths lists where each presented disclosure is in Claims
// (dcql.Credential.Disclosed).
func (c *Credential) DisclosedPaths() [][]any {
	out := make([][]any, len(c.Disclosures))
	for i, d := range c.Disclosures {
		out[i] = d.Path
	}
	return out
}

// KeyBinding is a verified KB-JWT.
type KeyBinding struct {
	Alg      string
	Nonce    string
	Audience string
	IssuedAt time.Time
	// HolderKey verified it; HolderKeyID is cnf.kid when the key came from
	// a DID, "" for cnf.jwk.
	HolderKey   crypto.PublicKey
	HolderKeyID string
}

// Verify parses compact (Parse) and verifies it (Token.Verify).
func Verify(ctx context.Context, compact string, opts Options) (*Credential, error) {
	t, err := Parse(compact, opts)
	if err != nil {
		return nil, err
	}
	return t.Verify(ctx, opts)
}

// Verify checks the parse against opts: RFC 9901 §7.1 step 2 (alg, the
// issuer signature with the key opts.Keys establishes, _sd_alg — checked
// by Parse) and step 6 (exp, nbf, iat), the SD-JWT VC claim rules
// (unless opts.Plain), then §7.3 key binding. It returns the verified
// credential; the error is an *Error, or the context's.
func (t *Token) Verify(ctx context.Context, opts Options) (*Credential, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	h := t.header
	// §7.1 2.1: "The none algorithm MUST NOT be accepted."
	if !opts.algAllowed(h.Alg) {
		return nil, newError(CodeAlgNotAllowed, "alg %q is not allowed", clip(h.Alg))
	}
	// SD-JWT VC §3.2.1: "The Issuer MUST include the typ header parameter
	// in the SD-JWT. The typ value MUST use dc+sd-jwt."
	if !opts.typAllowed(h.Typ) {
		return nil, newError(CodeType, "typ %q is not accepted", clip(h.Typ))
	}
	iss, isString := t.payload["iss"].(string)
	if _, has := t.payload["iss"]; has && !isString {
		return nil, newError(CodeClaims, "iss is not a string")
	}
	key, err := t.issuerKey(ctx, opts, iss)
	if err != nil {
		return nil, err
	}
	pub, err := fit(h.Alg, key.PublicKey)
	if err != nil {
		return nil, wrapError(CodeSignature, err, "the issuer key does not fit alg %s", h.Alg)
	}
	// §7.1 2.2: "Validate the signature over the Issuer-signed JWT".
	if _, err := t.jws.Verify(pub); err != nil {
		return nil, wrapError(CodeSignature, err, "the issuer signature does not verify")
	}
	c := &Credential{Header: h, Claims: t.claims, Disclosures: t.disc, HashAlg: t.sdAlg, IssuerKey: key}
	if err := t.readClaims(c, opts.Plain); err != nil {
		return nil, err
	}
	if err := checkWindow(c, opts.now(), opts.skew()); err != nil {
		return nil, err
	}
	kb, err := t.verifyKB(ctx, opts, c.Cnf)
	if err != nil {
		return nil, err
	}
	c.KeyBinding = kb
	return c, nil
}

func (t *Token) issuerKey(ctx context.Context, opts Options, iss string) (*IssuerKey, error) {
	if opts.Keys == nil {
		return nil, newError(CodeKeyResolution, "no issuer key source is configured")
	}
	key, err := opts.Keys.IssuerKey(ctx, KeyRequest{Alg: t.header.Alg, Kid: t.header.Kid, X5C: t.header.X5C, Issuer: iss})
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
			return nil, err
		}
		if _, ok := errors.AsType[*Error](err); ok {
			return nil, err
		}
		return nil, wrapError(CodeKeyResolution, err, "the issuer key cannot be established")
	}
	if key == nil || key.PublicKey == nil {
		return nil, newError(CodeKeyResolution, "the issuer key source returned no key")
	}
	return key, nil
}
