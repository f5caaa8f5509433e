package issuer

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/loginwithiota/verifier/sdjwt"
)

// sdJWTFormat is dc+sd-jwt (§A.3): an IETF SD-JWT VC, "the value of the
// credential claim in the Credential Response MUST be a string that is an
// SD-JWT VC". The offer's claims are top-level claims, each selectively
// disclosable unless its description says sd: never; vct is the
// configuration's; cnf.jwk is the holder's key (the proof's jwk, or the
// key its kid names in its DID); iss is the issuer's DID (kid its key's
// DID URL) or, with SDJWTIssuerURL, the Credential Issuer Identifier (kid
// the key's JWK thumbprint, the key published at
// /.well-known/jwt-vc-issuer).
type sdJWTFormat struct{}

// sdRegistered are the claims an SD-JWT VC carries for itself (SD-JWT VC
// §3.2.2.2: iss, nbf, exp, cnf, vct, status "MUST NOT be selectively
// disclosed"; iat and the digest members are set here): an offer may not
// set them.
var sdRegistered = []string{"iss", "nbf", "exp", "iat", "cnf", "vct", "vct#integrity", "aka_vcts", "status", "_sd", "_sd_alg", "..."}

func (sdJWTFormat) checkClaim(name string) error {
	if slices.Contains(sdRegistered, name) {
		return fmt.Errorf("claim %s is a registered claim of an SD-JWT VC, set by the issuer", clip(name))
	}
	return nil
}

func (sdJWTFormat) normalize(c *Configuration, alg string) error {
	switch {
	case c.VCT == "":
		// §A.3.2: "vct: REQUIRED. String designating the type of a Credential".
		return fmt.Errorf("credential configuration %s: a dc+sd-jwt configuration needs a vct", c.ID)
	case c.ProofType != "":
		return fmt.Errorf("credential configuration %s: proof_type is for ldp_vc; a dc+sd-jwt credential is signed with the issuer key's alg (%s)", c.ID, alg)
	case len(c.Types) > 0 || len(c.Contexts) > 0:
		return fmt.Errorf("credential configuration %s: types and contexts are for the W3C formats; a dc+sd-jwt configuration names its type with vct", c.ID)
	}
	return nil
}

// metadata: §A.3.2 "vct: REQUIRED"; the credential is bound to a key
// (cnf.jwk), whichever way the proof named it.
func (sdJWTFormat) metadata(c *Configuration, alg string, entry map[string]any) {
	entry["vct"] = c.VCT
	entry["credential_signing_alg_values_supported"] = []any{alg}
	entry["cryptographic_binding_methods_supported"] = []any{"jwk"}
}

// claimPath: §A.3.2 claims "as defined in Appendix B.2": a path from the
// SD-JWT VC's top level.
func (sdJWTFormat) claimPath(name string) []any { return []any{name} }

func (sdJWTFormat) issue(_ context.Context, in *issueInput) (any, error) {
	if in.holder.Key == nil {
		return nil, errors.New("dc+sd-jwt: no holder key to bind to")
	}
	claims := make(map[string]any, len(in.claims)+6)
	maps.Copy(claims, in.claims)
	var disclose []sdjwt.Path
	for name := range in.claims {
		if sdNever(in.config, name) {
			continue
		}
		disclose = append(disclose, sdjwt.Path{name})
	}
	signer := sdjwt.Signer{Key: in.signer.Key, KeyID: in.signer.KeyID}
	claims["iss"] = in.signer.DID
	if in.sdIss == SDJWTIssuerURL {
		kid, err := in.signer.Thumbprint()
		if err != nil {
			return nil, err
		}
		claims["iss"], signer.KeyID = in.identifier, kid
	}
	claims["vct"] = in.config.VCT
	claims["iat"] = in.now.Unix()
	claims["exp"] = in.now.Add(in.lifetime).Unix()
	claims["cnf"] = map[string]any{"jwk": maps.Clone(in.holder.Key)} // RFC 7800 §3.2
	return sdjwt.Issue(claims, disclose, signer, sdjwt.IssueOptions{})
}

// sdNever reports whether c describes claim name as never disclosable;
// claims it does not describe are disclosable.
func sdNever(c *Configuration, name string) bool {
	for _, cl := range c.Claims {
		if cl.Name == name {
			return cl.SD == SDNever
		}
	}
	return false
}
