package jwtvc

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/loginwithiota/verifier/internal/jsonx"
)

// FormatJWTVP is a VC Data Model 1.1 presentation in JWT encoding (the "vp"
// claim): OID4VP / PEX format jwt_vp_json (jwt_vp).
const FormatJWTVP = "jwt_vp_json"

// FormatVPJWT is a VC Data Model 2.0 presentation secured as a JWT
// (VC-JOSE-COSE §3.1.2, media type application/vp+jwt): the payload is
// the presentation itself, its credentials enveloped. identity.rs 1.8+
// writes it with typ vp+jwt, the nonce in the protected header and null
// iat / exp, which read as absent.
const FormatVPJWT = "vp+jwt"

// Enveloped credentials (VC Data Model 2.0 EnvelopedVerifiableCredential):
// a data: URL of the secured credential as the id.
const (
	envelopedPrefix = "data:application/vc+jwt,"
	// EnvelopedSDJWTPrefix holds a vc+sd-jwt (VC-JOSE-COSE §3.2): an
	// SD-JWT whose processed payload is the credential, which package
	// sdjwt verifies, not this one.
	EnvelopedSDJWTPrefix = "data:application/vc+sd-jwt,"
)

// presentationOf is the presentation object of a token's payload: the vp
// claim (VC Data Model 1.1), or the payload itself when it is a 2.0
// presentation (no vc or vp claim, type VerifiablePresentation, or typ
// vp+jwt).
func presentationOf(s *signed) (map[string]any, string, bool) {
	if vp, ok := s.claims["vp"].(map[string]any); ok {
		return vp, FormatJWTVP, true
	}
	if _, isVC := s.claims["vc"]; isVC {
		return nil, "", false
	}
	if _, isVP := s.claims["vp"]; isVP {
		return nil, "", false
	}
	t, _ := types(s.claims)
	if s.typ == FormatVPJWT || s.claims["@context"] != nil && slices.Contains(t, "VerifiablePresentation") {
		return s.claims, FormatVPJWT, true
	}
	return nil, "", false
}

// Presentation is a verified presentation.
type Presentation struct {
	Token      string
	Format     string // FormatJWTVP
	Algorithm  string
	Key        *Key   // the holder's key that signed it
	Holder     string // iss (or the kid's DID when iss is absent)
	ID         string // jti
	Nonce      string
	Audience   []string
	ValidFrom  time.Time // the latest of nbf and iat; zero when neither
	ValidUntil time.Time // exp; zero when absent
	IssuedAt   time.Time
	// Claims is the JWT payload: PEX descriptor paths ($.vp…) and
	// path_nested into $.vp.verifiableCredential[i] apply to it.
	Claims map[string]any
	// VP is the "vp" claim with holder and id filled in from iss and jti.
	VP map[string]any
	// CredentialTokens are the JWTs of vp.verifiableCredential, in order
	// (an enveloped credential's token taken out of its data: URL).
	CredentialTokens []string
	// Credentials are the verified credentials, in the order of
	// vp.verifiableCredential (VerifyPresentation; VerifyEnvelope leaves
	// them to the caller).
	Credentials []*Credential
}

// VerifyPresentation verifies a jwt_vp_json presentation and the
// credentials in it. The presentation must be signed by a key of its
// holder authorised for authentication, carry opts.Nonce (payload "nonce"
// or protected header "nonce"; both present must agree) and opts.Audience
// in aud (after URL normalisation, see SameAudience), and be inside its
// validity window; every credential must verify as VerifyCredential
// would. Failures are *Error (Credential ≥ 0 for a credential's); an empty
// opts.Nonce or opts.Audience is a plain error, being the caller's bug.
//
// Holder binding (credential subjects are the holder) is not checked here:
// Credentials[i].Subject and Holder are what the caller compares.
func VerifyPresentation(ctx context.Context, token string, keys KeyResolver, opts Options) (*Presentation, error) {
	p, err := VerifyEnvelope(ctx, token, keys, opts)
	if err != nil {
		return nil, err
	}
	now := opts.now()
	for i, t := range p.CredentialTokens {
		c, err := verifyCredential(ctx, t, keys, opts, now)
		if err != nil {
			if e, ok := errors.AsType[*Error](err); ok {
				e.Credential = i
			}
			return nil, err
		}
		p.Credentials = append(p.Credentials, c)
	}
	return p, nil
}

