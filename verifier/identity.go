package verifier

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"slices"
	"strings"

	didjwk "github.com/loginwithiota/verifier/did/jwk"
	didkey "github.com/loginwithiota/verifier/did/key"
	"github.com/loginwithiota/verifier/oid4vp"
	"github.com/loginwithiota/verifier/sdjwt"
)

// RequestIdentity is how OID4VP 1.0 requests name the verifier (the full
// prefixed client identifier: the audience of every KB-JWT and
// presentation JWT and the domain of every linked-data presentation of a
// 1.0 login) and the key their request objects are signed with.
type RequestIdentity struct {
	ClientID oid4vp.ClientIdentifier
	// Signer is nil for redirect_uri, whose requests "cannot be signed".
	Signer *oid4vp.Signer
	// Ephemeral: the key was made at start and is known to this process
	// only.
	Ephemeral bool
}

// IdentityOptions configure NewRequestIdentity (config oid4vp.signing,
// paths resolved by the caller).
type IdentityOptions struct {
	// Prefix is the client identifier prefix.
	Prefix string
	// KeyFile is a PEM PKCS#8 private key (P-256 or Ed25519). For
	// decentralized_identifier a missing file is made (P-256, 0600);
	// empty: a key made now, kept in memory.
	KeyFile string
	// DID is jwk, key, or the verifier's DID (did:web, did:iota) whose
	// document lists KeyFile's key as KeyID.
	DID, KeyID string
	// CertificateChainFile is the PEM chain of x509_san_dns and x509_hash,
	// leaf first; DNSName the x509_san_dns name.
	CertificateChainFile, DNSName string
	// ResponseURI is the redirect_uri prefix's original client identifier.
	ResponseURI string
}

// NewRequestIdentity builds the verifier's 1.0 identity:
//
//   - decentralized_identifier: did:jwk or did:key of the signing key
//     (kid its verification method), or a configured DID and kid, whose
//     document must list the key (did:web, did:iota: the operator
//     publishes it; nothing here resolves it);
//   - x509_san_dns: the DNS name, which the leaf certificate must carry as
//     a dNSName SAN, whose key must be the signing key; x5c the chain;
//   - x509_hash: the base64url SHA-256 of the leaf's DER; x5c the chain;
//   - redirect_uri: the response URI, unsigned.
func NewRequestIdentity(o IdentityOptions) (*RequestIdentity, error) {
	if err := oid4vp.CheckPrefix(o.Prefix); err != nil {
		return nil, err
	}
	if o.Prefix == oid4vp.PrefixRedirectURI {
		return &RequestIdentity{ClientID: oid4vp.ClientIdentifier{Prefix: o.Prefix, Value: o.ResponseURI}}, nil
	}
	key, ephemeral, err := signingKey(o.KeyFile, o.Prefix == oid4vp.PrefixDID)
	if err != nil {
		return nil, err
	}
	id := &RequestIdentity{Signer: &oid4vp.Signer{Key: key}, Ephemeral: ephemeral}
	if _, err := id.Signer.Alg(); err != nil {
		return nil, err
	}
	switch o.Prefix {
	case oid4vp.PrefixDID:
		did, kid, err := verifierDID(key.Public(), o.DID, o.KeyID)
		if err != nil {
			return nil, err
		}
		id.ClientID = oid4vp.ClientIdentifier{Prefix: o.Prefix, Value: did}
		id.Signer.KeyID = kid
	default:
		chain, err := readChain(o.CertificateChainFile, key.Public())
		if err != nil {
			return nil, err
		}
		leaf := chain[0]
		value := oid4vp.X509Hash(leaf.Raw)
		if o.Prefix == oid4vp.PrefixX509SanDNS {
			value = o.DNSName
			if value == "" {
				if u, err := url.Parse(o.ResponseURI); err == nil {
					value = u.Hostname()
				}
			}
			// §5.9.3: "MUST be a DNS name and match a dNSName Subject
			// Alternative Name (SAN) entry in the leaf certificate".
			if !slices.Contains(leaf.DNSNames, value) {
				return nil, fmt.Errorf("x509_san_dns: the leaf certificate names no dNSName %q (it names %s)", value, strings.Join(leaf.DNSNames, ", "))
			}
		}
		id.ClientID = oid4vp.ClientIdentifier{Prefix: o.Prefix, Value: value}
		for _, c := range chain {
			id.Signer.X5C = append(id.Signer.X5C, c.Raw)
		}
	}
	return id, nil
}

// signingKey reads the PEM key at path; a missing file is made when
// create, an empty path gives a key kept in memory.
func signingKey(path string, create bool) (crypto.Signer, bool, error) {
	if path == "" {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		return k, true, err
	}
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && create {
		if raw, err = writeNewKey(path); err != nil {
			return nil, false, err
		}
	}
	if err != nil {
		return nil, false, fmt.Errorf("signing key: %w", err)
	}
	b, _ := pem.Decode(raw)
	if b == nil || b.Type != "PRIVATE KEY" {
		return nil, false, fmt.Errorf("signing key %s: want a PEM \"PRIVATE KEY\" (PKCS#8)", path)
	}
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		return nil, false, fmt.Errorf("signing key %s: %w", path, err)
	}
	switch k := k.(type) {
	case *ecdsa.PrivateKey:
		return k, false, nil
	case ed25519.PrivateKey:
		return k, false, nil
	}
	return nil, false, fmt.Errorf("signing key %s: %T is neither P-256 nor Ed25519", path, k)
}

// writeNewKey makes a P-256 key and writes it to path, which must not
// exist yet (two instances starting together: one writes, both read).
func writeNewKey(path string) ([]byte, error) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return nil, err
	}
	out := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	if _, err := f.Write(out); err != nil {
		f.Close()
		return nil, fmt.Errorf("signing key: %w", err)
	}
	return out, f.Close()
}

// verifierDID is the DID and kid of decentralized_identifier.
func verifierDID(pub crypto.PublicKey, method, kid string) (string, string, error) {
	switch method {
	case "", "jwk":
		jwk, err := sdjwt.JWKOf(pub)
		if err != nil {
			return "", "", err
		}
		return didjwk.FromJWK(jwk)
	case "key":
		switch p := pub.(type) {
		case *ecdsa.PublicKey:
			return didkey.FromP256(p)
		case ed25519.PublicKey:
			d, vm := didkey.FromEd25519(p)
			return d, vm, nil
		}
		return "", "", fmt.Errorf("did:key: %T keys are not supported", pub)
	}
	if !strings.HasPrefix(method, "did:") || !strings.HasPrefix(kid, method+"#") {
		return "", "", fmt.Errorf("the verifier's DID %q needs a key_id of it (%s#…)", method, method)
	}
	return method, kid, nil
}

// readChain reads a PEM chain, leaf first, whose leaf certifies pub.
func readChain(path string, pub crypto.PublicKey) ([]*x509.Certificate, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("certificate chain: %w", err)
	}
	var chain []*x509.Certificate
	for {
		var b *pem.Block
		b, raw = pem.Decode(raw)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("certificate chain %s: %w", path, err)
		}
		chain = append(chain, c)
	}
	if len(chain) == 0 {
		return nil, fmt.Errorf("certificate chain %s: no PEM certificate in it", path)
	}
	type equaler interface{ Equal(crypto.PublicKey) bool }
	if e, ok := chain[0].PublicKey.(equaler); !ok || !e.Equal(pub) {
		return nil, fmt.Errorf("certificate chain %s: the leaf certificate is not of the signing key", path)
	}
	return chain, nil
}
