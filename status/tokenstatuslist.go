package status

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"
)

// TypeTokenStatusList names IETF Token Status List entries in a Result
// (draft-ietf-oauth-status-list: status.status_list.{uri, idx} in a JWT,
// SD-JWT VC or other JOSE token).
const TypeTokenStatusList = "TokenStatusList"

// Status types of a Token Status List (draft-ietf-oauth-status-list §7.1).
const (
	TokenStatusValid     = 0x00 // "VALID"
	TokenStatusInvalid   = 0x01 // "INVALID": revoked
	TokenStatusSuspended = 0x02 // "SUSPENDED"
)

// typStatusList is the Status List Token's typ: §5.1 "typ: REQUIRED. The
// JWT type MUST be statuslist+jwt."
const typStatusList = "statuslist+jwt"

// TokenListVerifier verifies a Status List Token as fetched (a JWS compact
// serialisation whose typ is statuslist+jwt, already checked) and returns
// its claims, iss set to the issuer its signature establishes (filled in
// when the token names its signer otherwise, by x5c). §5.1: "Relying
// Parties MUST reject JWTs with an invalid signature." The verifier wires
// its JOSE verification and key discovery here.
type TokenListVerifier func(ctx context.Context, token []byte, contentType string) (map[string]any, error)

// tokenListKind is the cache's kind of a Token Status List.
const tokenListKind = "TokenStatusList"

// CheckTokenStatus checks entry idx of the Token Status List at uri, the
// status.status_list of a credential issued by issuer (as the verifier
// established it: the SD-JWT VC's iss, or who its x5c names). The list is
// fetched through Options.Fetcher, verified by Options.VerifyTokenList,
// checked (sub = uri, iat, exp, bits 1, 2, 4 or 8) and cached for the
// shorter of Options.CacheTTL, its ttl and the time to its exp. The
// error is nil when the credential may be accepted: VALID (or Unknown
// with FailOpen); otherwise it wraps ErrRevoked (INVALID), ErrSuspended
// or ErrUnknown (unreachable, unverifiable or malformed list, an index
// out of range, an application-specific status).
func (c *Checker) CheckTokenStatus(ctx context.Context, uri string, idx uint64, issuer string) (Result, error) {
	r := Result{Type: TypeTokenStatusList, ID: uri, Index: idx}
	c.checkToken(ctx, uri, idx, issuer, &r)
	if r.Err != nil {
		r.State = Unknown
	}
	rep, err := c.report([]Result{r})
	return rep.Results[0], err
}

func (c *Checker) checkToken(ctx context.Context, uri string, idx uint64, issuer string, r *Result) {
	if err := ctx.Err(); err != nil {
		r.Err = err
		return
	}
	// §6.1: "uri: REQUIRED … a String value that identifies the Status
	// List Token"; "idx: REQUIRED … a non-negative Integer".
	if uri == "" {
		r.Err = fmt.Errorf("%w: status_list has no uri", ErrMalformed)
		return
	}
	if idx > maxListIndex {
		r.Err = fmt.Errorf("%w: status_list.idx %d exceeds %d", ErrMalformed, idx, uint64(maxListIndex))
		return
	}
	l, err := c.tokenList(ctx, uri)
	if err != nil {
		r.Err = err
		return
	}
	if l.issuer != issuer && !c.opts.AllowForeignListIssuer {
		r.Err = fmt.Errorf("%w: the status list at %s is issued by %q, the credential by %q", ErrMalformed, clip(uri), clip(l.issuer), clip(issuer))
		return
	}
	v, err := tokenStatusAt(l.bits, l.size, idx)
	if err != nil {
		// §8.3 step 6: "If the provided index is out of bounds of the Status
		// List, no statement about the status of the Referenced Token can be
		// made and the Referenced Token MUST be rejected."
		r.Err = fmt.Errorf("%w: %s: %v", ErrMalformed, clip(uri), err)
		return
	}
	switch v {
	case TokenStatusValid:
		r.State = Active
	case TokenStatusInvalid:
		r.State, r.Purpose = Revoked, PurposeRevocation
	case TokenStatusSuspended:
		r.State, r.Purpose = Suspended, PurposeSuspension
	default:
		// 0x03 and 0x0C–0x0F are application specific, the rest reserved:
		// nothing this verifier can vouch for.
		r.Err = fmt.Errorf("%w: status value 0x%02x", ErrUnsupported, v)
	}
}

