package jwtvc_test

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/loginwithiota/verifier/jwtvc"
)

// ES256 end to end: a P-256 issuer (JsonWebKey2020 in a pinned document)
// and a P-256 did:jwk holder; and a did:key (Ed25519) holder with the
// nonce in the payload, the OID4VP way.
func TestES256AndDIDKey(t *testing.T) {
	iat := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	now := func() time.Time { return iat.Add(time.Minute) }
	esIssuer := esSigner(t)
	esIssuer.did, esIssuer.kid = "did:example:es256-issuer", "did:example:es256-issuer#es"
	keys := keysFor(t, nil, esIssuerDoc(t, esIssuer.did, &esIssuer.key.(*ecdsa.PrivateKey).PublicKey))
	esHolder := esSigner(t)
	edHolder := edSigner(t, 3)
	for _, holder := range []signer{esHolder, edHolder} {
		vc := esIssuer.sign(t, esIssuer.vcClaims(holder.did, iat.AddDate(0, -1, 0), iat.AddDate(1, 0, 0)), nil)
		vp := holder.sign(t, holder.vpClaims("nonce-1", "https://verifier.example/cb", iat, vc), nil)
		p, err := jwtvc.VerifyPresentation(ctx, vp, keys, jwtvc.Options{Nonce: "nonce-1", Audience: "https://verifier.example/cb", Now: now})
		if err != nil {
			t.Fatalf("%s: %v", holder.did[:12], err)
		}
		if p.Holder != holder.did || p.Credentials[0].Algorithm != "ES256" || p.Credentials[0].Subject != holder.did || !p.IssuedAt.Equal(iat) {
			t.Errorf("presentation = %+v", p)
		}
		_, err = jwtvc.VerifyPresentation(ctx, vp, keys, jwtvc.Options{Nonce: "nonce-1", Audience: "https://verifier.example/cb", Now: now,
			Algorithms: []string{"EdDSA"}})
		if holder.alg == jose.ES256 {
			wantCode(t, err, jwtvc.CodeAlgNotAllowed, -1)
		} else {
			wantCode(t, err, jwtvc.CodeAlgNotAllowed, 0)
		}
	}
}

