package sdjwt_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"errors"
	"math/big"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/sdjwt"
)

// pki is a root and a leaf certificate for an issuer.
type pki struct {
	root, leaf *x509.Certificate
	leafKey    *ecdsa.PrivateKey
	pool       *x509.CertPool
}

func newPKI(t *testing.T, dnsName string, uri string) pki {
	t.Helper()
	rootKey, leafKey := ecKey(t), ecKey(t)
	rootTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test Root"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour * 24 * 365), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	rootDER, err := x509.CreateCertificate(rand.Reader, rootTmpl, rootTmpl, rootKey.Public(), rootKey)
	if err != nil {
		t.Fatal(err)
	}
	root, _ := x509.ParseCertificate(rootDER)
	leafTmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "Test Issuer"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour * 24 * 30), KeyUsage: x509.KeyUsageDigitalSignature}
	if dnsName != "" {
		leafTmpl.DNSNames = []string{dnsName}
	}
	if uri != "" {
		u, _ := url.Parse(uri)
		leafTmpl.URIs = []*url.URL{u}
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, root, leafKey.Public(), rootKey)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(leafDER)
	pool := x509.NewCertPool()
	pool.AddCert(root)
	return pki{root: root, leaf: leaf, leafKey: leafKey, pool: pool}
}

func issueWith(t *testing.T, s sdjwt.Signer, iss string) string {
	t.Helper()
	claims := map[string]any{"vct": testVCT, "given_name": "Erika"}
	if iss != "" {
		claims["iss"] = iss
	}
	out, err := sdjwt.Issue(claims, []sdjwt.Path{{"given_name"}}, s, sdjwt.IssueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestX5C(t *testing.T) {
	p := newPKI(t, "issuer.example.org", "")
	other := newPKI(t, "issuer.example.org", "")
	signer := sdjwt.Signer{Key: p.leafKey, X5C: []*x509.Certificate{p.leaf}}
	keys := sdjwt.KeySources{X5C: &sdjwt.X5CKeys{Roots: p.pool, Now: func() time.Time { return now }}}
	opts := func(k sdjwt.IssuerKeys, at time.Time) sdjwt.Options {
		return sdjwt.Options{Keys: k, Now: func() time.Time { return at }}
	}
	c, err := sdjwt.Verify(ctx, issueWith(t, signer, "https://issuer.example.org"), opts(keys, now))
	if err != nil {
		t.Fatal(err)
	}
	if c.IssuerKey.Method != sdjwt.MethodX5C || c.IssuerKey.Issuer != "https://issuer.example.org" || len(c.IssuerKey.Chain) != 2 {
		t.Fatalf("issuer key %+v", c.IssuerKey)
	}
	// No iss: the leaf's subject is the issuer.
	c, err = sdjwt.Verify(ctx, issueWith(t, signer, ""), opts(keys, now))
	if err != nil || c.IssuerKey.Issuer != "CN=Test Issuer" {
		t.Fatalf("%v %+v", err, c)
	}
	for name, tc := range map[string]struct {
		pres string
		keys sdjwt.IssuerKeys
		code string
	}{
		"iss not in the certificate": {issueWith(t, signer, "https://evil.example.org"), keys, sdjwt.CodeIssuer},
		"another root":               {issueWith(t, signer, ""), sdjwt.KeySources{X5C: &sdjwt.X5CKeys{Roots: other.pool}}, sdjwt.CodeKeyResolution},
		"x5c not permitted":          {issueWith(t, signer, ""), sdjwt.KeySources{}, sdjwt.CodeKeyResolution},
		"expired leaf": {issueWith(t, signer, ""), sdjwt.KeySources{X5C: &sdjwt.X5CKeys{Roots: p.pool,
			Now: func() time.Time { return now.Add(60 * 24 * time.Hour) }}}, sdjwt.CodeKeyResolution},
		"signed by another key": {issueWith(t, sdjwt.Signer{Key: ecKey(t), X5C: []*x509.Certificate{p.leaf}}, ""), keys, sdjwt.CodeSignature},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := sdjwt.Verify(ctx, tc.pres, opts(tc.keys, now))
			wantCode(t, err, tc.code)
		})
	}
	// URI SAN naming iss.
	u := newPKI(t, "", "https://issuer.example.org/tenant")
	_, err = sdjwt.Verify(ctx, issueWith(t, sdjwt.Signer{Key: u.leafKey, X5C: []*x509.Certificate{u.leaf}}, "https://issuer.example.org/tenant"),
		opts(sdjwt.KeySources{X5C: &sdjwt.X5CKeys{Roots: u.pool, Now: func() time.Time { return now }}}, now))
	if err != nil {
		t.Fatal(err)
	}
}

// fetcher serves fixed bodies by URL.
type fetcher map[string]string

