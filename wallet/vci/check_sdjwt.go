package vci

import (
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/loginwithiota/verifier/sdjwt"
	"github.com/loginwithiota/verifier/wallet"
)

// checkSDJWT reads a received dc+sd-jwt credential: "a string that is an
// SD-JWT VC" (§A.3.4) without a KB-JWT, of the vct the metadata promised,
// bound to the wallet's key (cnf.jwk), and signed by its issuer: a DID iss
// (did:key, did:jwk) resolved offline, an http(s) iss by the key in its
// JWT VC Issuer Metadata. An issuer whose key cannot be had so (another
// DID method) is kept unverified, as the other formats are.
func checkSDJWT(ctx context.Context, h *wallet.HTTP, raw json.RawMessage, key *wallet.Key, vct string, now time.Time) (any, bool, error) {
	var compact string
	if err := json.Unmarshal(raw, &compact); err != nil {
		return nil, false, errors.New("a dc+sd-jwt credential must be an SD-JWT string")
	}
	opts := sdjwt.Options{Now: func() time.Time { return now }}
	t, err := sdjwt.Parse(compact, opts)
	if err != nil {
		return nil, false, fmt.Errorf("the credential is not an SD-JWT VC: %w", err)
	}
	if t.HasKeyBinding() {
		return nil, false, errors.New("the issued SD-JWT carries a KB-JWT (RFC 9901 §7.2: the holder rejects it)")
	}
	claims := t.Claims()
	if got, _ := claims["vct"].(string); vct != "" && got != vct {
		return nil, false, fmt.Errorf("the credential's vct is %q, not the configuration's %q", wallet.Clip(got), wallet.Clip(vct))
	}
	cnf, _ := claims["cnf"].(map[string]any)
	jwk, _ := cnf["jwk"].(map[string]any)
	mine, err := sdjwt.JWKOf(key.Signer().Public())
	if err != nil {
		return nil, false, err
	}
	if !sameKey(jwk, mine) {
		return nil, false, errors.New("the credential is not bound to this wallet's key (cnf.jwk)")
	}
	iss, _ := claims["iss"].(string)
	if strings.HasPrefix(iss, "did:") && !resolvable(iss) {
		return compact, false, nil
	}
	opts.Keys = issuerKeys{http: h}
	if _, err := t.Verify(ctx, opts); err != nil {
		return nil, false, fmt.Errorf("the credential does not verify: %w", err)
	}
	return compact, true, nil
}

// sameKey compares two public JWKs by their RFC 7638 members.
func sameKey(a, b map[string]any) bool {
	if a == nil || b == nil {
		return false
	}
	for _, m := range []string{"kty", "crv", "x", "y"} {
		if a[m] != b[m] {
			return false
		}
	}
	return true
}

// issuerKeys finds an SD-JWT VC issuer's key the ways this wallet can:
// a DID kid / iss offline, an http(s) iss through its metadata.
type issuerKeys struct{ http *wallet.HTTP }

func (k issuerKeys) IssuerKey(ctx context.Context, req sdjwt.KeyRequest) (*sdjwt.IssuerKey, error) {
	if strings.HasPrefix(req.Kid, "did:") || strings.HasPrefix(req.Issuer, "did:") {
		return (&sdjwt.DIDIssuerKeys{DIDs: didKeys{}}).IssuerKey(ctx, req)
	}
	if req.Issuer == "" || len(req.X5C) > 0 {
		return nil, errors.New("the issuer names its key neither by a DID nor by its metadata")
	}
	// SD-JWT VC §5: the metadata "between the host component and the path
	// component (if any)", "any terminating / MUST be removed".
	raw, err := wellKnown(ctx, k.http, strings.TrimSuffix(req.Issuer, "/"), sdjwt.WellKnownPath)
	if err != nil {
		return nil, fmt.Errorf("the issuer's JWT VC metadata: %w", err)
	}
	var md struct {
		Issuer string `json:"issuer"`
		JWKS   struct {
			Keys []json.RawMessage `json:"keys"`
		} `json:"jwks"`
	}
	if err := json.Unmarshal(raw, &md); err != nil || md.Issuer != req.Issuer {
		// §5.3: "If these values are not identical, the data contained in
		// the response MUST NOT be used."
		return nil, errors.New("the JWT VC issuer metadata is not the credential issuer's")
	}
	for _, r := range md.JWKS.Keys {
		var jk jose.JSONWebKey
		if jk.UnmarshalJSON(r) != nil || !jk.IsPublic() || (req.Kid != "" && jk.KeyID != req.Kid) {
			continue
		}
		return &sdjwt.IssuerKey{PublicKey: jk.Key, Method: sdjwt.MethodMetadata, ID: jk.KeyID, Issuer: req.Issuer}, nil
	}
	return nil, errors.New("the JWT VC issuer metadata has no key with the credential's kid")
}

// didKeys is sdjwt's DID key lookup over offline DIDs.
type didKeys struct{}

func (didKeys) DIDKey(ctx context.Context, didURL string, purpose sdjwt.Purpose) (crypto.PublicKey, error) {
	_, _, pub, err := find(ctx, didURL, string(purpose))
	return pub, err
}
