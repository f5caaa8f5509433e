package handler_test

import (
	"context"
	"crypto"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/issuer"
	"github.com/loginwithiota/verifier/sdjwt"
)

// didKeys is the verifier's view of DID keys (sdjwt.DIDKeys) over the
// test's offline resolver.
type didKeys struct{ r did.Resolver }

func (k didKeys) DIDKey(ctx context.Context, didURL string, purpose sdjwt.Purpose) (crypto.PublicKey, error) {
	id, _ := did.Split(didURL)
	doc, err := k.r.Resolve(ctx, id)
	if err != nil {
		return nil, err
	}
	vm, err := doc.Dereference(didURL, string(purpose))
	if err != nil {
		return nil, err
	}
	return vm.PublicKey()
}

// rewrite is an sdjwt.Fetcher that GETs an https URL from the test server
// over http: the verifier's metadata fetch, minus TLS.
type rewrite struct{ base string }

func (f rewrite) Fetch(ctx context.Context, u string) ([]byte, string, error) {
	_, rest, _ := strings.Cut(strings.TrimPrefix(u, "https://"), "/")
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, f.base+"/"+rest, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return b, resp.Header.Get("Content-Type"), err
}

// issueSD runs the flow for the dc+sd-jwt configuration and returns the
// credential.
func (e *env) issueSD(t *testing.T, h *holderKey, spec proofSpec, claims map[string]any) string {
	t.Helper()
	code, tx, _ := e.offer(map[string]any{"credential_configuration_ids": []string{"VerifiableId_sd"}, "claims": claims})
	tok := e.accessToken(code, tx)
	a := e.credential(tok, map[string]any{"credential_configuration_id": "VerifiableId_sd",
		"proofs": map[string]any{"jwt": []string{e.proof(h, e.nonce(), spec)}}})
	if a.status != http.StatusOK {
		t.Fatalf("credential: %d %s", a.status, a.raw)
	}
	cred, ok := a.body["credentials"].([]any)[0].(map[string]any)["credential"].(string)
	if !ok {
		t.Fatalf("a dc+sd-jwt credential is a string: %s", a.raw)
	}
	return cred
}

// TestIssueSDJWT: a dc+sd-jwt credential, for each kind of holder key, is
// an SD-JWT VC the verifier's sdjwt package verifies by the issuer's DID:
// typ dc+sd-jwt, kid the DID URL, iss the DID, the configuration's vct,
// cnf.jwk the holder's key, the described claims disclosable but the one
// marked sd: never, which is in the clear. A presentation of one claim
// with a KB-JWT by the holder's key verifies with only that claim.
func TestIssueSDJWT(t *testing.T) {
	e := newEnv(t, "/issuer", nil)
	for _, tc := range []struct {
		name         string
		p256, useJWK bool
	}{{"ed25519-kid", false, false}, {"p256-kid", true, false}, {"ed25519-jwk", false, true}, {"p256-jwk", true, true}} {
		t.Run(tc.name, func(t *testing.T) {
			e.t = t
			h := newHolder(t, tc.p256)
			cred := e.issueSD(t, h, proofSpec{useJWK: tc.useJWK}, map[string]any{"givenName": "Jane", "familyName": "Doe", "nationality": "AT"})
			opts := sdjwt.Options{Keys: sdjwt.KeySources{DID: &sdjwt.DIDIssuerKeys{DIDs: didKeys{resolver()}}}, Now: e.clock.Now}
			c, err := sdjwt.Verify(ctxb(), cred, opts)
			if err != nil {
				t.Fatal(err)
			}
			if c.Header.Typ != sdjwt.TypeDC || c.Header.Kid != e.signer.KeyID || c.Issuer != e.signer.DID || c.VCT != "VerifiableId" ||
				c.IssuerKey.Method != sdjwt.MethodDID || c.Expires.Sub(c.IssuedAt) != 365*24*time.Hour {
				t.Fatalf("header %+v iss %s vct %s key %+v", c.Header, c.Issuer, c.VCT, c.IssuerKey)
			}
			want, _ := sdjwt.JWKOf(h.priv.Public())
			if jwk, _ := c.Cnf["jwk"].(map[string]any); jwk["x"] != want["x"] || jwk["y"] != want["y"] || jwk["kty"] != want["kty"] {
				t.Fatalf("cnf %v, want the holder's key %v", c.Cnf, want)
			}
			disclosed := map[string]any{}
			for _, d := range c.Disclosures {
				disclosed[d.Name] = d.Value
			}
			if len(disclosed) != 2 || disclosed["givenName"] != "Jane" || disclosed["familyName"] != "Doe" {
				t.Fatalf("disclosures %v", disclosed)
			}
			if c.Claims["nationality"] != "AT" {
				t.Fatalf("the sd: never claim is not in the clear: %v", c.Claims)
			}
			// The holder discloses givenName only, bound to a verifier.
			pres, err := sdjwt.Present(cred, []sdjwt.Path{{"givenName"}},
				&sdjwt.Holder{Signer: sdjwt.Signer{Key: h.priv}, Nonce: "n-1", Audience: "x509_san_dns:rp.example", IssuedAt: e.clock.Now()})
			if err != nil {
				t.Fatal(err)
			}
			opts.RequireKeyBinding, opts.Nonce, opts.Audience = true, "n-1", "x509_san_dns:rp.example"
			p, err := sdjwt.Verify(ctxb(), pres, opts)
			if err != nil {
				t.Fatal(err)
			}
			if _, has := p.Claims["familyName"]; has || p.Claims["givenName"] != "Jane" || p.KeyBinding == nil {
				t.Fatalf("presented claims %v", p.Claims)
			}
		})
	}
}

