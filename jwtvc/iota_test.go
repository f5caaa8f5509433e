package jwtvc_test

import (
	"testing"
	"time"

	"github.com/loginwithiota/verifier/internal/testshared"
	"github.com/loginwithiota/verifier/jwtvc"
)

// iota-synthetic's vp.jwt: made by IOTA's library, nonce in the protected
// header, aud with a trailing slash, exp 10 minutes after issue; its vc.jwt
// has nbf and no exp.
const (
	sharedNonce  = "475a7984-1bb5-4c4c-a56f-822bccd46440"
	sharedVPExp  = 1795390755
	sharedVCNbf  = 1795390155
	sharedHolder = "did:iota:testnet:0x65ba27cd752acc1b91b2610a85dd7401fea97888110f5446f113f0afa7c307e8"
	sharedIssuer = "did:iota:testnet:0x3e1dd6cf697be348f9bd82ca4ac51c88e8454fb9cd181c94f41ec07a3695ba0b"
)

func TestSharedIOTAPresentation(t *testing.T) {
	vp := readToken(t, "vp.jwt")
	keys := keysFor(t, nil)
	inside := unix(sharedVPExp - 300)
	opts := func(mod func(*jwtvc.Options)) jwtvc.Options {
		o := jwtvc.Options{Nonce: sharedNonce, Audience: "https://verifier.example.org", Now: inside}
		if mod != nil {
			mod(&o)
		}
		return o
	}
	p, err := jwtvc.VerifyPresentation(ctx, vp, keys, opts(nil))
	if err != nil {
		t.Fatal(err)
	}
	if p.Holder != sharedHolder || p.Nonce != sharedNonce || p.Key.ID != sharedHolder+"#key-1" || p.Algorithm != "EdDSA" ||
		p.ValidUntil.Unix() != sharedVPExp || p.VP["holder"] != sharedHolder || len(p.Credentials) != 1 {
		t.Fatalf("presentation = %+v", p)
	}
	c := p.Credentials[0]
	if c.Issuer != sharedIssuer || c.Subject != sharedHolder || c.Format != jwtvc.FormatJWTVC || c.ID != "https://example.edu/credentials/3732" ||
		c.ValidFrom.Unix() != sharedVCNbf || !c.ValidUntil.IsZero() || c.Types[1] != "UniversityDegreeCredential" {
		t.Fatalf("credential = %+v", c)
	}
	// The decoded credential carries what the JWT claims stand for.
	cs := c.VC["credentialSubject"].(map[string]any)
	if c.VC["issuer"] != sharedIssuer || cs["id"] != sharedHolder || c.VC["id"] != c.ID ||
		c.VC["issuanceDate"] != time.Unix(sharedVCNbf, 0).UTC().Format(time.RFC3339) || cs["name"] != "Alice" {
		t.Errorf("VC = %v", c.VC)
	}
	if _, ok := c.Claims["vc"].(map[string]any)["issuer"]; ok {
		t.Error("filling VC changed Claims")
	}

	for _, tc := range []struct {
		name       string
		token      string
		opts       jwtvc.Options
		code       string
		credential int
	}{
		{"expired", vp, opts(func(o *jwtvc.Options) { o.Now = unix(sharedVPExp + 61) }), jwtvc.CodeExpired, -1},
		{"within the skew", vp, opts(func(o *jwtvc.Options) { o.Now = unix(sharedVPExp + 59) }), "", 0},
		{"no skew", vp, opts(func(o *jwtvc.Options) { o.Now = unix(sharedVPExp); o.ClockSkew = -1 }), jwtvc.CodeExpired, -1},
		{"credential not yet valid", vp, opts(func(o *jwtvc.Options) { o.Now = unix(sharedVCNbf - 120) }), jwtvc.CodeNotYetValid, 0},
		{"wrong nonce", vp, opts(func(o *jwtvc.Options) { o.Nonce = "475a7984-1bb5-4c4c-a56f-822bccd46441" }), jwtvc.CodeNonceMismatch, -1},
		{"wrong audience", vp, opts(func(o *jwtvc.Options) { o.Audience = "https://verifier.example.com/" }), jwtvc.CodeAudienceMismatch, -1},
		{"audience path differs", vp, opts(func(o *jwtvc.Options) { o.Audience = "https://verifier.example.org/cb" }), jwtvc.CodeAudienceMismatch, -1},
		{"audience case and port", vp, opts(func(o *jwtvc.Options) { o.Audience = "HTTPS://Verifier.Example.org:443" }), "", 0},
		{"tampered payload", testshared.TamperJWT(t, vp, func(c map[string]any) { c["exp"] = float64(sharedVPExp + 3600) }), opts(nil), jwtvc.CodeInvalidSignature, -1},
		{"tampered credential", testshared.TamperJWT(t, vp, func(c map[string]any) {
			vcs := c["vp"].(map[string]any)["verifiableCredential"].([]any)
			vcs[0] = testshared.TamperJWT(t, vcs[0].(string), func(vc map[string]any) { vc["sub"] = "did:key:z6MkAttacker" })
		}), opts(nil), jwtvc.CodeInvalidSignature, -1},
		{"EdDSA not allowed", vp, opts(func(o *jwtvc.Options) { o.Algorithms = []string{"ES256"} }), jwtvc.CodeAlgNotAllowed, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := jwtvc.VerifyPresentation(ctx, tc.token, keys, tc.opts)
			wantCode(t, err, tc.code, tc.credential)
		})
	}

	// IOTA's documents list the keys under verificationMethod only: with the
	// relationships enforced, neither key is authorised.
	strict := keys
	strict.legacy = nil
	_, err = jwtvc.VerifyPresentation(ctx, vp, strict, opts(nil))
	wantCode(t, err, jwtvc.CodeKeyResolution, -1)
}

