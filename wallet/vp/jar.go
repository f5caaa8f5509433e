package vp

import (
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/wallet"
)

// Signed request objects (RFC 9101, 1.0 §5.9.3): the client identifier
// says how the wallet finds the key that must have signed it.

// requestAlgs are the JWS algs a request object may be signed with.
var requestAlgs = []string{"ES256", "ES384", "EdDSA", "PS256", "RS256"}

// ErrNoTrustAnchors refuses a request signed under an x509 prefix when the
// wallet has no roots to validate its chain against.
var ErrNoTrustAnchors = errors.New("no trust anchors")

// requestClockSkew is the tolerance on a request object's exp.
const requestClockSkew = time.Minute

// verifyRequestObject checks a signed request object's signature by the
// key its client identifier names and returns its claims and who signed:
//
//   - decentralized_identifier:<DID> (and draft 20's client_id_scheme did):
//     "a particular public key used to sign the request in question MUST
//     be identified by the kid in the JOSE Header", a DID URL of that DID,
//     resolved here offline (did:key, did:jwk);
//   - x509_san_dns:<name> (draft 20's scheme x509_san_dns) and
//     x509_hash:<hash>: "The Wallet MUST validate the signature and the
//     trust chain of the X.509 certificate" — against Options.TrustAnchors
//     — the leaf naming the dNSName, or hashing to the value;
//   - redirect_uri: "cannot be signed": refused, as is every other prefix.
func verifyRequestObject(ctx context.Context, compact, clientID, scheme string, opts Options) (params, string, error) {
	algs := make([]jose.SignatureAlgorithm, len(requestAlgs))
	for i, a := range requestAlgs {
		algs[i] = jose.SignatureAlgorithm(a)
	}
	jws, err := jose.ParseSignedCompact(compact, algs)
	if err != nil || len(jws.Signatures) != 1 {
		return nil, "", errors.New("the request object is not a JWS signed with " + strings.Join(requestAlgs, ", "))
	}
	h := jws.Signatures[0].Protected
	prefix, value := splitPrefix(clientID)
	if prefix == "" {
		// Draft 20 names the prefix in client_id_scheme, the client_id bare.
		switch scheme {
		case "did":
			prefix = PrefixDID
		case "x509_san_dns":
			prefix = PrefixX509SanDNS
		case "", schemeRedirectURI:
			return nil, "", errors.New("a signed request object whose client_id has no prefix: this wallet cannot tell whose key must have signed it (1.0 §5.9: decentralized_identifier:, x509_san_dns:, x509_hash:)")
		default:
			return nil, "", fmt.Errorf("client_id_scheme %q is not supported by this wallet (did, x509_san_dns, redirect_uri are)", wallet.Clip(scheme))
		}
	}
	var (
		pub    crypto.PublicKey
		signer string
	)
	switch prefix {
	case PrefixDID:
		pub, signer, err = didRequestKey(ctx, h.KeyID, value)
	case PrefixX509SanDNS, PrefixX509Hash:
		pub, signer, err = x509RequestKey(h, prefix, value, opts.TrustAnchors)
	case PrefixRedirectURI:
		// "Requests using the redirect_uri Client Identifier Prefix cannot
		// be signed because there is no method for the Wallet to obtain a
		// trusted key for verification."
		return nil, "", errors.New("a signed request under the redirect_uri: prefix: such requests cannot be signed (1.0 §5.9.3), so the signature proves nothing; refused")
	default:
		// §8.5 invalid_request: "The Wallet does not support the Client
		// Identifier Prefix passed in the Authorization Request."
		return nil, "", fmt.Errorf("the client identifier prefix %s is not supported by this wallet (%s, %s, %s, %s are)",
			prefix, PrefixDID, PrefixX509SanDNS, PrefixX509Hash, PrefixRedirectURI)
	}
	if err != nil {
		return nil, "", err
	}
	payload, err := jws.Verify(pub)
	if err != nil {
		return nil, "", fmt.Errorf("the request object's signature does not verify with the key of %s", wallet.Clip(clientID))
	}
	var p params
	if err := json.Unmarshal(payload, &p); err != nil || p == nil {
		return nil, "", errors.New("the request object's claims are not a JSON object")
	}
	if exp, ok := p["exp"].(float64); ok && time.Unix(int64(exp), 0).Add(requestClockSkew).Before(opts.now()) {
		return nil, "", errors.New("the request object has expired (exp): start the login again")
	}
	// §5: iss "if it is present, the Wallet MUST ignore it".
	delete(p, "iss")
	return p, signer, nil
}