// TestSDJWTIssuerMetadata: with SDJWTIssuerURL the credential's iss is the
// identifier and its kid the key's thumbprint, which the JWT VC Issuer
// Metadata at /.well-known/jwt-vc-issuer<path> publishes: the verifier's
// sdjwt.MetadataKeys finds the key there (its https fetch served by the
// test server over http).
func TestSDJWTIssuerMetadata(t *testing.T) {
	e := newEnv(t, "/issuer", func(c *issuer.Config) { c.SDJWTIssuer = issuer.SDJWTIssuerURL })
	cred := e.issueSD(t, newHolder(t, false), proofSpec{}, map[string]any{"givenName": "Jane"})
	tok, err := sdjwt.Parse(cred, sdjwt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	kid, _ := e.signer.Thumbprint()
	if tok.Claims()["iss"] != e.url || tok.Header().Kid != kid {
		t.Fatalf("iss %v kid %q", tok.Claims()["iss"], tok.Header().Kid)
	}
	md := e.get("/.well-known/jwt-vc-issuer/issuer")
	if md.status != 200 || md.body["issuer"] != e.url {
		t.Fatalf("metadata: %d %s", md.status, md.raw)
	}
	keys := &sdjwt.MetadataKeys{Fetcher: rewrite{e.srv.URL}, CacheTTL: -1}
	k, err := keys.IssuerKey(ctxb(), sdjwt.KeyRequest{Alg: "EdDSA", Kid: kid, Issuer: e.url})
	if err == nil {
		t.Fatalf("an http issuer's metadata was used: %+v", k)
	}
	// Served under the https name, the same document verifies the token
	// once its issuer is the https one (what an operator behind TLS gets).
	var httpsIss string
	e2 := newEnv(t, "/issuer", func(c *issuer.Config) {
		httpsIss = "https://" + strings.TrimPrefix(c.Identifier, "http://")
		c.SDJWTIssuer, c.Identifier = issuer.SDJWTIssuerURL, httpsIss
	})
	cred = e2.issueSD(t, newHolder(t, true), proofSpec{useJWK: true, claims: map[string]any{"aud": httpsIss}}, map[string]any{"givenName": "Jane"})
	c, err := sdjwt.Verify(ctxb(), cred, sdjwt.Options{Keys: sdjwt.KeySources{Metadata: &sdjwt.MetadataKeys{Fetcher: rewrite{e2.srv.URL}, CacheTTL: -1}}, Now: e2.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if c.Issuer != httpsIss || c.IssuerKey.Method != sdjwt.MethodMetadata || c.IssuerKey.ID != kid {
		t.Fatalf("issuer %s key %+v", c.Issuer, c.IssuerKey)
	}
}

// TestSDJWTBadInput: an offer may not set an SD-JWT VC's registered
// claims; a configuration without vct, with types, or describing a
// registered claim does not start; the metadata of an issuer without
// dc+sd-jwt configurations is not served.
func TestSDJWTBadInput(t *testing.T) {
	e := newEnv(t, "", nil)
	for _, name := range []string{"vct", "iss", "cnf", "status", "_sd"} {
		a := e.postJSON("/api/v1/offers", apiKey, map[string]any{"credential_configuration_ids": []string{"VerifiableId_sd"},
			"claims": map[string]any{"givenName": "Jane", name: "x"}})
		if a.status != http.StatusBadRequest || !strings.Contains(a.body["error_description"].(string), "registered claim") {
			t.Errorf("claim %s: %d %s", name, a.status, a.raw)
		}
	}
	for _, c := range []issuer.Configuration{
		{ID: "a", Format: issuer.FormatSDJWT},
		{ID: "a", Format: issuer.FormatSDJWT, VCT: "V", Types: []string{"X"}},
		{ID: "a", Format: issuer.FormatSDJWT, VCT: "V", Claims: []issuer.Claim{{Name: "exp"}}},
		{ID: "a", Format: issuer.FormatSDJWT, VCT: "V", Claims: []issuer.Claim{{Name: "x", SD: "allowed"}}},
		{ID: "a", Format: issuer.FormatJWTVC, Types: []string{"X"}, Claims: []issuer.Claim{{Name: "x", SD: issuer.SDNever}}},
		{ID: "a", Format: issuer.FormatJWTVC, Types: []string{"X"}, VCT: "V"},
	} {
		cfg := issuer.Config{Identifier: "http://127.0.0.1:1", Signer: e.signer, Keys: resolver(), Configurations: []issuer.Configuration{c}}
		if _, err := issuer.New(cfg, memStore()); err == nil {
			t.Errorf("%+v started", c)
		}
	}
	noSD := newEnv(t, "", func(c *issuer.Config) { c.Configurations = c.Configurations[:3] })
	if a := noSD.get("/.well-known/jwt-vc-issuer"); a.status != http.StatusNotFound {
		t.Fatalf("metadata without an SD-JWT configuration: %d", a.status)
	}
}
