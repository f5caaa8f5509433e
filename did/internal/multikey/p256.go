package multikey

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"errors"
)

// P256 decodes a SEC 1 compressed (33 bytes, Multikey's form) or
// uncompressed (65 bytes) P-256 point, refusing points not on the curve.
func P256(b []byte) (*ecdsa.PublicKey, error) {
	if len(b) == 33 {
		x, y := elliptic.UnmarshalCompressed(elliptic.P256(), b)
		if x == nil {
			return nil, errors.New("not a compressed P-256 point")
		}
		u := make([]byte, 65)
		u[0] = 4
		x.FillBytes(u[1:33])
		y.FillBytes(u[33:])
		b = u
	}
	return ecdsa.ParseUncompressedPublicKey(elliptic.P256(), b)
}

// CompressP256 returns the SEC 1 compressed form of a P-256 key.
func CompressP256(pub *ecdsa.PublicKey) ([]byte, error) {
	u, err := pub.Bytes()
	if err != nil {
		return nil, err
	}
	out := make([]byte, 33)
	out[0] = 2 | u[64]&1
	copy(out[1:], u[1:33])
	return out, nil
}