// VerifyEnvelope is VerifyPresentation without the credentials: it checks
// the presentation's own signature, nonce, audience and validity window,
// and lists its credentials' JWTs in CredentialTokens for the caller to
// verify one by one with VerifyCredential (to report on each, rather than
// stop at the first that fails). Holder binding is the caller's, as with
// VerifyPresentation.
func VerifyEnvelope(ctx context.Context, token string, keys KeyResolver, opts Options) (*Presentation, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t, err := Parse(token, opts)
	if err != nil {
		return nil, err
	}
	return VerifyEnvelopeToken(ctx, t, keys, opts)
}

// VerifyEnvelopeToken is VerifyEnvelope on a token already parsed. With
// opts.Precheck the nonce and audience, which need no key, are compared
// before the signature is checked: a replayed or relayed answer costs no
// key resolution.
func VerifyEnvelopeToken(ctx context.Context, t *Token, keys KeyResolver, opts Options) (*Presentation, error) {
	if opts.Nonce == "" && !opts.SkipNonce || opts.Audience == "" && !opts.SkipAudience {
		return nil, errors.New("jwtvc: VerifyPresentation needs Options.Nonce and Options.Audience")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	now := opts.now()
	s := t.s
	if !opts.allowed(s.alg) {
		return nil, newError(CodeAlgNotAllowed, "alg %q is not allowed", clip(s.alg))
	}
	vp, format, ok := presentationOf(s)
	if !ok {
		return nil, newError(CodeMalformed, "no vp claim")
	}
	p := &Presentation{Token: t.raw, Format: format, Algorithm: s.alg, Claims: s.claims}
	if err := p.decode(s, vp); err != nil {
		return nil, err
	}
	if vpTypes, err := types(vp); err != nil {
		return nil, err
	} else if !slices.Contains(vpTypes, "VerifiablePresentation") {
		return nil, newError(CodeMalformed, "vp.type %q lacks VerifiablePresentation", vpTypes)
	}
	claimsChecked := false
	if opts.Precheck {
		if err := p.checkClaims(s, opts); err != nil {
			return nil, err
		}
		claimsChecked = true
	}
	var err error
	if p.Key, err = s.check(ctx, keys, p.Holder, PurposeAuthentication); err != nil {
		return nil, err
	}
	if p.Holder == "" {
		p.Holder = didOf(p.Key.ID)
		p.VP["holder"] = p.Holder
	}
	if !claimsChecked {
		if err := p.checkClaims(s, opts); err != nil {
			return nil, err
		}
	}
	w, _, iat, _, err := jwtWindow(s.claims)
	if err != nil {
		return nil, err
	}
	p.IssuedAt, p.ValidFrom, p.ValidUntil = iat, w.notBefore, w.expires
	if err := w.check(now, opts.skew()); err != nil {
		return nil, err
	}
	if p.CredentialTokens, err = credentialTokens(vp["verifiableCredential"], opts.maxCredentials()); err != nil {
		return nil, err
	}
	return p, nil
}

// checkClaims compares the nonce and the audience with what opts expects.
func (p *Presentation) checkClaims(s *signed, opts Options) error {
	if !opts.SkipNonce {
		if err := p.checkNonce(s, opts.Nonce); err != nil {
			return err
		}
	}
	if !opts.SkipAudience {
		if err := p.checkAudience(opts.Audience); err != nil {
			return err
		}
	}
	return nil
}

// decode reads the registered claims and fills holder and id into VP.
func (p *Presentation) decode(s *signed, vp map[string]any) error {
	iss, err := stringClaim(s.claims, "iss")
	if err != nil {
		return err
	}
	holder, err := idOf(vp, "holder")
	if err != nil {
		return err
	}
	if iss != "" && holder != "" && iss != holder {
		return newError(CodeIssuerMismatch, "iss %q and vp.holder %q differ", clip(iss), clip(holder))
	}
	if iss == "" {
		iss = holder
	}
	p.Holder = iss
	if p.ID, err = stringClaim(s.claims, "jti"); err != nil {
		return err
	}
	p.VP = copyMap(vp)
	if iss != "" {
		p.VP["holder"] = iss
	}
	if _, ok := p.VP["id"]; !ok && p.ID != "" {
		p.VP["id"] = p.ID
	}
	switch aud := s.claims["aud"].(type) {
	case nil:
	case string:
		p.Audience = []string{aud}
	case []any:
		for i, a := range aud {
			as, ok := a.(string)
			if !ok {
				return newError(CodeMalformed, "aud[%d] is not a string", i)
			}
			p.Audience = append(p.Audience, as)
		}
	default:
		return newError(CodeMalformed, "aud is neither a string nor an array")
	}
	return nil
}

// checkNonce: OID4VP puts the nonce in the payload; IOTA's library puts it
// in the protected header. Either is signed; if both are there they must
// be the same.
func (p *Presentation) checkNonce(s *signed, want string) error {
	payload, err := stringClaim(s.claims, "nonce")
	if err != nil {
		return err
	}
	got := payload
	switch {
	case payload == "" && s.nonce == "":
		return newError(CodeNonceMismatch, "the presentation carries no nonce")
	case payload == "":
		got = s.nonce
	case s.nonce != "" && s.nonce != payload:
		return newError(CodeNonceMismatch, "header and payload nonces differ")
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return newError(CodeNonceMismatch, "nonce is not the one of this request")
	}
	p.Nonce = got
	return nil
}

func (p *Presentation) checkAudience(want string) error {
	if len(p.Audience) == 0 {
		return newError(CodeAudienceMismatch, "the presentation has no aud")
	}
	for _, a := range p.Audience {
		if SameAudience(a, want) {
			return nil
		}
	}
	return newError(CodeAudienceMismatch, "aud %q does not name %q", clipAll(p.Audience), clip(want))
}

// credentialTokens lists the JWTs of vp.verifiableCredential: strings, or
// EnvelopedVerifiableCredential objects whose id is a
// data:application/vc+jwt URL (or a data:application/vc+sd-jwt one,
// whose SD-JWT is listed as it is).
func credentialTokens(v any, limit int) ([]string, error) {
	if v == nil {
		return nil, nil
	}
	items := jsonx.Items(v)
	if len(items) > limit {
		return nil, newError(CodeMalformed, "%d credentials, at most %d accepted", len(items), limit)
	}
	out := make([]string, len(items))
	for i, it := range items {
		switch it := it.(type) {
		case string:
			out[i] = it
			continue
		case map[string]any:
			if id, ok := it["id"].(string); ok {
				if t, ok := strings.CutPrefix(id, envelopedPrefix); ok {
					out[i] = t
					continue
				}
				if t, ok := strings.CutPrefix(id, EnvelopedSDJWTPrefix); ok {
					// Listed as it is: an SD-JWT, which package sdjwt
					// verifies (VerifyPresentation refuses it as a JWT).
					out[i] = t
					continue
				}
			}
		}
		e := newError(CodeMalformed, "vp.verifiableCredential[%d] is not a JWT credential", i)
		e.Credential = i
		return nil, e
	}
	return out, nil
}

func clipAll(list []string) []string {
	out := make([]string, 0, min(len(list), 4))
	for i, s := range list {
		if i == 4 {
			out = append(out, fmt.Sprintf("… %d more", len(list)-4))
			break
		}
		out = append(out, clip(s))
	}
	return out
}

// PrecheckPresentation compares a presentation token's nonce and audience
// with opts, reading the unverified payload: the cheap checks a service
// runs on every presentation of an answer before any signature or key
// resolution. VerifyEnvelopeToken checks them again on the verified token.
func PrecheckPresentation(t *Token, opts Options) error {
	vp, _, ok := presentationOf(t.s)
	if !ok {
		return newError(CodeMalformed, "no vp claim")
	}
	p := &Presentation{}
	if err := p.decode(t.s, vp); err != nil {
		return err
	}
	return p.checkClaims(t.s, opts)
}
