package issuer

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/loginwithiota/verifier/did"
	didjwk "github.com/loginwithiota/verifier/did/jwk"
	"github.com/loginwithiota/verifier/oauth"
)

// maxProofBytes bounds a key proof JWT (a jwk header and four claims are
// well under 2 KB).
const maxProofBytes = 8 << 10

// keyProof is a verified jwt key proof: the key the credential is bound to
// and the c_nonce the proof spends.
type keyProof struct {
	holder holder
	nonce  string
}

func invalidProof(reason, format string, args ...any) *oauth.Error {
	return oauth.Newf(oauth.InvalidProof, reason, format, args...)
}

// verifyJWTProof checks a jwt key proof as §F.4 "Verifying Proof" lists:
// required claims, explicit typing, an asymmetric alg that is not none,
// the signature by the key the header names, no private key in the
// header, and a fresh iat. The nonce is checked (and spent) by the caller,
// after everything else passed, so a broken proof does not burn it.
func (iss *Issuer) verifyJWTProof(ctx context.Context, token string) (*keyProof, error) {
	if len(token) > maxProofBytes || strings.Count(token, ".") != 2 {
		return nil, invalidProof(reasonProofMalformed, "the jwt proof is not a compact JWS of at most %d bytes", maxProofBytes)
	}
	hdr, err := decodeSegment(token[:strings.IndexByte(token, '.')])
	if err != nil {
		return nil, invalidProof(reasonProofMalformed, "the jwt proof's header is not base64url-encoded JSON")
	}
	alg, _ := hdr["alg"].(string)
	switch {
	case strings.EqualFold(alg, "none"):
		// "alg: REQUIRED ... It MUST NOT be none or an identifier for a symmetric algorithm (MAC)."
		return nil, invalidProof(reasonProofHeader, "alg none is not allowed: the proof must be signed with the holder's key")
	case strings.HasPrefix(alg, "HS"):
		return nil, invalidProof(reasonProofHeader, "alg %s is symmetric: the proof must be signed with an asymmetric key", clip(alg))
	case alg != AlgEdDSA && alg != AlgES256:
		// "the alg JWT header ... MUST match one of the values listed in the
		// proof_signing_alg_values_supported metadata parameter".
		return nil, invalidProof(reasonProofHeader, "alg %s is not supported (supported: EdDSA, ES256)", clip(alg))
	}
	// "typ: REQUIRED. MUST be openid4vci-proof+jwt" (RFC 7515 §4.1.9: the
	// application/ prefix may be left out, compared case-insensitively).
	if typ, _ := hdr["typ"].(string); !strings.EqualFold(strings.TrimPrefix(strings.ToLower(typ), "application/"), ProofJWTType) {
		return nil, invalidProof(reasonProofHeader, "typ must be %s", ProofJWTType)
	}
	_, hasKid := hdr["kid"]
	_, hasJWK := hdr["jwk"]
	if _, hasX5C := hdr["x5c"]; hasX5C {
		return nil, invalidProof(reasonProofHeader, "x5c is not supported: name the key with kid (a did:key or did:jwk DID URL) or jwk")
	}
	// kid: "It MUST NOT be present if jwk or x5c is present."
	switch {
	case hasKid && hasJWK:
		return nil, invalidProof(reasonProofHeader, "the header must hold exactly one of kid and jwk, not both")
	case !hasKid && !hasJWK:
		return nil, invalidProof(reasonProofHeader, "the header must name the key with kid (a did:key or did:jwk DID URL) or jwk")
	}
	if hasJWK {
		if err := noPrivateMembers(hdr["jwk"]); err != nil {
			return nil, err
		}
	}
	jws, err := jose.ParseSigned(token, []jose.SignatureAlgorithm{jose.SignatureAlgorithm(alg)})
	if err != nil || len(jws.Signatures) != 1 {
		return nil, invalidProof(reasonProofMalformed, "the jwt proof does not parse as a JWS").WithCause(err)
	}
	var (
		pub crypto.PublicKey
		h   holder
	)
	if hasJWK {
		pub, h, err = jwkHolder(hdr["jwk"], jws.Signatures[0].Header.JSONWebKey)
	} else {
		pub, h, err = iss.kidHolder(ctx, hdr["kid"])
	}
	if err != nil {
		return nil, err
	}
	if !keyFits(pub, alg) {
		return nil, invalidProof(reasonProofKey, "the header's key is not a key for alg %s", alg)
	}
	// "The Credential Issuer MUST validate that the JWT used as a proof is
	// actually signed by a key identified in the JOSE Header".
	payload, err := jws.Verify(pub)
	if err != nil {
		return nil, invalidProof(reasonProofSignature, "the proof's signature does not verify with the key its header names")
	}
	nonce, err := iss.checkProofClaims(payload)
	if err != nil {
		return nil, err
	}
	return &keyProof{holder: h, nonce: nonce}, nil
}