// A credential signed with the embedded-VC key but presented as itself:
// the shared vc.jwt verifies alone; a tampered credential inside a
// re-signed presentation is reported as that credential's failure.
func TestSharedIOTACredential(t *testing.T) {
	keys := keysFor(t, nil)
	vc := readToken(t, "vc.jwt")
	c, err := jwtvc.VerifyCredential(ctx, vc, keys, jwtvc.Options{Now: unix(sharedVCNbf)})
	if err != nil {
		t.Fatal(err)
	}
	if c.VC["credentialStatus"].(map[string]any)["revocationBitmapIndex"] != "5" {
		t.Errorf("credentialStatus = %v", c.VC["credentialStatus"])
	}
	holder := edSigner(t, 9)
	iat := time.Unix(sharedVCNbf+60, 0)
	forged := testshared.TamperJWT(t, vc, func(m map[string]any) {
		m["vc"].(map[string]any)["credentialSubject"].(map[string]any)["degree"] = "PhD"
	})
	vp := holder.sign(t, holder.vpClaims("n", "https://v.example", iat, vc, forged), nil)
	_, err = jwtvc.VerifyPresentation(ctx, vp, keys, jwtvc.Options{Nonce: "n", Audience: "https://v.example", Now: func() time.Time { return iat }})
	wantCode(t, err, jwtvc.CodeInvalidSignature, 1)
	// The presentation JWT is no credential, the credential no presentation.
	_, err = jwtvc.VerifyCredential(ctx, readToken(t, "vp.jwt"), keys, jwtvc.Options{Now: unix(sharedVCNbf)})
	wantCode(t, err, jwtvc.CodeMalformed, -1)
	_, err = jwtvc.VerifyPresentation(ctx, vc, keys, jwtvc.Options{Nonce: "n", Audience: "a", Now: unix(sharedVCNbf)})
	wantCode(t, err, jwtvc.CodeMalformed, -1)
}

// Tokens made by IOTA's library for this package (testdata/README.md):
// did:jwk and did:iota holders, a legacy issuer document, a VC Data Model
// 2.0 vc+jwt enveloped in the presentation.
func TestSyntheticIOTATokens(t *testing.T) {
	s := loadSynthetic(t)
	keys := keysFor(t, s)
	inside := at("2026-03-01T12:05:00Z")
	opts := jwtvc.Options{Nonce: s.Nonce, Audience: s.Audience, Now: inside}
	jwkHolder := s.Documents["jwkHolder"]["id"].(string)
	for _, tc := range []struct {
		token, holder, format, issuer string
	}{
		{"vpJwk", jwkHolder, jwtvc.FormatJWTVC, s.Documents["issuer"]["id"].(string)},
		{"vpJwkRevoked", jwkHolder, jwtvc.FormatJWTVC, s.Documents["issuer"]["id"].(string)},
		{"vpIota", s.Documents["iotaHolder"]["id"].(string), jwtvc.FormatJWTVC, s.Documents["legacyIssuer"]["id"].(string)},
		{"vpV2", jwkHolder, jwtvc.FormatVCJWT, s.Documents["issuer"]["id"].(string)},
	} {
		t.Run(tc.token, func(t *testing.T) {
			p, err := jwtvc.VerifyPresentation(ctx, s.Tokens[tc.token], keys, opts)
			if err != nil {
				t.Fatal(err)
			}
			c := p.Credentials[0]
			if p.Holder != tc.holder || c.Subject != tc.holder || c.Format != tc.format || c.Issuer != tc.issuer {
				t.Errorf("holder %q, credential %s by %q about %q", p.Holder, c.Format, c.Issuer, c.Subject)
			}
			if tc.format == jwtvc.FormatVCJWT && (c.ValidUntil.Format(time.RFC3339) != s.CredentialExpires || c.VC["validFrom"] != s.CredentialNotBefore) {
				t.Errorf("vc+jwt window %v–%v", c.ValidFrom, c.ValidUntil)
			}
		})
	}
	_, err := jwtvc.VerifyPresentation(ctx, s.Tokens["vpJwk"], keys, jwtvc.Options{Nonce: s.Nonce, Audience: s.Audience, Now: at("2026-03-01T12:11:01Z")})
	wantCode(t, err, jwtvc.CodeExpired, -1)
	for _, name := range []string{"vc", "vcRevoked", "vcLegacy", "vcV2"} {
		if _, err := jwtvc.VerifyCredential(ctx, s.Tokens[name], keys, jwtvc.Options{Now: inside}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	_, err = jwtvc.VerifyCredential(ctx, s.Tokens["vc"], keys, jwtvc.Options{Now: at("2027-01-01T00:01:00Z")})
	wantCode(t, err, jwtvc.CodeExpired, -1)
}
