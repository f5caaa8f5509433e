package status

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/loginwithiota/verifier/internal/jsonx"
)

// listSkew tolerates clock drift on a status list's validity dates.
const listSkew = time.Minute

// maxListIndex bounds statusListIndex before the list is even fetched (a
// 16 MiB bitstring has 2^27 entries).
const maxListIndex = 1 << 40

// list is a verified status list credential, reduced to what checks need.
type list struct {
	kind     string // "StatusList2021" or "BitstringStatusList"
	issuer   string
	purposes []string
	bits     []byte
	ttl      time.Duration // the list's own ttl hint (BitstringStatusList), 0 when none
	size     int           // bits per status (Token Status List)
}

// listKinds maps entry types to the credentialSubject type of their list.
var listKinds = map[string]string{
	TypeStatusList2021Entry:      "StatusList2021",
	TypeBitstringStatusListEntry: "BitstringStatusList",
}

func (c *Checker) checkList(ctx context.Context, e map[string]any, issuer string, r *Result) {
	kind := listKinds[r.Type]
	purpose, _ := e["statusPurpose"].(string)
	r.Purpose = purpose
	switch purpose {
	case PurposeRevocation, PurposeSuspension:
	case "refresh":
		// BitstringStatusList: a newer credential exists; this one stays valid.
		r.State = Active
		return
	case "":
		r.Err = fmt.Errorf("%w: %s has no statusPurpose", ErrMalformed, r.Type)
		return
	default:
		r.Err = fmt.Errorf("%w: statusPurpose %q", ErrUnsupported, clip(purpose))
		return
	}
	if size, ok := e["statusSize"]; ok && size != float64(1) {
		r.Err = fmt.Errorf("%w: statusSize %v (only 1 is supported)", ErrUnsupported, size)
		return
	}
	index, err := indexOf(e, "statusListIndex", maxListIndex)
	if err != nil {
		r.Err = err
		return
	}
	r.Index = index
	url, _ := e["statusListCredential"].(string)
	if url == "" {
		r.Err = fmt.Errorf("%w: %s has no statusListCredential", ErrMalformed, r.Type)
		return
	}
	l, err := c.list(ctx, url, kind)
	if err != nil {
		r.Err = err
		return
	}
	if !slices.Contains(l.purposes, purpose) {
		r.Err = fmt.Errorf("%w: the list at %s is for %q, the entry for %q", ErrMalformed, clip(url), l.purposes, purpose)
		return
	}
	if l.issuer != issuer && !c.opts.AllowForeignListIssuer {
		r.Err = fmt.Errorf("%w: the list at %s is issued by %q, the credential by %q", ErrMalformed, clip(url), clip(l.issuer), clip(issuer))
		return
	}
	set, err := bitAt(l.bits, index)
	if err != nil {
		r.Err = fmt.Errorf("%w: %s: %v", ErrMalformed, clip(url), err)
		return
	}
	r.State = Active
	if set && purpose == PurposeRevocation {
		r.State = Revoked
	} else if set {
		r.State = Suspended
	}
}

// list returns the status list at url, from the cache or fetched and
// verified.
func (c *Checker) list(ctx context.Context, url, kind string) (*list, error) {
	if l, _ := c.lists.Get(url); l != nil && l.kind == kind {
		return l, nil
	}
	if c.opts.Fetcher == nil || c.opts.VerifyList == nil {
		return nil, fmt.Errorf("%w: no status list fetcher or verifier configured", ErrUnsupported)
	}
	raw, contentType, err := c.opts.Fetcher.Fetch(ctx, url)
	if err != nil {
		return nil, err
	}
	cred, err := c.opts.VerifyList(ctx, raw, contentType)
	if err != nil {
		return nil, fmt.Errorf("status list credential %s: %w", clip(url), err)
	}
	l, err := parseListCredential(cred, kind, c.opts.Now(), c.opts.MaxListLen)
	if err != nil {
		return nil, fmt.Errorf("status list credential %s: %w", clip(url), err)
	}
	c.lists.Put(url, l, l.ttl) // the list's own ttl hint, when shorter
	return l, nil
}

