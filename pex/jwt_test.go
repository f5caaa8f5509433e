package pex

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// testJWT builds an unsigned-looking compact JWS: pex never checks the
// signature (the caller verifies every token), it only reads the header's
// alg and the payload through the decoder it is given.
func testJWT(alg string, claims map[string]any) string {
	h, _ := json.Marshal(map[string]any{"alg": alg, "typ": "JWT"})
	p, _ := json.Marshal(claims)
	return base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(p) + ".c2ln"
}

// testDecoder decodes what testJWT builds; the verifier hands in go-jose's
// parser instead.
func testDecoder(token string) (*JWT, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, errors.New("not three segments")
	}
	var h struct{ Alg string }
	var claims map[string]any
	hb, err1 := base64.RawURLEncoding.DecodeString(parts[0])
	pb, err2 := base64.RawURLEncoding.DecodeString(parts[1])
	if err1 != nil || err2 != nil || json.Unmarshal(hb, &h) != nil || json.Unmarshal(pb, &claims) != nil {
		return nil, errors.New("not a JWT")
	}
	return &JWT{Alg: h.Alg, Claims: claims}, nil
}

const (
	jwtHolder = "did:jwk:holder"
	jwtIssuer = "did:iota:testnet:0x01"
)

func jwtVC(alg, sub string) string {
	return testJWT(alg, map[string]any{"iss": jwtIssuer, "sub": sub, "jti": "urn:vc:1", "nbf": 1767225600,
		"vc": map[string]any{"@context": []any{"https://www.w3.org/2018/credentials/v1"},
			"type":              []any{"VerifiableCredential", "UniversityDegreeCredential"},
			"credentialSubject": map[string]any{"degree": map[string]any{"type": "BachelorDegree"}}}})
}

func jwtVP(alg string, vcs ...any) string {
	return testJWT(alg, map[string]any{"iss": jwtHolder, "aud": "https://verifier.example", "nonce": "n",
		"vp": map[string]any{"@context": []any{"https://www.w3.org/2018/credentials/v1"},
			"type": []any{"VerifiablePresentation"}, "verifiableCredential": vcs}})
}