func (f fetcher) Fetch(_ context.Context, u string) ([]byte, string, error) {
	b, ok := f[u]
	if !ok {
		return nil, "", errors.New("404")
	}
	return []byte(b), "application/json", nil
}

func TestMetadataURL(t *testing.T) {
	for iss, want := range map[string]string{
		"https://example.com":              "https://example.com/.well-known/jwt-vc-issuer",
		"https://example.com/":             "https://example.com/.well-known/jwt-vc-issuer",
		"https://example.com/tenant/1234":  "https://example.com/.well-known/jwt-vc-issuer/tenant/1234",
		"https://example.com:8443/t/":      "https://example.com:8443/.well-known/jwt-vc-issuer/t",
		"http://example.com":               "",
		"https://example.com/?q=1":         "",
		"https://example.com/#f":           "",
		"https://user@example.com/":        "",
		"did:web:example.com":              "",
		"https://example.com/a?":           "",
		"https:///nohost":                  "",
		"https://example.com/caf%C3%A9/x/": "https://example.com/.well-known/jwt-vc-issuer/caf%C3%A9/x",
	} {
		got, err := sdjwt.MetadataURL(iss)
		if want == "" {
			if err == nil {
				t.Errorf("%s: %s, want an error", iss, got)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("%s: %s %v, want %s", iss, got, err, want)
		}
	}
}

func TestMetadataKeys(t *testing.T) {
	iss := "https://issuer.example.org/tenant"
	key := edKey(3)
	jwk, _ := sdjwt.JWKOf(key.Public())
	jwk["kid"] = "k1"
	other, _ := sdjwt.JWKOf(edKey(4).Public())
	other["kid"] = "k2"
	set := func(keys ...map[string]any) string {
		b, _ := json.Marshal(map[string]any{"keys": keys})
		return string(b)
	}
	md := func(m map[string]any) string { b, _ := json.Marshal(m); return string(b) }
	wk := "https://issuer.example.org/.well-known/jwt-vc-issuer/tenant"
	withKid := issueWith(t, sdjwt.Signer{Key: key, KeyID: "k1"}, iss)
	noKid := issueWith(t, sdjwt.Signer{Key: key}, iss)
	for name, tc := range map[string]struct {
		f    fetcher
		pres string
		code string
	}{
		"jwks": {fetcher{wk: md(map[string]any{"issuer": iss, "jwks": json.RawMessage(set(other, jwk))})}, withKid, ""},
		"jwks_uri": {fetcher{wk: md(map[string]any{"issuer": iss, "jwks_uri": "https://keys.example.org/jwks"}),
			"https://keys.example.org/jwks": set(jwk)}, withKid, ""},
		"no kid, one key":      {fetcher{wk: md(map[string]any{"issuer": iss, "jwks": json.RawMessage(set(jwk))})}, noKid, ""},
		"no kid, two keys":     {fetcher{wk: md(map[string]any{"issuer": iss, "jwks": json.RawMessage(set(jwk, other))})}, noKid, sdjwt.CodeKeyResolution},
		"kid not found":        {fetcher{wk: md(map[string]any{"issuer": iss, "jwks": json.RawMessage(set(other))})}, withKid, sdjwt.CodeKeyResolution},
		"another issuer":       {fetcher{wk: md(map[string]any{"issuer": "https://issuer.example.org", "jwks": json.RawMessage(set(jwk))})}, withKid, sdjwt.CodeIssuer},
		"both jwks and uri":    {fetcher{wk: md(map[string]any{"issuer": iss, "jwks": json.RawMessage(set(jwk)), "jwks_uri": "https://k/"})}, withKid, sdjwt.CodeKeyResolution},
		"neither":              {fetcher{wk: md(map[string]any{"issuer": iss})}, withKid, sdjwt.CodeKeyResolution},
		"jwks_uri not https":   {fetcher{wk: md(map[string]any{"issuer": iss, "jwks_uri": "http://keys.example.org/jwks"})}, withKid, sdjwt.CodeKeyResolution},
		"unreachable":          {fetcher{}, withKid, sdjwt.CodeKeyResolution},
		"not JSON":             {fetcher{wk: "<html>"}, withKid, sdjwt.CodeKeyResolution},
		"wrong key under kid":  {fetcher{wk: md(map[string]any{"issuer": iss, "jwks": json.RawMessage(set(map[string]any{"kty": other["kty"], "crv": other["crv"], "x": other["x"], "kid": "k1"}))})}, withKid, sdjwt.CodeSignature},
		"private key in a set": {fetcher{wk: md(map[string]any{"issuer": iss, "jwks": json.RawMessage(`{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"` + jwk["x"].(string) + `","d":"AAAA"}]}`)})}, withKid, sdjwt.CodeKeyResolution},
	} {
		t.Run(name, func(t *testing.T) {
			k := sdjwt.KeySources{Metadata: &sdjwt.MetadataKeys{Fetcher: tc.f, CacheTTL: -1}}
			c, err := sdjwt.Verify(ctx, tc.pres, sdjwt.Options{Keys: k, Now: func() time.Time { return now }})
			if tc.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				if c.IssuerKey.Method != sdjwt.MethodMetadata || c.IssuerKey.Issuer != iss {
					t.Fatalf("%+v", c.IssuerKey)
				}
				return
			}
			wantCode(t, err, tc.code)
		})
	}
	// Cached: the second verification fetches nothing.
	count := 0
	f := countingFetcher{fetcher{wk: md(map[string]any{"issuer": iss, "jwks": json.RawMessage(set(jwk))})}, &count}
	k := sdjwt.KeySources{Metadata: &sdjwt.MetadataKeys{Fetcher: f, Now: func() time.Time { return now }}}
	for range 3 {
		if _, err := sdjwt.Verify(ctx, withKid, sdjwt.Options{Keys: k, Now: func() time.Time { return now }}); err != nil {
			t.Fatal(err)
		}
	}
	if count != 1 {
		t.Fatalf("%d fetches, want 1", count)
	}
}