// tokenList returns the verified Status List Token at uri, from the cache
// or fetched.
func (c *Checker) tokenList(ctx context.Context, uri string) (*list, error) {
	key := typStatusList + " " + uri // apart from W3C lists at the same URL
	if l, _ := c.lists.Get(key); l != nil && l.kind == tokenListKind {
		return l, nil
	}
	if c.opts.Fetcher == nil || c.opts.VerifyTokenList == nil {
		return nil, fmt.Errorf("%w: no status list fetcher or token verifier configured", ErrUnsupported)
	}
	raw, contentType, err := c.opts.Fetcher.Fetch(ctx, uri)
	if err != nil {
		return nil, err
	}
	raw = bytes.TrimSpace(raw)
	if typ, err := jwsType(raw); err != nil || typ != typStatusList {
		return nil, fmt.Errorf("%w: the status list at %s is not a statuslist+jwt", ErrMalformed, clip(uri))
	}
	claims, err := c.opts.VerifyTokenList(ctx, raw, contentType)
	if err != nil {
		return nil, fmt.Errorf("status list token %s: %w", clip(uri), err)
	}
	now := c.opts.Now()
	l, ttl, err := parseTokenList(claims, uri, now, c.opts.MaxListLen)
	if err != nil {
		return nil, fmt.Errorf("status list token %s: %w", clip(uri), err)
	}
	c.lists.Put(key, l, ttl)
	return l, nil
}

// jwsType reads the typ of a compact JWS's protected header, unverified
// (the verifier then checks the signature over that same header).
func jwsType(raw []byte) (string, error) {
	enc, _, ok := strings.Cut(string(raw), ".")
	if !ok {
		return "", fmt.Errorf("not a JWS")
	}
	b, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil {
		return "", err
	}
	var h struct {
		Typ string `json:"typ"`
	}
	if err := json.Unmarshal(b, &h); err != nil {
		return "", err
	}
	return h.Typ, nil
}

