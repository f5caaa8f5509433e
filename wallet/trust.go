package wallet

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// TrustAnchorsFile is the file in the home directory whose PEM
// certificates are roots for verifiers that sign their requests under an
// x509 client identifier (x509_san_dns, x509_hash).
const TrustAnchorsFile = "trust-anchors.pem"

// TrustAnchors reads the roots of files (PEM, one or more certificates
// each) and of the home's trust-anchors.pem, if it exists. It returns nil
// when there are none: such requests are then refused.
func (h Home) TrustAnchors(files []string) (*x509.CertPool, error) {
	paths := append([]string{}, files...)
	own := filepath.Join(h.Dir, TrustAnchorsFile)
	if _, err := os.Stat(own); err == nil {
		paths = append(paths, own)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("trust anchors %s: %w", own, err)
	}
	if len(paths) == 0 {
		return nil, nil
	}
	pool := x509.NewCertPool()
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("trust anchors: %w", err)
		}
		n := 0
		for block, rest := pem.Decode(raw); block != nil; block, rest = pem.Decode(rest) {
			if block.Type != "CERTIFICATE" {
				continue
			}
			c, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				return nil, fmt.Errorf("trust anchors %s: %w", p, err)
			}
			pool.AddCert(c)
			n++
		}
		if n == 0 {
			return nil, fmt.Errorf("trust anchors %s: no PEM CERTIFICATE in it", p)
		}
	}
	return pool, nil
}
