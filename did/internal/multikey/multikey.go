// Package multikey decodes and encodes the multibase (base58btc) +
// multicodec key strings used by publicKeyMultibase and did:key, shared by
// package did and its method sub-packages.
package multikey

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/mr-tron/base58"
)

// Multicodec codes of public key types (multiformats/multicodec table.csv).
const (
	Ed25519Pub uint64 = 0xed
	X25519Pub  uint64 = 0xec
	P256Pub    uint64 = 0x1200
)

// KeySize gives the raw key length of each supported codec.
var KeySize = map[uint64]int{
	Ed25519Pub: 32,
	X25519Pub:  32,
	P256Pub:    33, // SEC 1 compressed point
}

var errNotBase58btc = errors.New("multibase value must start with 'z' (base58btc)")

// ErrUnsupportedCodec marks a well-formed value whose key type is unknown.
var ErrUnsupportedCodec = errors.New("unsupported multicodec key type")

// DecodeMultibase decodes a base58btc multibase string ('z' + base58).
func DecodeMultibase(s string) ([]byte, error) {
	if len(s) < 2 || s[0] != 'z' {
		return nil, errNotBase58btc
	}
	b, err := base58.Decode(s[1:])
	if err != nil {
		return nil, fmt.Errorf("base58btc: %w", err)
	}
	return b, nil
}

// Split separates a multicodec-prefixed value into its codec and payload.
// The codec is an unsigned varint, which must use its shortest encoding.
func Split(b []byte) (codec uint64, payload []byte, err error) {
	codec, n := binary.Uvarint(b)
	if n <= 0 || n > 9 {
		return 0, nil, errors.New("bad multicodec varint prefix")
	}
	if binary.PutUvarint(make([]byte, binary.MaxVarintLen64), codec) != n {
		return 0, nil, errors.New("multicodec varint prefix is not minimally encoded")
	}
	return codec, b[n:], nil
}

// Decode decodes "z" + base58btc(varint(codec) || key) and checks the key
// length for the codecs it knows.
func Decode(s string) (codec uint64, key []byte, err error) {
	b, err := DecodeMultibase(s)
	if err != nil {
		return 0, nil, err
	}
	codec, key, err = Split(b)
	if err != nil {
		return 0, nil, err
	}
	size, ok := KeySize[codec]
	if !ok {
		return codec, nil, fmt.Errorf("%w 0x%x", ErrUnsupportedCodec, codec)
	}
	if len(key) != size {
		return codec, nil, fmt.Errorf("multicodec 0x%x key is %d bytes, want %d", codec, len(key), size)
	}
	return codec, key, nil
}

// Encode returns "z" + base58btc(varint(codec) || key).
func Encode(codec uint64, key []byte) string {
	b := binary.AppendUvarint(make([]byte, 0, len(key)+binary.MaxVarintLen64), codec)
	return "z" + base58.Encode(append(b, key...))
}