type countingFetcher struct {
	f fetcher
	n *int
}

func (c countingFetcher) Fetch(ctx context.Context, u string) ([]byte, string, error) {
	*c.n++
	return c.f.Fetch(ctx, u)
}

// didKeys resolves DID URLs from a map, for one purpose.
type didKeys struct {
	keys    map[string]crypto.PublicKey
	purpose sdjwt.Purpose
}

func (d didKeys) DIDKey(_ context.Context, u string, p sdjwt.Purpose) (crypto.PublicKey, error) {
	k, ok := d.keys[u]
	if !ok || p != d.purpose {
		return nil, errors.New("no such key for that purpose")
	}
	return k, nil
}

func TestDIDKeys(t *testing.T) {
	issuerDID := "did:example:issuer"
	key, holder := edKey(6), edKey(7)
	dids := didKeys{keys: map[string]crypto.PublicKey{issuerDID + "#k1": key.Public()}, purpose: sdjwt.PurposeAssertionMethod}
	holders := didKeys{keys: map[string]crypto.PublicKey{"did:example:holder#h1": holder.Public()}, purpose: sdjwt.PurposeAuthentication}
	keys := sdjwt.KeySources{DID: &sdjwt.DIDIssuerKeys{DIDs: dids}}
	claims := map[string]any{"vct": testVCT, "iss": issuerDID, "given_name": "Erika", "cnf": map[string]any{"kid": "did:example:holder#h1"}}
	for _, kid := range []string{"#k1", issuerDID + "#k1"} {
		issued, err := sdjwt.Issue(claims, []sdjwt.Path{{"given_name"}}, sdjwt.Signer{Key: key, KeyID: kid}, sdjwt.IssueOptions{})
		if err != nil {
			t.Fatal(err)
		}
		p, err := sdjwt.Present(issued, sdjwt.DiscloseAll, &sdjwt.Holder{Signer: sdjwt.Signer{Key: holder}, Nonce: testNonce, Audience: testAudience, IssuedAt: now})
		if err != nil {
			t.Fatal(err)
		}
		o := sdjwt.Options{Keys: keys, Holders: holders, RequireKeyBinding: true, Nonce: testNonce, Audience: testAudience, Now: func() time.Time { return now }}
		c, err := sdjwt.Verify(ctx, p, o)
		if err != nil {
			t.Fatal(err)
		}
		if c.IssuerKey.ID != issuerDID+"#k1" || c.KeyBinding.HolderKeyID != "did:example:holder#h1" {
			t.Fatalf("%+v %+v", c.IssuerKey, c.KeyBinding)
		}
		o.Holders = nil
		_, err = sdjwt.Verify(ctx, p, o)
		wantCode(t, err, sdjwt.CodeKBKey)
	}
	// A kid of another DID than iss.
	issued, err := sdjwt.Issue(claims, []sdjwt.Path{{"given_name"}}, sdjwt.Signer{Key: key, KeyID: "did:example:other#k1"}, sdjwt.IssueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = sdjwt.Verify(ctx, issued, sdjwt.Options{Keys: keys, Now: func() time.Time { return now }})
	wantCode(t, err, sdjwt.CodeIssuer)
	// No DID source configured.
	_, err = sdjwt.Verify(ctx, issued, sdjwt.Options{Keys: sdjwt.KeySources{}, Now: func() time.Time { return now }})
	wantCode(t, err, sdjwt.CodeKeyResolution)
}

// TestMetadataKeyRotation: a kid missing from the cached set is fetched
// again once.
func TestMetadataKeyRotation(t *testing.T) {
	iss := "https://issuer.example.org"
	oldKey, newKey := edKey(3), edKey(4)
	jwkOf := func(k crypto.Signer, kid string) map[string]any {
		j, _ := sdjwt.JWKOf(k.Public())
		j["kid"] = kid
		return j
	}
	md := func(keys ...map[string]any) string {
		b, _ := json.Marshal(map[string]any{"issuer": iss, "jwks": map[string]any{"keys": keys}})
		return string(b)
	}
	count := 0
	f := countingFetcher{fetcher{"https://issuer.example.org/.well-known/jwt-vc-issuer": md(jwkOf(oldKey, "old"))}, &count}
	k := sdjwt.KeySources{Metadata: &sdjwt.MetadataKeys{Fetcher: f, Now: func() time.Time { return now }}}
	o := sdjwt.Options{Keys: k, Now: func() time.Time { return now }}
	if _, err := sdjwt.Verify(ctx, issueWith(t, sdjwt.Signer{Key: oldKey, KeyID: "old"}, iss), o); err != nil {
		t.Fatal(err)
	}
	f.f["https://issuer.example.org/.well-known/jwt-vc-issuer"] = md(jwkOf(oldKey, "old"), jwkOf(newKey, "new"))
	if _, err := sdjwt.Verify(ctx, issueWith(t, sdjwt.Signer{Key: newKey, KeyID: "new"}, iss), o); err != nil {
		t.Fatal(err)
	}
	_, err := sdjwt.Verify(ctx, issueWith(t, sdjwt.Signer{Key: newKey, KeyID: "gone"}, iss), o)
	wantCode(t, err, sdjwt.CodeKeyResolution)
	if count != 3 {
		t.Fatalf("%d fetches, want 3", count)
	}
}

func TestSkipNonceAndAudience(t *testing.T) {
	f := newFixture(t)
	p, err := sdjwt.Present(f.issued, nil, f.holderOf("recorded", "https://elsewhere.example", now))
	if err != nil {
		t.Fatal(err)
	}
	o := f.opts()
	o.Nonce, o.Audience, o.SkipNonce, o.SkipAudience = "", "", true, true
	c, err := sdjwt.Verify(ctx, p, o)
	if err != nil || c.KeyBinding.Nonce != "recorded" || c.KeyBinding.Audience != "https://elsewhere.example" {
		t.Fatalf("%v %+v", err, c)
	}
	if len(c.DisclosedPaths()) != len(c.Disclosures) {
		t.Fatal("DisclosedPaths")
	}
}

func TestVerifyJWT(t *testing.T) {
	key := edKey(5)
	claims := map[string]any{"sub": "https://issuer.example.org/statuslists/1", "iat": now.Unix(), "status_list": map[string]any{"bits": 1, "lst": "eNrbuRgAAhcBXQ"}}
	tok := signRaw(t, key, "statuslist+jwt", claims)
	p := newPKI(t, "issuer.example.org", "")
	x5c := issueWith(t, sdjwt.Signer{Key: p.leafKey, X5C: []*x509.Certificate{p.leaf}}, "") // an SD-JWT: not a statuslist+jwt
	got, k, err := sdjwt.VerifyJWT(ctx, tok+"\n", "statuslist+jwt", sdjwt.Options{Keys: staticKeys{key.Public()}})
	if err != nil || got["sub"] != claims["sub"] || k == nil {
		t.Fatalf("%v %v", err, got)
	}
	_, _, err = sdjwt.VerifyJWT(ctx, tok, "statuslist+jwt", sdjwt.Options{Keys: staticKeys{edKey(6).Public()}})
	wantCode(t, err, sdjwt.CodeSignature)
	_, _, err = sdjwt.VerifyJWT(ctx, signRaw(t, key, "JWT", claims), "statuslist+jwt", sdjwt.Options{Keys: staticKeys{key.Public()}})
	wantCode(t, err, sdjwt.CodeType)
	jwt, _, _ := strings.Cut(x5c, "~")
	_, _, err = sdjwt.VerifyJWT(ctx, jwt, "statuslist+jwt", sdjwt.Options{Keys: sdjwt.KeySources{X5C: &sdjwt.X5CKeys{Roots: p.pool, Now: func() time.Time { return now }}}})
	wantCode(t, err, sdjwt.CodeType)
	// An x5c-signed token without iss gets the leaf's subject as iss.
	stl := signRawX5C(t, p, "statuslist+jwt", claims)
	got, _, err = sdjwt.VerifyJWT(ctx, stl, "statuslist+jwt", sdjwt.Options{Keys: sdjwt.KeySources{X5C: &sdjwt.X5CKeys{Roots: p.pool, Now: func() time.Time { return now }}}})
	if err != nil || got["iss"] != "CN=Test Issuer" {
		t.Fatalf("%v %v", err, got)
	}
}
