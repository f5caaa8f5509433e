package jcs

import (
	"fmt"
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// AppendString appends s as a JSON string literal escaped per RFC 8785
// §3.2.2.2: only '"', '\\' and the C0 controls are escaped, the controls
// with the short forms \b \t \n \f \r where JSON has them and \u00xx
// (lower-case hex) otherwise; every other code point, including non-ASCII,
// is written as UTF-8. Invalid UTF-8 is an error rather than being
// replaced, because a replacement would silently change what is signed.
func AppendString(dst []byte, s string) ([]byte, error) {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return dst, fmt.Errorf("jcs: invalid UTF-8 in string at byte %d", i)
			}
			i += size
			continue
		}
		if c >= 0x20 && c != '"' && c != '\\' {
			i++
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\t':
			dst = append(dst, '\\', 't')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\f':
			dst = append(dst, '\\', 'f')
		case '\r':
			dst = append(dst, '\\', 'r')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"'), nil
}

// compareKeys orders object member names by their UTF-16 code units, as
// RFC 8785 §3.2.3 requires. UTF-8 byte order equals code point order, which
// agrees with UTF-16 order except when a supplementary-plane character
// (encoded in UTF-16 as a surrogate pair starting 0xD800-0xDBFF) meets a BMP
// character at or above U+E000: UTF-16 puts the supplementary one first.
// So bytes are compared directly and only that case is corrected.
func compareKeys(a, b string) int {
	n := min(len(a), len(b))
	i := 0
	for i < n && a[i] == b[i] {
		i++
	}
	if i == n {
		return len(a) - len(b)
	}
	if a[i] < utf8.RuneSelf || b[i] < utf8.RuneSelf {
		return int(a[i]) - int(b[i])
	}
	// The common prefix is valid UTF-8 in both, so both strings have a rune
	// boundary at the same place: back up to it and compare whole runes.
	for i > 0 && !utf8.RuneStart(a[i]) {
		i--
	}
	ra, _ := utf8.DecodeRuneInString(a[i:])
	rb, _ := utf8.DecodeRuneInString(b[i:])
	return utf16Order(ra) - utf16Order(rb)
}

// utf16Order maps a rune to an int that sorts like its UTF-16 encoding:
// BMP characters below the surrogate block keep their value, supplementary
// characters (whose pairs start 0xD800-0xDBFF and sort in code point order
// among themselves) follow, and BMP characters from U+E000 come last.
// U+D800-U+DFFF never occur as runes of valid UTF-8.
func utf16Order(r rune) int {
	switch {
	case r >= 0x10000:
		return 0xD800 + int(r-0x10000)
	case r >= 0xE000:
		return int(r) + 0x100000
	default:
		return int(r)
	}
}
