package vp

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/loginwithiota/verifier/ldproof"
	"github.com/loginwithiota/verifier/wallet"
)

// Answer is what the wallet posts.
type Answer struct {
	// VPToken is the presentation: JSON text (ldp_vp) or a JWT; for a 1.0
	// request the JSON object of presentations by credential query id.
	VPToken string
	// Submission is the presentation_submission (nil for a 1.0 request).
	Submission []byte
	// token is a 1.0 vp_token as a value, for an encrypted answer.
	token map[string][]any
}

// Contexts of the presentations the wallet signs.
const (
	contextVC11          = "https://www.w3.org/2018/credentials/v1"
	contextEd25519_2020  = "https://w3id.org/security/suites/ed25519-2020/v1"
	contextDataIntegrity = "https://w3id.org/security/data-integrity/v2"
)

// Present signs the chosen credentials into one presentation for r: bound
// to r's nonce (challenge / nonce) and client_id (domain / aud).
func Present(r *Request, c *Choice, key *wallet.Key, now time.Time) (*Answer, error) {
	if c.Queries != nil {
		return presentDCQL(r, c, key, now)
	}
	sub, err := json.Marshal(c.Submission)
	if err != nil {
		return nil, err
	}
	creds := make([]any, len(c.Credentials))
	for i, s := range c.Credentials {
		creds[i] = s.Credential.Credential
	}
	var token string
	if c.Format == FormatJWTVP {
		token, err = jwtPresentation(r, creds, key, now)
	} else {
		token, err = ldpPresentation(r, c.ProofType, creds, key, now)
	}
	if err != nil {
		return nil, fmt.Errorf("signing the presentation: %w", err)
	}
	return &Answer{VPToken: token, Submission: sub}, nil
}

func ldpPresentation(r *Request, proofType string, creds []any, key *wallet.Key, now time.Time) (string, error) {
	ctx := []any{contextVC11}
	switch proofType {
	case "Ed25519Signature2020":
		ctx = append(ctx, contextEd25519_2020)
	case "DataIntegrityProof":
		ctx = append(ctx, contextDataIntegrity)
	}
	vp := map[string]any{
		"@context":             ctx,
		"id":                   urnUUID(),
		"type":                 []any{"VerifiablePresentation"},
		"holder":               key.DID,
		"verifiableCredential": creds,
	}
	proof := map[string]any{
		"verificationMethod": key.KeyID,
		"proofPurpose":       "authentication",
		"created":            now.UTC().Format(time.RFC3339),
		"challenge":          r.Nonce,
		"domain":             r.ClientID,
	}
	var (
		signed map[string]any
		err    error
	)
	switch proofType {
	case ldproof.TypeJcsEd25519Signature2020:
		signed, err = ldproof.SignJcsEd25519(vp, proof, key.Ed25519())
	case "DataIntegrityProof":
		proof["type"], proof["cryptosuite"] = ldproof.TypeDataIntegrityProof, ldproof.CryptosuiteEdDSARDFC
		signed, err = ldproof.Sign(vp, proof, key.Ed25519(), nil)
	default:
		proof["type"] = proofType
		signed, err = ldproof.Sign(vp, proof, key.Ed25519(), nil)
	}
	if err != nil {
		return "", err
	}
	raw, err := json.Marshal(signed)
	return string(raw), err
}

// jwtPresentation is a jwt_vp_json (VC Data Model 1.1 JWT encoding): iss
// the holder, aud the client_id, nonce the request's.
func jwtPresentation(r *Request, creds []any, key *wallet.Key, now time.Time) (string, error) {
	claims := map[string]any{
		"iss":   key.DID,
		"aud":   r.ClientID,
		"nonce": r.Nonce,
		"iat":   now.Unix(),
		"nbf":   now.Unix(),
		"exp":   now.Add(5 * time.Minute).Unix(),
		"jti":   urnUUID(),
		"vp": map[string]any{
			"@context":             []any{contextVC11},
			"type":                 []any{"VerifiablePresentation"},
			"holder":               key.DID,
			"verifiableCredential": creds,
		},
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.SignatureAlgorithm(key.Alg), Key: key.Signer()},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", key.KeyID))
	if err != nil {
		return "", err
	}
	jws, err := s.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}

func urnUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
