package jwtvc

import (
	"math"
	"time"

	"github.com/loginwithiota/verifier/internal/jsonx"
)

// stringClaim reads an optional string claim; present but not a string is
// malformed.
func stringClaim(m map[string]any, name string) (string, error) {
	switch v := m[name].(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	}
	return "", newError(CodeMalformed, "%q is not a string", name)
}

// idOf reads a member that is a string or an object with an "id" (issuer,
// holder).
func idOf(m map[string]any, name string) (string, error) {
	switch v := m[name].(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case map[string]any:
		if id, ok := v["id"].(string); ok {
			return id, nil
		}
	}
	return "", newError(CodeMalformed, "%q is neither a string nor an object with an id", name)
}

// numericDate reads an optional RFC 7519 NumericDate.
func numericDate(m map[string]any, name string) (time.Time, error) {
	switch v := m[name].(type) {
	case nil:
		return time.Time{}, nil
	case float64:
		if !math.IsNaN(v) && !math.IsInf(v, 0) && v >= 0 && v < 1<<40 {
			sec, frac := math.Modf(v)
			return time.Unix(int64(sec), int64(frac*1e9)).UTC(), nil
		}
	}
	return time.Time{}, newError(CodeMalformed, "%q is not a NumericDate", name)
}

// dateTime reads an optional XML Schema dateTime (VC data model dates).
func dateTime(m map[string]any, name string) (time.Time, error) {
	switch v := m[name].(type) {
	case nil:
		return time.Time{}, nil
	case string:
		if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, newError(CodeMalformed, "%q is not an RFC 3339 date-time", name)
}

// window is a validity window: the latest not-before and the earliest
// expiry among the claims that carry them.
type window struct {
	notBefore, expires time.Time
	nbName, expName    string
}

func (w *window) from(t time.Time, name string) {
	if !t.IsZero() && t.After(w.notBefore) {
		w.notBefore, w.nbName = t, name
	}
}

func (w *window) until(t time.Time, name string) {
	if !t.IsZero() && (w.expires.IsZero() || t.Before(w.expires)) {
		w.expires, w.expName = t, name
	}
}

// check applies the skew on both sides: a token is expired from expires +
// skew on (RFC 7519 §4.1.4: "on or after"), and not yet valid before
// notBefore - skew.
func (w *window) check(now time.Time, skew time.Duration) error {
	if !w.expires.IsZero() && !now.Before(w.expires.Add(skew)) {
		return newError(CodeExpired, "%s %s has passed (now %s)", w.expName, w.expires.Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	if !w.notBefore.IsZero() && now.Before(w.notBefore.Add(-skew)) {
		return newError(CodeNotYetValid, "%s %s is in the future (now %s)", w.nbName, w.notBefore.Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	return nil
}

// jwtWindow reads nbf, iat and exp.
func jwtWindow(claims map[string]any) (w window, nbf, iat, exp time.Time, err error) {
	if nbf, err = numericDate(claims, "nbf"); err != nil {
		return
	}
	if iat, err = numericDate(claims, "iat"); err != nil {
		return
	}
	if exp, err = numericDate(claims, "exp"); err != nil {
		return
	}
	w.from(nbf, "nbf")
	w.from(iat, "iat")
	w.until(exp, "exp")
	return
}

// types reads "type": a string or an array of strings.
func types(m map[string]any) ([]string, error) {
	out, bad, ok := jsonx.List[string](m["type"])
	switch {
	case ok:
		return out, nil
	case bad >= 0:
		return nil, newError(CodeMalformed, "type[%d] is not a string", bad)
	}
	return nil, newError(CodeMalformed, "type is neither a string nor an array")
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
