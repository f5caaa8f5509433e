package issuer

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/go-jose/go-jose/v4"
)

// jwtVCFormat is jwt_vc_json (§A.1.1): a VC Data Model 1.1 credential in
// the JWT encoding, the vc claim beside iss, sub, jti, nbf, iat, exp. "The
// value of the credential claim in the Credential Response MUST be a JWT."
type jwtVCFormat struct{}

func (jwtVCFormat) normalize(c *Configuration, alg string) error {
	if c.ProofType != "" {
		return fmt.Errorf("credential configuration %s: proof_type is for ldp_vc; a jwt_vc_json credential is signed with the issuer key's alg (%s)", c.ID, alg)
	}
	if err := c.w3cTypes(); err != nil {
		return err
	}
	if len(c.Contexts) == 0 {
		c.Contexts = []string{ContextVC11}
	}
	return nil
}

// metadata: "credential_definition: REQUIRED ... type: REQUIRED"; algs
// "SHOULD be one of those JWS Algorithm Names".
func (jwtVCFormat) metadata(c *Configuration, alg string, entry map[string]any) {
	entry["credential_definition"] = map[string]any{"type": stringsAny(c.Types)}
	entry["credential_signing_alg_values_supported"] = []any{alg}
}

func (jwtVCFormat) claimPath(name string) []any { return []any{"credentialSubject", name} }

func (jwtVCFormat) issue(_ context.Context, in *issueInput) (any, error) {
	vc := map[string]any{
		"@context":          stringsAny(in.config.Contexts),
		"type":              stringsAny(in.config.Types),
		"credentialSubject": in.subject(),
	}
	now := in.now.Unix()
	claims := map[string]any{
		"iss": in.signer.DID,
		"sub": in.holder.DID,
		"jti": credentialID(),
		"iat": now,
		"nbf": now,
		"exp": in.now.Add(in.lifetime).Unix(),
		"vc":  vc,
	}
	if in.holder.JWK != nil {
		claims["cnf"] = map[string]any{"jwk": in.holder.JWK} // RFC 7800
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return nil, err
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.SignatureAlgorithm(in.signer.Alg()), Key: in.signer.Key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader(jose.HeaderKey("kid"), in.signer.KeyID))
	if err != nil {
		return nil, fmt.Errorf("jwt_vc_json signer: %w", err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return nil, fmt.Errorf("jwt_vc_json sign: %w", err)
	}
	return jws.CompactSerialize()
}
