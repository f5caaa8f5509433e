package jcs

import (
	"encoding/binary"
	"encoding/hex"
	"math"
	"testing"

	gowebpki "github.com/gowebpki/jcs"
)

func TestAppendNumber(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"},
		{math.Copysign(0, -1), "0"},
		{1, "1"},
		{-1, "-1"},
		{4.5, "4.5"},
		{0.002, "0.002"},
		{333333333.33333329, "333333333.3333333"},
		{1e21, "1e+21"},
		{1e20, "100000000000000000000"},
		{123456789012345680000, "123456789012345680000"},
		{1e-6, "0.000001"},
		{0.000001, "0.000001"},
		{1e-7, "1e-7"},
		{1.5e-7, "1.5e-7"},
		{1e-27, "1e-27"},
		{1e30, "1e+30"},
		{5e-324, "5e-324"},
		{-5e-324, "-5e-324"},
		{1.7976931348623157e308, "1.7976931348623157e+308"},
		{9007199254740991, "9007199254740991"},
		{9007199254740992, "9007199254740992"},
		{-9007199254740993, "-9007199254740992"},
		{0.30000000000000004, "0.30000000000000004"},
		{1e300 * 1e5 / 1e5, "1e+300"},
		{295147905179352830000, "295147905179352830000"},
		{1e23, "1e+23"},
		{-1.5e-9, "-1.5e-9"},
		{1e+9, "1000000000"},
	}
	for _, tt := range tests {
		got, err := AppendNumber(nil, tt.in)
		if err != nil || string(got) != tt.want {
			t.Errorf("AppendNumber(%v) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

// The IEEE-754 bit patterns and expected texts published with the
// reference implementation's test data (cyberphone/json-canonicalization).
func TestAppendNumberIEEEPatterns(t *testing.T) {
	tests := []struct{ hex, want string }{
		{"4340000000000001", "9007199254740994"},
		{"4340000000000002", "9007199254740996"},
		{"444b1ae4d6e2ef50", "1e+21"},
		{"3eb0c6f7a0b5ed8d", "0.000001"},
		{"3eb0c6f7a0b5ed8c", "9.999999999999997e-7"},
		{"8000000000000000", "0"},
		{"0000000000000000", "0"},
	}
	for _, tt := range tests {
		b, _ := hex.DecodeString(tt.hex)
		f := math.Float64frombits(binary.BigEndian.Uint64(b))
		got, err := AppendNumber(nil, f)
		if err != nil || string(got) != tt.want {
			t.Errorf("AppendNumber(0x%s) = %q, %v; want %q", tt.hex, got, err, tt.want)
		}
	}
}

func TestAppendNumberNonFinite(t *testing.T) {
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if _, err := AppendNumber(nil, f); err != ErrNonFinite {
			t.Errorf("AppendNumber(%v) error = %v, want ErrNonFinite", f, err)
		}
	}
}

// FuzzAppendNumber checks every finite double against gowebpki/jcs's
// formatter, used here only as an oracle.
func FuzzAppendNumber(f *testing.F) {
	for _, seed := range []uint64{0, 0x8000000000000000, 0x4340000000000001, 0x444b1ae4d6e2ef50,
		0x3eb0c6f7a0b5ed8c, 1, 0x7fefffffffffffff, 0x3ff0000000000001} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, bits uint64) {
		x := math.Float64frombits(bits)
		want, werr := gowebpki.NumberToJSON(x)
		got, err := AppendNumber(nil, x)
		if (werr != nil) != (err != nil) {
			t.Fatalf("%v: error mismatch: ours %v, oracle %v", x, err, werr)
		}
		if err == nil && string(got) != want {
			t.Fatalf("%v (0x%016x): got %q, oracle %q", x, bits, got, want)
		}
	})
}