// parseTokenList checks a verified Status List Token's claims (§5.1, §8.3
// step 3 and 4) and decodes its list; ttl is how long it may be cached.
func parseTokenList(claims map[string]any, uri string, now time.Time, maxLen int64) (*list, time.Duration, error) {
	// §5.1 "sub: REQUIRED … The value MUST be equal to that of the uri
	// claim contained in the status_list claim of the Referenced Token."
	if sub, _ := claims["sub"].(string); sub != uri {
		return nil, 0, fmt.Errorf("%w: sub is not the uri of the credential's status_list", ErrMalformed)
	}
	// §5.1 "iat: REQUIRED".
	if _, ok := numericDate(claims["iat"]); !ok {
		return nil, 0, fmt.Errorf("%w: no iat NumericDate", ErrMalformed)
	}
	var ttl time.Duration
	// §8.3 4.c: "If the expiration time is defined (exp or 4), it MUST be
	// checked if the Status List Token is expired".
	if v, has := claims["exp"]; has {
		exp, ok := numericDate(v)
		if !ok {
			return nil, 0, fmt.Errorf("%w: exp is not a NumericDate", ErrMalformed)
		}
		if !now.Before(exp.Add(listSkew)) {
			return nil, 0, fmt.Errorf("%w: the status list expired at %s", ErrMalformed, exp.Format(time.RFC3339))
		}
		ttl = max(exp.Sub(now), time.Second)
	}
	if v, has := claims["nbf"]; has {
		if nbf, ok := numericDate(v); !ok || now.Add(listSkew).Before(nbf) {
			return nil, 0, fmt.Errorf("%w: the status list is not valid yet", ErrMalformed)
		}
	}
	// §5.1 "ttl: … MUST specify the maximum amount of time, in seconds,
	// that the Status List Token can be cached by a consumer … MUST be a
	// positive number".
	if v, has := claims["ttl"]; has {
		s, ok := v.(float64)
		if !ok || !(s > 0) || s > math.MaxInt64/float64(time.Second) {
			return nil, 0, fmt.Errorf("%w: ttl is not a positive number", ErrMalformed)
		}
		if d := time.Duration(s * float64(time.Second)); ttl == 0 || d < ttl {
			ttl = max(d, time.Second)
		}
	}
	// §5.1 "status_list: REQUIRED"; §4.2 "bits: REQUIRED … The allowed
	// values for bits are 1, 2, 4, and 8", "lst: REQUIRED".
	sl, ok := claims["status_list"].(map[string]any)
	if !ok {
		return nil, 0, fmt.Errorf("%w: no status_list object", ErrMalformed)
	}
	bits, _ := sl["bits"].(float64)
	switch bits {
	case 1, 2, 4, 8:
	default:
		return nil, 0, fmt.Errorf("%w: status_list.bits %v is not 1, 2, 4 or 8", ErrMalformed, sl["bits"])
	}
	lst, _ := sl["lst"].(string)
	b, err := DecodeTokenStatusList(lst, maxLen)
	if err != nil {
		return nil, 0, err
	}
	iss, _ := claims["iss"].(string)
	return &list{kind: tokenListKind, issuer: iss, bits: b, size: int(bits)}, ttl, nil
}

// DecodeTokenStatusList decodes a Token Status List's lst: base64url of
// a ZLIB (RFC 1950) stream (§4.1 "compresses the byte array using
// DEFLATE with the ZLIB data format"), padding tolerated. maxLen bounds
// the decompressed byte array. Errors wrap ErrMalformed.
func DecodeTokenStatusList(lst string, maxLen int64) ([]byte, error) {
	if lst == "" {
		return nil, fmt.Errorf("%w: empty status_list.lst", ErrMalformed)
	}
	z, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(lst, "="))
	if err != nil {
		return nil, fmt.Errorf("%w: status_list.lst is not base64url", ErrMalformed)
	}
	zr, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		return nil, fmt.Errorf("%w: status_list.lst zlib: %v", ErrMalformed, err)
	}
	b, err := readLimited(zr, maxLen)
	if err != nil {
		return nil, fmt.Errorf("%w: status_list.lst zlib: %v", ErrMalformed, err)
	}
	if len(b) == 0 {
		return nil, fmt.Errorf("%w: status_list.lst is an empty list", ErrMalformed)
	}
	return b, nil
}

// tokenStatusAt reads status idx of a list of bits-wide statuses: §4.1
// "Each index identifies a contiguous block of bits in the byte array,
// with the blocks being packed into bytes from the least significant bit
// ("0") to the most significant bit ("7")".
func tokenStatusAt(b []byte, bits int, idx uint64) (byte, error) {
	perByte := uint64(8 / bits)
	if idx/perByte >= uint64(len(b)) {
		return 0, fmt.Errorf("index %d is outside the list of %d entries", idx, uint64(len(b))*perByte)
	}
	shift := (idx % perByte) * uint64(bits)
	return (b[idx/perByte] >> shift) & byte(1<<bits-1), nil
}

// numericDate reads a JWT NumericDate within a sane range.
func numericDate(v any) (time.Time, bool) {
	f, ok := v.(float64)
	if !ok || math.IsNaN(f) || f < 0 || f > 1e11 {
		return time.Time{}, false
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)), true
}
