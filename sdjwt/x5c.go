package sdjwt

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/x509"
	"net/url"
	"strings"
	"time"
)

// X5CKeys trusts an x5c chain that verifies (crypto/x509) up to one of
// Roots at the verification time, and uses the leaf certificate's key.
// When iss is present it must be the leaf's: a URI SAN equal to iss, or a
// DNS SAN equal to the host of an https iss. Set the fields before use.
type X5CKeys struct {
	// Roots are the trust anchors (required).
	Roots *x509.CertPool
	// KeyUsages the leaf must allow (empty: any).
	KeyUsages []x509.ExtKeyUsage
	// Now is the time certificates must be valid at (nil: time.Now).
	Now func() time.Time
}

var _ IssuerKeys = (*X5CKeys)(nil)

// IssuerKey implements IssuerKeys.
func (k *X5CKeys) IssuerKey(_ context.Context, req KeyRequest) (*IssuerKey, error) {
	if len(req.X5C) == 0 {
		return nil, newError(CodeKeyResolution, "the issuer-signed JWT has no x5c chain")
	}
	if k.Roots == nil {
		return nil, newError(CodeKeyResolution, "no trust anchors are configured for x5c")
	}
	now := time.Now()
	if k.Now != nil {
		now = k.Now()
	}
	usages := k.KeyUsages
	if len(usages) == 0 {
		usages = []x509.ExtKeyUsage{x509.ExtKeyUsageAny}
	}
	leaf := req.X5C[0]
	inter := x509.NewCertPool()
	for _, c := range req.X5C[1:] {
		inter.AddCert(c)
	}
	chains, err := leaf.Verify(x509.VerifyOptions{Roots: k.Roots, Intermediates: inter, CurrentTime: now, KeyUsages: usages})
	if err != nil {
		return nil, wrapError(CodeKeyResolution, err, "the x5c chain does not verify to a trust anchor")
	}
	pub, err := certKey(leaf)
	if err != nil {
		return nil, err
	}
	issuer := leaf.Subject.String()
	if req.Issuer != "" {
		if !certNames(leaf, req.Issuer) {
			return nil, newError(CodeIssuer, "the x5c leaf certificate does not name the iss")
		}
		issuer = req.Issuer
	}
	return &IssuerKey{PublicKey: pub, Method: MethodX5C, ID: leaf.Subject.String(), Issuer: issuer, Chain: chains[0]}, nil
}

// certKey is the leaf's key, if it is one this package verifies with.
func certKey(c *x509.Certificate) (any, error) {
	switch pub := c.PublicKey.(type) {
	case ed25519.PublicKey:
		return pub, nil
	case *ecdsa.PublicKey:
		if pub.Curve == elliptic.P256() {
			return pub, nil
		}
	}
	return nil, newError(CodeKeyResolution, "the x5c leaf key is neither Ed25519 nor P-256")
}

// certNames reports whether the certificate names iss: a URI SAN equal to
// it, or, for an https iss, a DNS SAN equal to its host.
func certNames(c *x509.Certificate, iss string) bool {
	for _, u := range c.URIs {
		if u.String() == iss {
			return true
		}
	}
	u, err := url.Parse(iss)
	if err != nil || u.Scheme != "https" || u.Hostname() == "" {
		return false
	}
	for _, n := range c.DNSNames {
		if strings.EqualFold(n, u.Hostname()) {
			return true
		}
	}
	return false
}