// checkProofClaims: "aud: REQUIRED (string). The value of this claim MUST
// be the Credential Issuer Identifier"; "iat: REQUIRED (number)"; "nonce
// ... MUST be present when the issuer has a Nonce Endpoint".
func (iss *Issuer) checkProofClaims(payload []byte) (string, error) {
	var c struct {
		Aud   any         `json:"aud"`
		Iat   json.Number `json:"iat"`
		Nonce *string     `json:"nonce"`
	}
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	if err := dec.Decode(&c); err != nil {
		return "", invalidProof(reasonProofClaims, "the proof's payload is not a JSON object with aud (string), iat (number) and nonce (string)")
	}
	if !audienceIs(c.Aud, iss.cfg.Identifier) {
		return "", invalidProof(reasonProofClaims, "aud must be the credential issuer identifier %s", iss.cfg.Identifier)
	}
	iat, err := c.Iat.Float64()
	if c.Iat == "" || err != nil {
		return "", invalidProof(reasonProofClaims, "iat is required (seconds since the epoch)")
	}
	now := iss.cfg.Now()
	at := time.Unix(int64(iat), 0)
	if at.After(now.Add(iss.cfg.ProofClockSkew)) || at.Before(now.Add(-iss.cfg.ProofMaxAge)) {
		return "", invalidProof(reasonProofClaims, "iat is too far from now: a proof must be made within %s before it is sent", iss.cfg.ProofMaxAge)
	}
	// §8.3.1.2 invalid_proof: "(3) if at least one of the key proofs does
	// not contain a c_nonce value".
	if c.Nonce == nil || *c.Nonce == "" || len(*c.Nonce) > 128 {
		return "", invalidProof(reasonProofClaims, "nonce is required: a c_nonce from the nonce endpoint")
	}
	return *c.Nonce, nil
}

func audienceIs(aud any, want string) bool {
	switch a := aud.(type) {
	case string:
		return a == want
	case []any: // RFC 7519 allows a list; it must name us
		return len(a) == 1 && a[0] == want
	}
	return false
}

// jwkHolder reads a jwk header: a public key only ("the header parameter
// does not contain a private key"); the credential's subject is its did:jwk.
func jwkHolder(raw any, parsed *jose.JSONWebKey) (crypto.PublicKey, holder, error) {
	if err := noPrivateMembers(raw); err != nil {
		return nil, holder{}, err
	}
	if parsed == nil || !parsed.Valid() || !parsed.IsPublic() {
		return nil, holder{}, invalidProof(reasonProofKey, "the jwk header is not a valid public key")
	}
	pub, ok := publicJWK(parsed.Key)
	if !ok {
		return nil, holder{}, invalidProof(reasonProofKey, "the jwk header must be an Ed25519 (OKP) or P-256 (EC) key")
	}
	id, _, err := didjwk.FromJWK(pub)
	if err != nil {
		return nil, holder{}, invalidProof(reasonProofKey, "the jwk header cannot be encoded").WithCause(err)
	}
	return parsed.Key, holder{DID: id, JWK: pub, Key: pub}, nil
}

func noPrivateMembers(raw any) error {
	m, ok := raw.(map[string]any)
	if !ok {
		return invalidProof(reasonProofKey, "the jwk header must be a JSON object")
	}
	for _, private := range []string{"d", "p", "q", "dp", "dq", "qi", "k"} {
		if _, ok := m[private]; ok {
			return invalidProof(reasonProofKey, "the jwk header holds private key material (%s): send the public key only", private)
		}
	}
	return nil
}

// publicJWK is the minimal public JWK of key (RFC 7638's members), the
// form its did:jwk is made of.
func publicJWK(key any) (map[string]any, bool) {
	enc := base64.RawURLEncoding
	switch k := key.(type) {
	case ed25519.PublicKey:
		return map[string]any{"kty": "OKP", "crv": "Ed25519", "x": enc.EncodeToString(k)}, true
	case *ecdsa.PublicKey:
		if k.Curve != elliptic.P256() {
			return nil, false
		}
		raw, err := k.Bytes() // 0x04 || X || Y
		if err != nil || len(raw) != 65 {
			return nil, false
		}
		return map[string]any{"kty": "EC", "crv": "P-256", "x": enc.EncodeToString(raw[1:33]), "y": enc.EncodeToString(raw[33:])}, true
	}
	return nil, false
}

// kidHolder resolves a kid: "If the Credential is to be bound to a DID,
// the kid refers to a DID URL which identifies a particular key in the DID
// Document". The key must be one the DID authenticates with, since the
// holder will present with it.
func (iss *Issuer) kidHolder(ctx context.Context, raw any) (crypto.PublicKey, holder, error) {
	kid, _ := raw.(string)
	id, fragment := did.Split(kid)
	method, err := did.Method(id)
	if err != nil || fragment == "" || (method != "key" && method != "jwk") {
		return nil, holder{}, invalidProof(reasonProofKey, "kid must be a did:key or did:jwk DID URL naming a key (did:...#fragment)")
	}
	doc, err := iss.cfg.Keys.Resolve(ctx, id)
	if err != nil {
		return nil, holder{}, invalidProof(reasonProofKey, "the kid's DID cannot be resolved").WithCause(err)
	}
	vm, err := doc.Dereference(kid, "authentication")
	if err != nil {
		return nil, holder{}, invalidProof(reasonProofKey, "the kid is not an authentication key of its DID").WithCause(err)
	}
	pub, err := vm.PublicKey()
	if err != nil {
		return nil, holder{}, invalidProof(reasonProofKey, "the kid's key is not an Ed25519 or P-256 key").WithCause(err)
	}
	jwk, ok := publicJWK(pub)
	if !ok {
		return nil, holder{}, invalidProof(reasonProofKey, "the kid's key is not an Ed25519 or P-256 key")
	}
	return pub, holder{DID: id, Key: jwk}, nil
}

// keyFits reports whether pub signs with alg.
func keyFits(pub crypto.PublicKey, alg string) bool {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return alg == AlgEdDSA
	case *ecdsa.PublicKey:
		return alg == AlgES256 && k.Curve == elliptic.P256()
	}
	return false
}

// decodeSegment decodes a base64url JWS segment holding a JSON object.
func decodeSegment(seg string) (map[string]any, error) {
	raw, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	return m, nil
}
