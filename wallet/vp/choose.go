package vp

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/loginwithiota/verifier/jwtvc"
	"github.com/loginwithiota/verifier/pex"
	"github.com/loginwithiota/verifier/wallet"
)

// Presentation formats and the linked-data proof types the wallet signs
// presentations with, in its order of preference (the profile's first).
const (
	FormatLDPVP = "ldp_vp"
	FormatJWTVP = "jwt_vp_json"
	// FormatSDJWT is the SD-JWT VC credential format, presented as itself
	// with a KB-JWT.
	FormatSDJWT = "dc+sd-jwt"
)

var ldpProofTypes = []string{"JcsEd25519Signature2020", "Ed25519Signature2020", "DataIntegrityProof"}

// Choice is what the wallet will present.
type Choice struct {
	// Format is the presentation format; ProofType its proof (ldp_vp) or
	// alg (jwt_vp_json).
	Format, ProofType string
	// Credentials are the wallet's credentials to present, in the
	// presentation's order.
	Credentials []wallet.Stored
	Submission  *pex.Submission
	// Descriptors name, per credential, the input descriptors it answers.
	Descriptors [][]string
	// Queries are a 1.0 request's answers, one per credential query (nil
	// for Presentation Exchange).
	Queries []QueryChoice
}

// Choose selects which of creds answer the request: for a 1.0 request by
// its DCQL query (dcql.go); for the others with pex, trying a
// linked-data presentation first, then a JWT one, each with only what
// the verifier accepts (client_metadata.vp_formats where the request has
// it, the definition's formats always). SD-JWT VCs are presented to DCQL
// queries only.
func Choose(r *Request, creds []wallet.Stored, key *wallet.Key) (*Choice, error) {
	if r.DCQL != nil {
		return chooseDCQL(r, creds, key)
	}
	def, err := pex.ParseDefinition(r.Definition)
	if err != nil {
		return nil, fmt.Errorf("the presentation definition: %w", err)
	}
	creds = slices.DeleteFunc(slices.Clone(creds), func(c wallet.Stored) bool { return c.Format == FormatSDJWT })
	all := make([]any, len(creds))
	for i, c := range creds {
		// pex reads credentials as encoding/json decodes them.
		b, _ := json.Marshal(c.Credential.Credential)
		_ = json.Unmarshal(b, &all[i])
	}
	var reasons []string
	for _, pf := range []string{FormatLDPVP, FormatJWTVP} {
		proof, why := presentationProof(r, pf, key)
		if why != "" {
			reasons = append(reasons, why)
			continue
		}
		opts := pex.SelectOptions{HolderDIDs: []string{key.DID}, PresentationFormat: pf, DecodeJWT: decodeJWT}
		if pf == FormatLDPVP {
			opts.PresentationProofType = proof
		}
		sel, err := def.Select(all, opts)
		if err != nil {
			reasons = append(reasons, pf+": "+err.Error())
			continue
		}
		c := &Choice{Format: pf, ProofType: proof, Submission: sel.Submission}
		for _, sc := range sel.Credentials {
			if sc.Limited != nil {
				return nil, errors.New("the request limits disclosure, which needs a selective-disclosure credential this wallet does not hold")
			}
			c.Credentials = append(c.Credentials, creds[sc.Index])
			c.Descriptors = append(c.Descriptors, sc.DescriptorIDs)
		}
		return c, nil
	}
	return nil, fmt.Errorf("%w: %s", ErrNoMatch, strings.Join(reasons, "; "))
}

// presentationProof picks how a presentation of format pf is signed, or
// says why the wallet cannot make one the verifier accepts.
func presentationProof(r *Request, pf string, key *wallet.Key) (string, string) {
	var allowed []string
	if r.VPFormats != nil {
		f, ok := r.VPFormats[pf]
		if !ok {
			// Draft 20: the verifier "MUST indicate in the vp_formats
			// parameter the supported formats of both Verifiable
			// Credential and Verifiable Presentation".
			return "", pf + " is not in the request's vp_formats"
		}
		allowed = f["proof_type"]
		if pf == FormatJWTVP {
			allowed = f["alg"]
		}
	}
	if pf == FormatJWTVP {
		if len(allowed) > 0 && !slices.Contains(allowed, key.Alg) {
			return "", fmt.Sprintf("jwt_vp_json: the verifier takes %s, the wallet's key signs %s", strings.Join(allowed, ", "), key.Alg)
		}
		return key.Alg, ""
	}
	if key.Ed25519() == nil {
		return "", "ldp_vp: the wallet's key is not an Ed25519 key"
	}
	for _, t := range ldpProofTypes {
		if len(allowed) == 0 || slices.Contains(allowed, t) {
			return t, ""
		}
	}
	return "", fmt.Sprintf("ldp_vp: the verifier takes %s, the wallet signs %s", strings.Join(allowed, ", "), strings.Join(ldpProofTypes, ", "))
}

// decodeJWT is pex's view of a JWT credential: its alg and claims, not
// verified (the verifier verifies; the wallet checked it on arrival).
func decodeJWT(token string) (*pex.JWT, error) {
	alg, claims, err := jwtvc.Peek(token)
	if err != nil {
		return nil, err
	}
	return &pex.JWT{Alg: alg, Claims: claims}, nil
}
