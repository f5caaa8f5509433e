package issuer

import (
	"context"
	"crypto/rand"
	"fmt"
	"maps"
	"time"
)

// credentialFormat is one Credential Format Profile (§A): how a
// configuration of that format is described and how a credential is made.
// Adding a format (dc+sd-jwt) is adding a file with one of these and a
// line to formats.
type credentialFormat interface {
	// normalize fills the configuration's format-specific defaults and
	// refuses what the signer's alg cannot sign.
	normalize(c *Configuration, alg string) error
	// metadata adds the format's members to c's metadata entry
	// (credential_definition, credential_signing_alg_values_supported).
	metadata(c *Configuration, alg string, entry map[string]any)
	// claimPath is the claims path pointer of a described claim in
	// credential_metadata.claims (§A: credentialSubject's member for the
	// W3C formats, a top-level claim for SD-JWT VC).
	claimPath(name string) []any
	// issue makes and signs the credential.
	issue(ctx context.Context, in *issueInput) (any, error)
}

// claimChecker is a format that refuses some claim names in offers (the
// registered claims an SD-JWT VC sets itself).
type claimChecker interface {
	checkClaim(name string) error
}

var formats = map[string]credentialFormat{
	FormatJWTVC: jwtVCFormat{},
	FormatLDPVC: ldpVCFormat{},
	FormatSDJWT: sdJWTFormat{},
}

// holder is the key a credential is bound to.
type holder struct {
	// DID is credentialSubject.id: the kid's DID, or the did:jwk of a jwk.
	DID string
	// JWK is the public key when the proof carried it as jwk (jwt_vc_json
	// puts it in cnf as well).
	JWK map[string]any
	// Key is the holder's public key as a JWK however the proof named it
	// (jwk, or the kid's DID): an SD-JWT VC's cnf.jwk.
	Key map[string]any
}

// issueInput is what a format needs to issue one credential.
type issueInput struct {
	config   *Configuration
	claims   map[string]any
	holder   holder
	signer   Signer
	now      time.Time
	lifetime time.Duration
	// identifier is the Credential Issuer Identifier; sdIss how an SD-JWT
	// VC names its issuer (SDJWTIssuerDID or SDJWTIssuerURL).
	identifier, sdIss string
}

// subject is credentialSubject: the offer's claims and the holder's id.
func (in *issueInput) subject() map[string]any {
	s := make(map[string]any, len(in.claims)+1)
	maps.Copy(s, in.claims)
	s["id"] = in.holder.DID
	return s
}

func stringsAny(list []string) []any {
	out := make([]any, len(list))
	for i, s := range list {
		out[i] = s
	}
	return out
}

// credentialID is a fresh urn:uuid (version 4) for a credential's id/jti.
func credentialID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
