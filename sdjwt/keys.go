package sdjwt

import (
	"context"
	"crypto"
	"crypto/x509"
	"strings"
)

// Key discovery methods, as IssuerKey.Method names them.
const (
	MethodX5C      = "x5c"
	MethodMetadata = "jwt-vc-issuer"
	MethodDID      = "did"
)

// KeyRequest is what an issuer-signed JWT says about its key, unverified.
type KeyRequest struct {
	Alg, Kid string
	X5C      []*x509.Certificate // leaf first, unverified
	// Issuer is the iss claim ("" when absent).
	Issuer string
}

// IssuerKey is an issuer's key established by some discovery method
// (draft-ietf-oauth-sd-jwt-vc §3.5: "A recipient MUST determine and
// validate the public verification key for the Issuer-signed JWT using a
// supported key discovery and validation mechanism that is permitted for
// the given Issuer according to policy").
type IssuerKey struct {
	PublicKey crypto.PublicKey // ed25519.PublicKey or *ecdsa.PublicKey
	Method    string           // MethodX5C, MethodMetadata, MethodDID
	// ID names the key: the kid (a DID URL for MethodDID), or the leaf
	// certificate's subject for MethodX5C.
	ID string
	// Issuer is who the key speaks for: iss when the method bound the key
	// to it, else (x5c without iss) the leaf certificate's subject.
	Issuer string
	// Chain is the verified chain, leaf first (MethodX5C only).
	Chain []*x509.Certificate
}

// IssuerKeys establishes the key of an issuer-signed JWT. It is declared
// here and implemented by KeySources (x5c against trust anchors,
// /.well-known/jwt-vc-issuer metadata, DID URLs) or by the caller. An
// error that is not an *Error becomes CodeKeyResolution; return an
// *Error with CodeIssuer when a key was found but belongs to someone else.
type IssuerKeys interface {
	IssuerKey(ctx context.Context, req KeyRequest) (*IssuerKey, error)
}

// KeySources picks the discovery method a JWT's header and iss call for,
// among those configured (a nil source is a method this verifier does not
// permit):
//
//   - an x5c header: X5C (SD-JWT VC §3.5 "When the protected header of
//     the Issuer-signed JWT contains the x5c parameter, the recipient uses
//     the public key from the end-entity certificate");
//   - a kid or an iss that is a DID (URL): DID;
//   - an https iss: Metadata (SD-JWT VC §3.5 "When the value of the iss
//     claim of the Issuer-signed JWT is an HTTPS URI, the recipient
//     obtains the public key using the keys from JWT VC Issuer
//     Metadata").
type KeySources struct {
	X5C      *X5CKeys
	Metadata *MetadataKeys
	DID      *DIDIssuerKeys
}

var _ IssuerKeys = KeySources{}

// IssuerKey implements IssuerKeys.
func (s KeySources) IssuerKey(ctx context.Context, req KeyRequest) (*IssuerKey, error) {
	switch {
	case len(req.X5C) > 0:
		if s.X5C == nil {
			return nil, newError(CodeKeyResolution, "the issuer-signed JWT has an x5c chain and no trust anchors are configured")
		}
		return s.X5C.IssuerKey(ctx, req)
	case strings.HasPrefix(req.Kid, "did:") || strings.HasPrefix(req.Issuer, "did:"):
		if s.DID == nil {
			return nil, newError(CodeKeyResolution, "the issuer is a DID and DID issuers are not accepted")
		}
		return s.DID.IssuerKey(ctx, req)
	case strings.HasPrefix(req.Issuer, "https://"):
		if s.Metadata == nil {
			return nil, newError(CodeKeyResolution, "the issuer is an https URL and JWT VC issuer metadata is not used")
		}
		return s.Metadata.IssuerKey(ctx, req)
	}
	return nil, newError(CodeKeyResolution, "no key discovery method fits the issuer-signed JWT (no x5c, no DID, no https iss)")
}

// DIDIssuerKeys resolves a kid that is a DID URL of the iss DID, for
// assertionMethod.
type DIDIssuerKeys struct{ DIDs DIDKeys }

var _ IssuerKeys = (*DIDIssuerKeys)(nil)

// IssuerKey implements IssuerKeys: a relative kid ("#key-1") is taken
// against iss, no kid means the iss DID itself (the resolver may pick its
// only assertion key or refuse), and a kid of another DID than iss is
// CodeIssuer.
func (k *DIDIssuerKeys) IssuerKey(ctx context.Context, req KeyRequest) (*IssuerKey, error) {
	kid := req.Kid
	switch {
	case kid == "":
		kid = req.Issuer
	case strings.HasPrefix(kid, "#"):
		kid = req.Issuer + kid
	}
	if !strings.HasPrefix(kid, "did:") {
		return nil, newError(CodeKeyResolution, "the kid is not a DID URL")
	}
	if req.Issuer != "" && didOf(kid) != req.Issuer {
		return nil, newError(CodeIssuer, "the kid is not a key of the iss DID")
	}
	if k.DIDs == nil {
		return nil, newError(CodeKeyResolution, "no DID resolver is configured")
	}
	pub, err := k.DIDs.DIDKey(ctx, kid, PurposeAssertionMethod)
	if err != nil {
		return nil, wrapError(CodeKeyResolution, err, "the issuer's DID key cannot be resolved")
	}
	return &IssuerKey{PublicKey: pub, Method: MethodDID, ID: kid, Issuer: didOf(kid)}, nil
}

// didOf returns the DID of a DID URL (drops fragment, query and path).
func didOf(u string) string {
	if i := strings.IndexByte(u, '#'); i >= 0 {
		u = u[:i]
	}
	if i := strings.IndexAny(u, "/?"); i >= 0 {
		u = u[:i]
	}
	return u
}
