package jcs

import (
	"errors"
	"math"
	"strconv"
)

// ErrNonFinite reports NaN or ±Inf, which JSON cannot represent (RFC 8785
// §3.2.2.3: "an error MUST be raised").
var ErrNonFinite = errors.New("jcs: NaN or Infinity is not a JSON number")

// maxExactInt bounds the integer fast path: below 2^53 every integer is exact
// in a float64 and ECMAScript prints it as plain digits.
const maxExactInt = 1 << 53

// AppendNumber appends f in the form of ECMAScript's Number.prototype.toString
// (ES2015 §7.1.12.1), which RFC 8785 §3.2.2.3 mandates: shortest round-trip
// digits, plain notation for 1e-6 <= |f| < 1e21, otherwise d.ddde±x, and
// -0 written as 0.
func AppendNumber(dst []byte, f float64) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return dst, ErrNonFinite
	}
	if f == 0 { // both +0 and -0
		return append(dst, '0'), nil
	}
	if f == math.Trunc(f) && f > -maxExactInt && f < maxExactInt {
		return strconv.AppendInt(dst, int64(f), 10), nil
	}
	if f < 0 {
		dst = append(dst, '-')
		f = -f
	}
	// Go's shortest formatting yields the same digits as ECMAScript's
	// algorithm (both pick the shortest string that round-trips); only the
	// choice of notation and the exponent spelling differ.
	if f >= 1e-6 && f < 1e21 {
		return strconv.AppendFloat(dst, f, 'f', -1, 64), nil
	}
	start := len(dst)
	dst = strconv.AppendFloat(dst, f, 'e', -1, 64)
	// Go writes at least two exponent digits ("1e-07", "1e+09");
	// ECMAScript writes as few as needed ("1e-7"). The exponent here is
	// never below 7 in magnitude for |f| < 1e-6, so at most one zero pads it.
	for i := len(dst) - 1; i > start; i-- {
		if dst[i] == 'e' {
			if dst[i+2] == '0' {
				dst = append(dst[:i+2], dst[i+3:]...)
			}
			break
		}
	}
	return dst, nil
}