// parseListCredential checks a verified status list credential (its type,
// subject, validity dates) and decodes its bitstring.
func parseListCredential(cred map[string]any, kind string, now time.Time, maxLen int64) (*list, error) {
	if !slices.Contains(stringsOf(cred["type"]), kind+"Credential") {
		return nil, fmt.Errorf("%w: type %v lacks %sCredential", ErrMalformed, cred["type"], kind)
	}
	cs, ok := cred["credentialSubject"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: credentialSubject is not one object", ErrMalformed)
	}
	if t, _ := cs["type"].(string); t != kind {
		return nil, fmt.Errorf("%w: credentialSubject.type %q, want %s", ErrMalformed, clip(t), kind)
	}
	if err := checkValidity(cred, now); err != nil {
		return nil, err
	}
	l := &list{kind: kind, issuer: jsonx.ID(cred["issuer"]), purposes: stringsOf(cs["statusPurpose"])}
	if len(l.purposes) == 0 {
		return nil, fmt.Errorf("%w: credentialSubject has no statusPurpose", ErrMalformed)
	}
	encoded, _ := cs["encodedList"].(string)
	bits, err := DecodeStatusList(encoded, maxLen)
	if err != nil {
		return nil, err
	}
	l.bits = bits
	if ttl, ok := cs["ttl"].(float64); ok && ttl > 0 && ttl < math.MaxInt64/float64(time.Millisecond) {
		l.ttl = time.Duration(ttl) * time.Millisecond
	}
	return l, nil
}

// checkValidity applies validFrom/validUntil (VC 2.0) and
// issuanceDate/expirationDate (VC 1.1): a stale list says nothing.
func checkValidity(cred map[string]any, now time.Time) error {
	for _, d := range []struct {
		name  string
		after bool // the list is valid from this date
	}{{"validFrom", true}, {"issuanceDate", true}, {"validUntil", false}, {"expirationDate", false}} {
		s, ok := cred[d.name].(string)
		if !ok {
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return fmt.Errorf("%w: %s %q is not a date-time", ErrMalformed, d.name, clip(s))
		}
		if d.after && now.Before(t.Add(-listSkew)) {
			return fmt.Errorf("%w: the status list is valid only from %s", ErrMalformed, s)
		}
		if !d.after && !now.Before(t.Add(listSkew)) {
			return fmt.Errorf("%w: the status list expired at %s", ErrMalformed, s)
		}
	}
	return nil
}

// DecodeStatusList decodes an encodedList: GZIP-compressed, base64url (a
// leading multibase "u" as BitstringStatusList writes it; padding and the
// standard alphabet, which IOTA's StatusList2021 uses, tolerated). maxLen
// bounds the decompressed bitstring. Errors wrap ErrMalformed.
func DecodeStatusList(encoded string, maxLen int64) ([]byte, error) {
	if encoded == "" {
		return nil, fmt.Errorf("%w: empty encodedList", ErrMalformed)
	}
	// base64 of a gzip stream starts with "H4sI": a leading "u" can only be
	// the multibase prefix.
	encoded = strings.TrimPrefix(encoded, "u")
	z, err := decodeBase64(encoded)
	if err != nil {
		return nil, fmt.Errorf("%w: encodedList: %v", ErrMalformed, err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(z))
	if err != nil {
		return nil, fmt.Errorf("%w: encodedList gzip: %v", ErrMalformed, err)
	}
	bits, err := readLimited(zr, maxLen)
	if err != nil {
		return nil, fmt.Errorf("%w: encodedList gzip: %v", ErrMalformed, err)
	}
	if len(bits) == 0 {
		return nil, fmt.Errorf("%w: encodedList is an empty bitstring", ErrMalformed)
	}
	return bits, nil
}

// bitAt reads bit index of a status list; index 0 is the left-most
// (most significant) bit of the first byte (Bitstring Status List §4).
func bitAt(bits []byte, index uint64) (bool, error) {
	if index/8 >= uint64(len(bits)) {
		return false, fmt.Errorf("statusListIndex %d is outside the list of %d entries", index, len(bits)*8)
	}
	return bits[index/8]&(0x80>>(index%8)) != 0, nil
}

func stringsOf(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
