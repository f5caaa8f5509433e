package multikey

import (
	"testing"

	"github.com/mr-tron/base58"
)

func TestDecodeEncode(t *testing.T) {
	// The did:key spec's example Ed25519 key.
	const mb = "z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH"
	codec, key, err := Decode(mb)
	if err != nil || codec != Ed25519Pub || len(key) != 32 {
		t.Fatalf("Decode = %x, %x, %v", codec, key, err)
	}
	if got := Encode(codec, key); got != mb {
		t.Errorf("Encode = %s, want %s", got, mb)
	}
}

func TestDecodeErrors(t *testing.T) {
	raw := func(b ...byte) string { return "z" + base58.Encode(b) }
	tests := map[string]string{
		"empty":            "",
		"no prefix":        "6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH",
		"base64 multibase": "mO3sBAAAA",
		"bad base58":       "z0OIl",
		"short key":        Encode(Ed25519Pub, make([]byte, 31)),
		"long key":         Encode(Ed25519Pub, make([]byte, 33)),
		"unknown codec":    Encode(0xe7, make([]byte, 33)), // secp256k1
		"non-minimal":      raw(append([]byte{0xed, 0x81, 0x00}, make([]byte, 32)...)...),
		"truncated varint": raw(0xed),
	}
	for name, in := range tests {
		if _, _, err := Decode(in); err == nil {
			t.Errorf("%s: Decode(%q) succeeded", name, in)
		}
	}
}