func TestEvaluateJWT(t *testing.T) {
	def := func(format string) *Definition {
		return mustDefinition(t, []byte(`{"id":"d",`+format+`"input_descriptors":[{"id":"degree","constraints":{
			"fields":[{"path":["$.vc.credentialSubject.degree.type","$.credentialSubject.degree.type"],"filter":{"type":"string","const":"BachelorDegree"}},
			          {"path":["$.credentialSubject.degree.type"],"filter":{"type":"string","const":"BachelorDegree"}},
			          {"id":"t","path":["$.type"],"filter":{"type":"string","pattern":"UniversityDegreeCredential"}}],
			"is_holder":[{"field_id":["t"],"directive":"required"}]}}]}`))
	}
	sub := func(vpFormat, vcFormat, path, nested string) *Submission {
		return mustSubmission(t, []byte(`{"id":"s","definition_id":"d","descriptor_map":[{"id":"degree","format":"`+vpFormat+`","path":"`+path+`",
			"path_nested":{"id":"degree","format":"`+vcFormat+`","path":"`+nested+`"}}]}`))
	}
	opts := Options{DecodeJWT: testDecoder}
	anyFormat := def("")
	vp := jwtVP("EdDSA", jwtVC("EdDSA", jwtHolder))
	enveloped := jwtVP("EdDSA", map[string]any{"@context": []any{"https://www.w3.org/ns/credentials/v2"},
		"type": "EnvelopedVerifiableCredential", "id": envelopedVCPrefix + testJWT("EdDSA", map[string]any{
			"@context": []any{"https://www.w3.org/ns/credentials/v2"}, "issuer": jwtIssuer,
			"type":              []any{"VerifiableCredential", "UniversityDegreeCredential"},
			"credentialSubject": map[string]any{"id": jwtHolder, "degree": map[string]any{"type": "BachelorDegree"}}})})

	vcOnly := mustDefinition(t, []byte(`{"id":"d","input_descriptors":[{"id":"degree","constraints":{
		"fields":[{"path":["$.vc.credentialSubject.degree.type"],"filter":{"type":"string","const":"BachelorDegree"}}]}}]}`))
	ok := []struct {
		name    string
		d       *Definition
		s       *Submission
		vpToken any
	}{
		{"OID4VP paths", anyFormat, sub("jwt_vp_json", "jwt_vc_json", "$", "$.vp.verifiableCredential[0]"), vp},
		{"path relative to the vp claim", anyFormat, sub("jwt_vp_json", "jwt_vc_json", "$", "$.verifiableCredential[0]"), vp},
		{"older designations", anyFormat, sub("jwt_vp", "jwt_vc", "$", "$.vp.verifiableCredential[0]"), vp},
		{"in an array with an ldp_vp", anyFormat, sub("jwt_vp_json", "jwt_vc_json", "$[1]", "$.vp.verifiableCredential[0]"), []any{map[string]any{}, vp}},
		{"alg allowed", def(`"format":{"jwt_vp_json":{"alg":["EdDSA"]},"jwt_vc_json":{"alg":["ES256","EdDSA"]}},`),
			sub("jwt_vp_json", "jwt_vc_json", "$", "$.vp.verifiableCredential[0]"), vp},
		{"the JWT's own layout", vcOnly, sub("jwt_vp_json", "jwt_vc_json", "$", "$.vp.verifiableCredential[0]"), vp},
		{"VC 2.0 enveloped vc+jwt", anyFormat, sub("jwt_vp_json", "jwt_vc_json", "$", "$.vp.verifiableCredential[0]"), enveloped},
	}
	for _, tc := range ok {
		t.Run(tc.name, func(t *testing.T) {
			res, err := tc.d.EvaluateWith(tc.s, tc.vpToken, opts)
			if err != nil {
				t.Fatal(err)
			}
			if m := res.Matches[0]; m.Format != tc.s.DescriptorMap[0].PathNested.Format || credentialIssuer(m.Value.(map[string]any)) != jwtIssuer {
				t.Errorf("match %+v", m)
			}
		})
	}

	bad := []struct {
		name      string
		d         *Definition
		s         *Submission
		vpToken   any
		opts      Options
		code      string
		fragments []string
	}{
		{"no decoder", anyFormat, sub("jwt_vp_json", "jwt_vc_json", "$", "$.vp.verifiableCredential[0]"), vp, Options{},
			CodeFormatMismatch, []string{`format "jwt_vp_json" is not supported`}},
		{"alg not allowed", def(`"format":{"jwt_vc_json":{"alg":["ES256"]}},`), sub("jwt_vp_json", "jwt_vc_json", "$", "$.vp.verifiableCredential[0]"), vp, opts,
			CodeFormatMismatch, []string{`alg "EdDSA" is not allowed (allowed for jwt_vc_json: ES256)`}},
		{"JWT not allowed by an ldp definition", def(`"format":{"ldp_vc":{"proof_type":["Ed25519Signature2020"]}},`),
			sub("jwt_vp_json", "jwt_vc_json", "$", "$.vp.verifiableCredential[0]"), vp, opts,
			CodeFormatMismatch, []string{"format jwt_vc_json is not allowed by the presentation definition (allowed: ldp_vc)"}},
		{"a credential JWT as the presentation", anyFormat, sub("jwt_vp_json", "jwt_vc_json", "$", "$.vp.verifiableCredential[0]"), jwtVC("EdDSA", jwtHolder), opts,
			CodeFormatMismatch, []string{"the JWT has no vp claim"}},
		{"not a JWT", anyFormat, sub("jwt_vp_json", "jwt_vc_json", "$", "$.vp.verifiableCredential[0]"), "not.a.jwt", opts,
			CodeFormatMismatch, []string{"does not decode as a JWT"}},
		{"an object", anyFormat, sub("jwt_vp_json", "jwt_vc_json", "$", "$.vp.verifiableCredential[0]"), map[string]any{"vp": map[string]any{}}, opts,
			CodeFormatMismatch, []string{"not a JWT"}},
		{"a presentation JWT as the credential", anyFormat, sub("jwt_vp_json", "jwt_vp_json", "$", "$.vp.verifiableCredential[0]"), vp, opts,
			CodeFormatMismatch, []string{"describes a presentation"}},
		{"subject is not the holder", anyFormat, sub("jwt_vp_json", "jwt_vc_json", "$", "$.vp.verifiableCredential[0]"),
			jwtVP("EdDSA", jwtVC("EdDSA", "did:jwk:someone-else")), opts, CodeIsHolder, nil},
		{"path not found", anyFormat, sub("jwt_vp_json", "jwt_vc_json", "$", "$.vp.verifiableCredential[1]"), vp, opts, CodePathNotFound, nil},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.d.EvaluateWith(tc.s, tc.vpToken, tc.opts)
			wantCode(t, err, tc.code, tc.fragments...)
		})
	}
}
