package sdjwt

import (
	"math"
	"time"
)

// StatusListRef is a credential's Token Status List entry
// (status.status_list of draft-ietf-oauth-status-list §6.1).
type StatusListRef struct {
	URI   string
	Index uint64
}

// nonDisclosable are the SD-JWT VC claims an issuer must not make
// selectively disclosable (draft-ietf-oauth-sd-jwt-vc §3.2.2.2: "The
// following registered JWT claims, including any of their sub-claims,
// when used in the SD-JWT component of an SD-JWT VC, MUST NOT be included
// in Disclosures").
var nonDisclosable = map[string]bool{
	"iss": true, "nbf": true, "exp": true, "cnf": true, "vct": true,
	"vct#integrity": true, "aka_vcts": true, "status": true,
}

// maxIndex bounds status_list.idx (a 16 MiB list of 1-bit entries holds
// 2^27; this leaves room and stays exact in a float64).
const maxIndex = 1 << 40

// readClaims fills c from the processed payload, by the SD-JWT VC rules
// unless plain.
func (t *Token) readClaims(c *Credential, plain bool) error {
	cl := t.claims
	var ok bool
	if v, has := cl["iss"]; has {
		if c.Issuer, ok = v.(string); !ok {
			return newError(CodeClaims, "iss is not a string")
		}
	}
	if v, has := cl["sub"]; has {
		if c.Subject, ok = v.(string); !ok {
			return newError(CodeClaims, "sub is not a string")
		}
	}
	if v, has := cl["vct"]; has {
		if c.VCT, ok = v.(string); !ok {
			return newError(CodeClaims, "vct is not a string")
		}
	}
	if v, has := cl["aka_vcts"]; has {
		arr, isArr := v.([]any)
		if !isArr || len(arr) == 0 {
			return newError(CodeClaims, "aka_vcts is not a non-empty array")
		}
		for _, e := range arr {
			s, isString := e.(string)
			if !isString {
				return newError(CodeClaims, "aka_vcts holds a non-string")
			}
			c.AKAVCTs = append(c.AKAVCTs, s)
		}
	}
	if v, has := cl["cnf"]; has {
		if c.Cnf, ok = v.(map[string]any); !ok {
			return newError(CodeClaims, "cnf is not an object")
		}
	}
	if err := readStatus(cl, c); err != nil {
		return err
	}
	for _, d := range []struct {
		name string
		at   *time.Time
	}{{"iat", &c.IssuedAt}, {"nbf", &c.NotBefore}, {"exp", &c.Expires}} {
		if v, has := cl[d.name]; has {
			tm, ok := numericDate(v)
			if !ok {
				return newError(CodeClaims, "%s is not a NumericDate", d.name)
			}
			*d.at = tm
		}
	}
	if plain {
		return nil
	}
	// SD-JWT VC §3.2.2.2: "vct: REQUIRED."
	if c.VCT == "" {
		return newError(CodeClaims, "vct is missing or empty")
	}
	for i, d := range t.disc {
		if len(d.Path) == 1 && nonDisclosable[d.Name] {
			return newError(CodeClaims, "disclosure %d selectively discloses a claim SD-JWT VC keeps in the clear", i)
		}
	}
	return nil
}

// readStatus reads status.status_list: draft-ietf-oauth-status-list §6.1
// "idx: REQUIRED … a non-negative Integer", "uri: REQUIRED … a String".
// Other status mechanisms are left to the caller in Claims.
func readStatus(cl map[string]any, c *Credential) error {
	v, has := cl["status"]
	if !has {
		return nil
	}
	st, ok := v.(map[string]any)
	if !ok {
		return newError(CodeClaims, "status is not an object")
	}
	sl, has := st["status_list"]
	if !has {
		return nil
	}
	m, ok := sl.(map[string]any)
	if !ok {
		return newError(CodeClaims, "status.status_list is not an object")
	}
	uri, ok := m["uri"].(string)
	if !ok || uri == "" {
		return newError(CodeClaims, "status.status_list.uri is missing or not a string")
	}
	idx, ok := m["idx"].(float64)
	if !ok || idx < 0 || idx != math.Trunc(idx) || idx > maxIndex {
		return newError(CodeClaims, "status.status_list.idx is not a non-negative integer")
	}
	c.Status = &StatusListRef{URI: uri, Index: uint64(idx)}
	return nil
}

// numericDate reads a JWT NumericDate (seconds since the epoch, RFC 7519
// §2), within a sane range.
func numericDate(v any) (time.Time, bool) {
	f, ok := v.(float64)
	if !ok || math.IsNaN(f) || f < 0 || f > 1e11 {
		return time.Time{}, false
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC(), true
}

// checkWindow applies exp, nbf and iat at now with skew (RFC 9901 §7.1
// step 6: "Check that the SD-JWT is valid using claims such as nbf, exp,
// and aud in the processed payload, if present").
func checkWindow(c *Credential, now time.Time, skew time.Duration) error {
	if !c.Expires.IsZero() && !now.Before(c.Expires.Add(skew)) {
		return newError(CodeExpired, "the credential expired")
	}
	if !c.NotBefore.IsZero() && now.Add(skew).Before(c.NotBefore) {
		return newError(CodeNotYetValid, "the credential is not valid yet (nbf)")
	}
	if !c.IssuedAt.IsZero() && now.Add(skew).Before(c.IssuedAt) {
		return newError(CodeNotYetValid, "the credential is issued in the future (iat)")
	}
	return nil
}
