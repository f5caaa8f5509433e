package jcs

import (
	"slices"
	"testing"
)

func TestAppendString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `""`},
		{"plain", `"plain"`},
		{"a\"b\\c", `"a\"b\\c"`},
		{"\b\t\n\f\r", `"\b\t\n\f\r"`},
		{"\x00\x01\x0f\x1f", `"\u0000\u0001\u000f\u001f"`},
		{"/", `"/"`},
		{"\x7f", "\"\x7f\""},
		{"€$\u000f\nA'B\"\\\\\"/", `"€$\u000f\nA'B\"\\\\\"/"`},
		{"\u2028\u2029", "\"\u2028\u2029\""},
		{"Ramírez 😀", `"Ramírez 😀"`},
		{"<>&", `"<>&"`}, // no HTML escaping, unlike encoding/json
	}
	for _, tt := range tests {
		got, err := AppendString(nil, tt.in)
		if err != nil || string(got) != tt.want {
			t.Errorf("AppendString(%q) = %s, %v; want %s", tt.in, got, err, tt.want)
		}
	}
}

func TestAppendStringInvalidUTF8(t *testing.T) {
	for _, in := range []string{"\xff", "a\xc3", "\xed\xa0\x80" /* surrogate */, "\xc0\xaf" /* overlong */} {
		if _, err := AppendString(nil, in); err == nil {
			t.Errorf("AppendString(%q): want error", in)
		}
	}
}

// RFC 8785 §3.2.3's sorting example: UTF-16 order puts the emoji (a
// surrogate pair) before U+FB33 although UTF-8 byte order would not.
func TestCompareKeysRFC8785(t *testing.T) {
	want := []string{"\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001F600", "\ufb33"}
	got := slices.Clone(want)
	slices.Reverse(got)
	slices.SortFunc(got, compareKeys)
	if !slices.Equal(got, want) {
		t.Errorf("sorted = %q, want %q", got, want)
	}
}

func TestCompareKeys(t *testing.T) {
	tests := []struct {
		a, b string
		want int // sign
	}{
		{"a", "a", 0},
		{"a", "b", -1},
		{"ab", "a", 1},
		{"", "a", -1},
		{"\U0001F600", "\uffff", -1},
		{"\U0001F600", "\ud7ff", 1},
		{"\U0001F600", "\U0001F601", -1},
		{"x\u00e9", "x\u00e8", 1},
		{"\u00e9", "e", 1},
	}
	for _, tt := range tests {
		got := compareKeys(tt.a, tt.b)
		if sign(got) != tt.want || sign(compareKeys(tt.b, tt.a)) != -tt.want {
			t.Errorf("compareKeys(%q, %q) = %d, want sign %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func sign(x int) int {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}