// didRequestKey resolves the kid of a request signed under
// decentralized_identifier:<id>: "A public key to verify the signature
// MUST be obtained from the verificationMethod property of a DID
// Document."
func didRequestKey(ctx context.Context, kid, id string) (crypto.PublicKey, string, error) {
	if _, err := did.Method(id); err != nil {
		return nil, "", errors.New("the decentralized_identifier client_id is not a DID")
	}
	if strings.HasPrefix(kid, "#") {
		kid = id + kid
	}
	if d, _ := did.Split(kid); d != id || !strings.Contains(kid, "#") {
		return nil, "", errors.New("the request object's kid is not a DID URL of the client_id's DID")
	}
	if !wallet.Offline(id) {
		m, _ := did.Method(id)
		return nil, "", fmt.Errorf("the verifier's DID is a did:%s, which this wallet does not resolve (did:key and did:jwk, offline)", wallet.Clip(m))
	}
	doc, err := wallet.OfflineDIDs.Resolve(ctx, id)
	if err != nil {
		return nil, "", fmt.Errorf("the verifier's DID does not resolve: %w", err)
	}
	vm, err := doc.Dereference(kid, "")
	if err != nil {
		return nil, "", errors.New("the request object's kid names no verification method of the verifier's DID")
	}
	pub, err := vm.PublicKey()
	if err != nil {
		return nil, "", errors.New("the request object's kid names a key this wallet cannot use")
	}
	return pub, kid, nil
}

// x509RequestKey validates the x5c chain of a request signed under an
// x509 prefix against roots and returns the leaf's key.
func x509RequestKey(h jose.Header, prefix, value string, roots *x509.CertPool) (crypto.PublicKey, string, error) {
	if roots == nil {
		return nil, "", fmt.Errorf("%w: the request is signed under %s:, whose certificate chain must lead to a root this wallet trusts; "+
			"give the verifier's CA with --trust-anchor FILE.pem, or put it in trust-anchors.pem in the wallet's home", ErrNoTrustAnchors, prefix)
	}
	chains, err := h.Certificates(x509.VerifyOptions{Roots: roots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	if err != nil || len(chains) == 0 || len(chains[0]) == 0 {
		return nil, "", errors.New("the request object's x5c chain does not lead to a trust anchor of this wallet (or there is no x5c)")
	}
	leaf := chains[0][0]
	switch prefix {
	case PrefixX509SanDNS:
		// "the original Client Identifier ... MUST be a DNS name and match a
		// dNSName Subject Alternative Name (SAN) entry in the leaf
		// certificate".
		if !slices.Contains(leaf.DNSNames, value) {
			return nil, "", errors.New("the request's leaf certificate does not name the client_id's DNS name (dNSName)")
		}
	case PrefixX509Hash:
		// "the base64url-encoded value of the SHA-256 hash of the
		// DER-encoded X.509 certificate".
		sum := sha256.Sum256(leaf.Raw)
		if base64.RawURLEncoding.EncodeToString(sum[:]) != value {
			return nil, "", errors.New("the request's leaf certificate is not the one the client_id's x509_hash names")
		}
	}
	return leaf.PublicKey, fmt.Sprintf("%s (certificate %q)", value, wallet.Clip(leaf.Subject.String())), nil
}