func TestVerifyPresentationErrors(t *testing.T) {
	iat := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	now := func() time.Time { return iat.Add(time.Minute) }
	issuer, holder, other := edSigner(t, 1), edSigner(t, 2), edSigner(t, 4)
	keys := keysFor(t, nil)
	vc := issuer.sign(t, issuer.vcClaims(holder.did, iat.AddDate(0, -1, 0), time.Time{}), nil)
	const nonce, aud = "n-123", "https://verifier.example"
	vp := func(edit func(map[string]any), headers map[string]any, vcs ...any) string {
		if vcs == nil {
			vcs = []any{vc}
		}
		c := holder.vpClaims(nonce, aud, iat, vcs...)
		if edit != nil {
			edit(c)
		}
		return holder.sign(t, c, headers)
	}
	hs, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: []byte("0123456789abcdef0123456789abcdef")}, nil)
	hsObj, _ := hs.Sign([]byte(`{"vp":{}}`))
	hsToken, _ := hsObj.CompactSerialize()
	esKey := esSigner(t)
	wrongAlg := signer{alg: jose.ES256, key: esKey.key, did: holder.did, kid: holder.kid} // Ed25519 key in the document, ES256 signature
	for _, tc := range []struct {
		name       string
		token      string
		code       string
		credential int
	}{
		{"valid", vp(nil, nil), "", 0},
		{"no credentials", vp(func(c map[string]any) { delete(c["vp"].(map[string]any), "verifiableCredential") }, nil), "", 0},
		{"aud array", vp(func(c map[string]any) { c["aud"] = []any{"other", aud + "/"} }, nil), "", 0},
		{"nonce in header too", vp(nil, map[string]any{"nonce": nonce}), "", 0},
		{"relative kid", vp(nil, map[string]any{"kid": "#" + strings.SplitN(holder.kid, "#", 2)[1]}), "", 0},
		{"kid omitted", vp(nil, map[string]any{"kid": ""}), jwtvc.CodeKeyResolution, -1},
		{"nonces differ", vp(nil, map[string]any{"nonce": "other"}), jwtvc.CodeNonceMismatch, -1},
		{"no nonce", vp(func(c map[string]any) { delete(c, "nonce") }, nil), jwtvc.CodeNonceMismatch, -1},
		{"nonce not a string", vp(func(c map[string]any) { c["nonce"] = 1 }, nil), jwtvc.CodeMalformed, -1},
		{"no aud", vp(func(c map[string]any) { delete(c, "aud") }, nil), jwtvc.CodeAudienceMismatch, -1},
		{"aud of another verifier", vp(func(c map[string]any) { c["aud"] = "https://evil.example" }, nil), jwtvc.CodeAudienceMismatch, -1},
		{"aud not a string", vp(func(c map[string]any) { c["aud"] = []any{1} }, nil), jwtvc.CodeMalformed, -1},
		{"issued in the future", vp(func(c map[string]any) { c["iat"] = iat.Add(10 * time.Minute).Unix() }, nil), jwtvc.CodeNotYetValid, -1},
		{"nbf in the future", vp(func(c map[string]any) { c["nbf"] = iat.Add(10 * time.Minute).Unix() }, nil), jwtvc.CodeNotYetValid, -1},
		{"expired", vp(func(c map[string]any) { c["exp"] = iat.Unix() - 120 }, nil), jwtvc.CodeExpired, -1},
		{"exp not a number", vp(func(c map[string]any) { c["exp"] = "tomorrow" }, nil), jwtvc.CodeMalformed, -1},
		{"kid of another DID", vp(nil, map[string]any{"kid": other.kid}), jwtvc.CodeIssuerMismatch, -1},
		{"holder differs from iss", vp(func(c map[string]any) { c["vp"].(map[string]any)["holder"] = other.did }, nil), jwtvc.CodeIssuerMismatch, -1},
		{"unknown kid", vp(nil, map[string]any{"kid": holder.did + "#nope"}), jwtvc.CodeKeyResolution, -1},
		{"alg does not fit the key", wrongAlg.sign(t, holder.vpClaims(nonce, aud, iat, vc), nil), jwtvc.CodeInvalidSignature, -1},
		{"HS256", hsToken, jwtvc.CodeAlgNotAllowed, -1},
		{"no vp claim", vp(func(c map[string]any) { delete(c, "vp") }, nil), jwtvc.CodeMalformed, -1},
		{"vp without type", vp(func(c map[string]any) { delete(c["vp"].(map[string]any), "type") }, nil), jwtvc.CodeMalformed, -1},
		{"embedded linked-data credential", vp(nil, nil, map[string]any{"type": "VerifiableCredential"}), jwtvc.CodeMalformed, 0},
		{"garbage credential", vp(nil, nil, vc, "not.a.jwt"), jwtvc.CodeMalformed, 1},
		{"too many credentials", vp(nil, nil, make([]any, 33)...), jwtvc.CodeMalformed, -1},
		{"credential of another issuer's kid", vp(nil, nil, issuer.sign(t, issuer.vcClaims(holder.did, iat, time.Time{}), map[string]any{"kid": other.kid})), jwtvc.CodeIssuerMismatch, 0},
		{"credential issuer claims disagree", vp(nil, nil, issuer.sign(t, func() map[string]any {
			c := issuer.vcClaims(holder.did, iat, time.Time{})
			c["vc"].(map[string]any)["issuer"] = other.did
			return c
		}(), nil)), jwtvc.CodeIssuerMismatch, 0},
		{"credential subject claims disagree", vp(nil, nil, issuer.sign(t, func() map[string]any {
			c := issuer.vcClaims(holder.did, iat, time.Time{})
			c["vc"].(map[string]any)["credentialSubject"] = map[string]any{"id": other.did}
			return c
		}(), nil)), jwtvc.CodeMalformed, 0},
		{"credential expired", vp(nil, nil, issuer.sign(t, issuer.vcClaims(holder.did, iat.AddDate(-1, 0, 0), iat.Add(-time.Hour)), nil)), jwtvc.CodeExpired, 0},
		{"credential expirationDate passed", vp(nil, nil, issuer.sign(t, func() map[string]any {
			c := issuer.vcClaims(holder.did, iat.AddDate(-1, 0, 0), time.Time{})
			c["vc"].(map[string]any)["expirationDate"] = "2026-04-01T00:00:00Z"
			return c
		}(), nil)), jwtvc.CodeExpired, 0},
		{"credential not yet valid", vp(nil, nil, issuer.sign(t, issuer.vcClaims(holder.did, iat.Add(time.Hour), time.Time{}), nil)), jwtvc.CodeNotYetValid, 0},
		{"credential not a credential", vp(nil, nil, issuer.sign(t, func() map[string]any {
			c := issuer.vcClaims(holder.did, iat, time.Time{})
			c["vc"].(map[string]any)["type"] = "Diploma"
			return c
		}(), nil)), jwtvc.CodeMalformed, 0},
		{"two segments", "eyJhbGciOiJFZERTQSJ9.e30", jwtvc.CodeMalformed, -1},
		{"not base64", "###.###.###", jwtvc.CodeMalformed, -1},
		{"payload not an object", holder.sign(t, nil, nil), jwtvc.CodeMalformed, -1},
		{"too large", vp(func(c map[string]any) { c["pad"] = strings.Repeat("x", 300<<10) }, nil), jwtvc.CodeMalformed, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := jwtvc.VerifyPresentation(ctx, tc.token, keys, jwtvc.Options{Nonce: nonce, Audience: aud, Now: now})
			wantCode(t, err, tc.code, tc.credential)
		})
	}
	if _, err := jwtvc.VerifyPresentation(ctx, vp(nil, nil), keys, jwtvc.Options{Audience: aud}); err == nil || jwtvc.Code(err) != "" {
		t.Errorf("missing Options.Nonce: %v", err)
	}
}

func TestSameAudience(t *testing.T) {
	for _, tc := range []struct {
		aud, want string
		same      bool
	}{
		{"https://v.example", "https://v.example", true},
		{"https://v.example/", "https://v.example", true},
		{"https://V.Example:443/cb/", "https://v.example/cb", true},
		{"HTTP://v.example:80", "http://v.example/", true},
		{"http://[::1]:8080/x", "http://[::1]:8080/x/", true},
		{"http://127.0.0.1:8080/oid4vp/response", "http://127.0.0.1:8080/oid4vp/response", true},
		{"https://v.example/CB", "https://v.example/cb", false},
		{"https://v.example:8443", "https://v.example", false},
		{"http://v.example", "https://v.example", false},
		{"https://v.example/cb?x=1", "https://v.example/cb", false},
		{"https://user@v.example", "https://v.example", false},
		{"redirect_uri:https://v.example/cb/", "redirect_uri:https://v.example/cb", true},
		{"did:web:v.example", "did:web:v.example", true},
		{"did:web:V.example", "did:web:v.example", false},
		{"", "https://v.example", false},
	} {
		if got := jwtvc.SameAudience(tc.aud, tc.want); got != tc.same {
			t.Errorf("SameAudience(%q, %q) = %v", tc.aud, tc.want, got)
		}
	}
}

func TestPublicKeyFromJWK(t *testing.T) {
	jwkOf := func(k any) map[string]any {
		raw, err := json.Marshal(jose.JSONWebKey{Key: k})
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		_ = json.Unmarshal(raw, &m)
		return m
	}
	ed := ed25519.NewKeyFromSeed(bytesOf(5))
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	for _, tc := range []struct {
		name string
		jwk  map[string]any
		ok   bool
	}{
		{"Ed25519", jwkOf(ed.Public()), true},
		{"P-256", jwkOf(&p256.PublicKey), true},
		{"P-384", jwkOf(&p384.PublicKey), false},
		{"private Ed25519", jwkOf(ed), false},
		{"private P-256", jwkOf(p256), false},
		{"symmetric", map[string]any{"kty": "oct", "k": "AAAA"}, false},
		{"garbage", map[string]any{"kty": "OKP", "crv": "Ed25519", "x": 1}, false},
	} {
		pub, err := jwtvc.PublicKeyFromJWK(tc.jwk)
		if (err == nil) != tc.ok || (tc.ok && pub == nil) {
			t.Errorf("%s: %v, %v", tc.name, pub, err)
		}
	}
}
