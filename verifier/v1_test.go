package verifier_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/big"
	"net/url"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/loginwithiota/verifier/dcql"
	"github.com/loginwithiota/verifier/did"
	didjwk "github.com/loginwithiota/verifier/did/jwk"
	didkey "github.com/loginwithiota/verifier/did/key"
	"github.com/loginwithiota/verifier/oid4vp"
	"github.com/loginwithiota/verifier/pex"
	"github.com/loginwithiota/verifier/sdjwt"
	"github.com/loginwithiota/verifier/session"
	"github.com/loginwithiota/verifier/session/memory"
	"github.com/loginwithiota/verifier/testwallet"
	"github.com/loginwithiota/verifier/verifier"
)

// tenClaims are the claims of the SD-JWT VC the 1.0 tests and benchmarks
// present, each selectively disclosable: ten disclosures.
var tenClaims = map[string]any{"givenName": "Jane", "familyName": "Doe", "birthDate": "1990-01-01", "nationality": "CH",
	"street": "Main 1", "locality": "Zug", "postalCode": "6300", "country": "CH", "email": "jane@example.org", "phone": "+41000000000"}

// v1Query asks for the ten claims of a VerifiableId SD-JWT VC.
func v1Query(t testing.TB) (*dcql.Query, json.RawMessage) {
	t.Helper()
	var claims []string
	for k := range tenClaims {
		claims = append(claims, fmt.Sprintf(`{"path":[%q]}`, k))
	}
	raw := json.RawMessage(`{"credentials":[{"id":"pid","format":"dc+sd-jwt","meta":{"vct_values":["VerifiableId"]},"claims":[` + strings.Join(claims, ",") + `]}]}`)
	q, err := dcql.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return q, raw
}

// newV1Verifier is a verifier with a DCQL-only definition "pid" and, for
// the protocol tests, the profile's PEX definition with the same query.
func newV1Verifier(t testing.TB, clk *clock, edit ...func(*verifier.Config)) (*verifier.Verifier, session.Store) {
	t.Helper()
	q, raw := v1Query(t)
	pd, err := pex.ParseDefinition([]byte(profileDefinition))
	if err != nil {
		t.Fatal(err)
	}
	store := memory.New(memory.Options{Now: clk.Now})
	dids := did.NewRegistry()
	dids.Register("key", didkey.New())
	dids.Register("jwk", didjwk.New())
	cfg := verifier.Config{
		PublicURL: "https://verifier.example", Lifetime: 5 * time.Minute, Retention: 10 * time.Minute,
		Definitions: []verifier.Definition{{ID: "pid", DCQL: q, DCQLJSON: raw}, {PEX: pd, DCQL: q, DCQLJSON: raw}},
		SDJWT:       verifier.SDJWTOptions{DIDIssuers: true, StrictDisclosure: true},
		Now:         clk.Now, Logger: slog.New(slog.DiscardHandler),
	}
	for _, e := range edit {
		e(&cfg)
	}
	v, err := verifier.New(cfg, store, dids)
	if err != nil {
		t.Fatal(err)
	}
	return v, store
}

// fetchRequest is a wallet's POST of the request_uri (form: its
// metadata) and its reading of the signed request object.
func fetchRequest(t testing.TB, v *verifier.Verifier, started *verifier.Started, form url.Values) *testwallet.V1Request {
	t.Helper()
	w, err := oid4vp.ParseWalletRequest(form)
	if err != nil {
		t.Fatal(err)
	}
	jwt, err := v.RequestObject(context.Background(), started.Session.ID, oid4vp.RequestURIMethodPost, w)
	if err != nil {
		t.Fatal(err)
	}
	r, err := testwallet.ReadV1Request(jwt)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestV1Protocols(t *testing.T) {
	clk := &clock{t: time.Now()}
	v, _ := newV1Verifier(t, clk)
	ctx := context.Background()
	// A DCQL-only definition is a 1.0 definition; the profile's, with the
	// query beside it, keeps its default and gains both 1.0 dialects.
	for _, tc := range []struct{ def, protocol, want string }{
		{"pid", "", oid4vp.V1}, {"pid", oid4vp.Draft20, ""},
		{"verifiable-id", "", oid4vp.Draft20}, {"verifiable-id", oid4vp.V1, oid4vp.V1}, {"verifiable-id", oid4vp.V1Draft20, oid4vp.V1Draft20},
	} {
		st, err := v.StartLogin(ctx, verifier.Start{Definition: tc.def, Protocol: tc.protocol})
		switch {
		case tc.want == "" && err == nil:
			t.Errorf("%s %s: started", tc.def, tc.protocol)
		case tc.want != "" && (err != nil || st.Session.Protocol != tc.want):
			t.Errorf("%s %s: %v", tc.def, tc.protocol, err)
		case tc.want != "" && oid4vp.IsV1(mustLookup(t, tc.want)) && len(st.Session.ResponseKey) != 32:
			t.Errorf("%s: response key %d bytes", tc.want, len(st.Session.ResponseKey))
		}
	}
	// 1.0 without a DCQL query, the one QR without signing: refused at start.
	pd, _ := pex.ParseDefinition([]byte(profileDefinition))
	store := memory.New(memory.Options{})
	if _, err := verifier.New(verifier.Config{PublicURL: "https://v.example", Definitions: []verifier.Definition{{PEX: pd, Protocols: []string{oid4vp.V1}}}},
		store, did.NewRegistry()); err == nil || !strings.Contains(err.Error(), "needs a DCQL query") {
		t.Fatalf("1.0 without DCQL: %v", err)
	}
	q, raw := v1Query(t)
	id, _ := verifier.NewRequestIdentity(verifier.IdentityOptions{Prefix: oid4vp.PrefixRedirectURI, ResponseURI: "https://v.example/oid4vp/response"})
	if _, err := verifier.New(verifier.Config{PublicURL: "https://v.example", V1: verifier.V1Options{Identity: id},
		Definitions: []verifier.Definition{{PEX: pd, DCQL: q, DCQLJSON: raw, Protocols: []string{oid4vp.V1Draft20}}}}, store, did.NewRegistry()); err == nil ||
		!strings.Contains(err.Error(), "needs signed requests") {
		t.Fatalf("one QR under redirect_uri: %v", err)
	}
}

func mustLookup(t *testing.T, n string) oid4vp.Dialect {
	d, err := oid4vp.Lookup(n)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// A 1.0 login with an SD-JWT VC: the website is told the requested
// claims, the holder is the did:jwk of the cnf key, the response key is
// gone once the session completes.
func TestV1LoginResult(t *testing.T) {
	clk := &clock{t: time.Now()}
	v, store := newV1Verifier(t, clk)
	ctx := context.Background()
	started, err := v.StartLogin(ctx, verifier.Start{Definition: "pid"})
	if err != nil {
		t.Fatal(err)
	}
	r := fetchRequest(t, v, started, testwallet.EncryptMetadata("w"))
	holder, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	issuer := testwallet.NewSDIssuer()
	issued, _ := issuer.Issue(holder.Public(), "VerifiableId", tenClaims, nil)
	pres, err := testwallet.PresentSD(issued, []string{"givenName", "familyName"}, holder, r.Nonce, r.ClientID, clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	// Two claims of ten: the query asks for all ten.
	out, err := answerV1(v, r, pres)
	if err == nil || !strings.Contains(err.Error(), "claims_mismatch") {
		t.Fatalf("two of ten claims: %v", err)
	}
	started, _ = v.StartLogin(ctx, verifier.Start{Definition: "pid"})
	r = fetchRequest(t, v, started, testwallet.EncryptMetadata("w"))
	pres, _ = testwallet.PresentSD(issued, keysOf(tenClaims), holder, r.Nonce, r.ClientID, clk.Now())
	if out, err = answerV1(v, r, pres); err != nil {
		t.Fatal(err)
	}
	res := out.Session.Result
	if len(res.Credentials) != 1 || len(res.Credentials[0].CredentialSubject) != 10 || res.Credentials[0].Format != "dc+sd-jwt" ||
		!strings.HasPrefix(res.Holder, "did:jwk:") || res.Credentials[0].Issuer != issuer.DID {
		t.Fatalf("result %+v", res)
	}
	s, _ := store.Get(ctx, started.Session.ID)
	if len(s.ResponseKey) != 0 {
		t.Fatal("the response key outlived the login")
	}
}

func keysOf(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// answerV1 posts pres for r, encrypted when r asks for it.
func answerV1(v *verifier.Verifier, r *testwallet.V1Request, pres string) (verifier.Outcome, error) {
	tok := map[string]any{"pid": []any{pres}}
	if r.ResponseMode != oid4vp.ModeDirectPostJWT {
		b, _ := json.Marshal(tok)
		return v.HandleResponse(context.Background(), verifier.Response{VPToken: string(b), State: r.State})
	}
	payload, _ := json.Marshal(map[string]any{"vp_token": tok, "state": r.State})
	jwe, err := testwallet.EncryptJWE(payload, r.EncKey.Key, r.EncKey.KeyID, oid4vp.EncA256GCM)
	if err != nil {
		return verifier.Outcome{}, err
	}
	return v.HandleResponse(context.Background(), verifier.Response{Encrypted: jwe})
}

// BenchmarkSDJWTVerification10Disclosures is the verification of an
// SD-JWT VC of ten disclosures with a KB-JWT through the pipeline: the
// DCQL vp_token decoded, the SD-JWT parsed once, the KB-JWT prechecked,
// the DCQL query evaluated (strict disclosure), the issuer's did:jwk
// resolved, the issuer signature (ES256), the digests, the KB-JWT
// (ES256, sd_hash), the result of the requested claims, and the
// compare-and-set completion on the memory store.
func BenchmarkSDJWTVerification10Disclosures(b *testing.B) {
	ctx := context.Background()
	clk := &clock{t: time.Now()}
	v, store := newV1Verifier(b, clk)
	holder, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	issued, _ := testwallet.NewSDIssuer().Issue(holder.Public(), "VerifiableId", tenClaims, nil)
	const nonce = "bench-nonce-0123456789"
	pres, err := testwallet.PresentSD(issued, keysOf(tenClaims), holder, nonce, v.Identity().ClientID.String(), clk.Now())
	if err != nil {
		b.Fatal(err)
	}
	tok, _ := json.Marshal(map[string]any{"pid": []any{pres}})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := pendingSession(fmt.Sprintf("id-%d", i), nonce, clk.Now())
		s.DefinitionID, s.Protocol = "pid", oid4vp.V1
		if err := store.Create(ctx, s); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		out, err := v.HandleResponse(ctx, verifier.Response{VPToken: string(tok), State: s.State})
		if err != nil || out.Session.Status != session.StatusVerified {
			b.Fatalf("%v %+v", err, out.Session.Error)
		}
	}
}

// BenchmarkV1LoginDirectPostJWT is a whole 1.0 login over
// direct_post.jwt, both sides: the website starts it (a P-256 response
// key made), the wallet POSTs the request_uri saying it encrypts and
// checks the signed request object, presents the SD-JWT VC of ten
// disclosures with a KB-JWT and encrypts the response (ECDH-ES,
// A128GCM) to the request's key; the verifier decrypts and verifies it
// and completes the session.
func BenchmarkV1LoginDirectPostJWT(b *testing.B) {
	ctx := context.Background()
	clk := &clock{t: time.Now()}
	v, _ := newV1Verifier(b, clk)
	holder, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	issued, _ := testwallet.NewSDIssuer().Issue(holder.Public(), "VerifiableId", tenClaims, nil)
	form := testwallet.EncryptMetadata("wallet-nonce")
	names := keysOf(tenClaims)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		started, err := v.StartLogin(ctx, verifier.Start{Definition: "pid"})
		if err != nil {
			b.Fatal(err)
		}
		r := fetchRequest(b, v, started, form)
		pres, err := testwallet.PresentSD(issued, names, holder, r.Nonce, r.ClientID, clk.Now())
		if err != nil {
			b.Fatal(err)
		}
		out, err := answerV1(v, r, pres)
		if err != nil || out.Session.Status != session.StatusVerified {
			b.Fatalf("%v %+v", err, out.Session.Error)
		}
	}
}

// A credential query that does not require holder binding accepts an
// SD-JWT VC without KB-JWT and a VC-JWT presented bare (1.0 §5.3: the
// verifier "accepts that the presented Credential may have been
// replayed"): nobody is bound, and the result names no holder.
func TestV1WithoutHolderBinding(t *testing.T) {
	clk := &clock{t: time.Now()}
	raw := json.RawMessage(`{"credentials":[{"id":"sd","format":"dc+sd-jwt","require_cryptographic_holder_binding":false,"meta":{"vct_values":["VerifiableId"]},"claims":[{"path":["givenName"]}]},` +
		`{"id":"jwt","format":"jwt_vc_json","require_cryptographic_holder_binding":false,"meta":{"type_values":[["VerifiableId"]]}}],"credential_sets":[{"options":[["sd"],["jwt"]]}]}`)
	q, err := dcql.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := newV1Verifier(t, clk, func(c *verifier.Config) {
		c.Definitions = append(c.Definitions, verifier.Definition{ID: "unbound", DCQL: q, DCQLJSON: raw})
	})
	ctx := context.Background()
	issuer := testwallet.NewSDIssuer()
	holder, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	issued, _ := issuer.Issue(holder.Public(), "VerifiableId", map[string]any{"givenName": "Jane"}, nil)
	sd, err := sdjwtPresent(issued)
	if err != nil {
		t.Fatal(err)
	}
	signer, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: issuer.Key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", issuer.KID))
	payload, _ := json.Marshal(map[string]any{"iss": issuer.DID, "nbf": clk.Now().Add(-time.Minute).Unix(), "vc": map[string]any{
		"@context": []any{"https://www.w3.org/2018/credentials/v1"}, "type": []any{"VerifiableCredential", "VerifiableId"},
		"credentialSubject": map[string]any{"givenName": "Jane"}}})
	jws, _ := signer.Sign(payload)
	vcJWT, _ := jws.CompactSerialize()
	for name, tok := range map[string]map[string]any{"SD-JWT VC without KB-JWT": {"sd": []any{sd}}, "a VC-JWT presented bare": {"jwt": []any{vcJWT}}} {
		started, err := v.StartLogin(ctx, verifier.Start{Definition: "unbound"})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(tok)
		out, err := v.HandleResponse(ctx, verifier.Response{VPToken: string(b), State: started.Session.State})
		if err != nil || out.Session.Status != session.StatusVerified || out.Session.Result.Holder != "" || out.Session.Result.Credentials[0].CredentialSubject["givenName"] != "Jane" {
			t.Fatalf("%s: %v %+v", name, err, out.Session.Result)
		}
	}
}

// sdjwtPresent presents every disclosure of issued, without KB-JWT.
func sdjwtPresent(issued string) (string, error) {
	return sdjwt.Present(issued, sdjwt.DiscloseAll, nil)
}

// An SD-JWT VC whose issuer key is an x5c chain to a configured trust
// anchor (sd_jwt.x5c_trust_anchors); a chain to another anchor is not
// trusted (issuer_key_unresolved).
func TestV1X5CIssuer(t *testing.T) {
	clk := &clock{t: time.Now()}
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "issuers CA"}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign, NotBefore: clk.Now().Add(-time.Hour), NotAfter: clk.Now().Add(time.Hour)}
	caDER, _ := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, caKey.Public(), caKey)
	ca, _ := x509.ParseCertificate(caDER)
	issuerKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	leafTmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "issuer.example.org"}, DNSNames: []string{"issuer.example.org"},
		KeyUsage: x509.KeyUsageDigitalSignature, NotBefore: clk.Now().Add(-time.Hour), NotAfter: clk.Now().Add(time.Hour)}
	leafDER, _ := x509.CreateCertificate(rand.Reader, leafTmpl, ca, issuerKey.Public(), caKey)
	leaf, _ := x509.ParseCertificate(leafDER)
	holder, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	cnf, _ := sdjwt.JWKOf(holder.Public())
	claims := map[string]any{"iss": "https://issuer.example.org", "vct": "VerifiableId", "cnf": map[string]any{"jwk": cnf}}
	for k, val := range tenClaims {
		claims[k] = val
	}
	var paths []sdjwt.Path
	for k := range tenClaims {
		paths = append(paths, sdjwt.Path{k})
	}
	issued, err := sdjwt.Issue(claims, paths, sdjwt.Signer{Key: issuerKey, X5C: []*x509.Certificate{leaf}}, sdjwt.IssueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		roots  *x509.CertPool
		reason string
	}{{"trusted", x509.NewCertPool(), ""}, {"another anchor", x509.NewCertPool(), verifier.ReasonIssuerKeyUnresolved}} {
		if tc.reason == "" {
			tc.roots.AddCert(ca)
		} else {
			otherKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
			otherDER, _ := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, otherKey.Public(), otherKey)
			other, _ := x509.ParseCertificate(otherDER)
			tc.roots.AddCert(other) // another CA of the same name
		}
		v, _ := newV1Verifier(t, clk, func(c *verifier.Config) { c.SDJWT.X5CRoots = tc.roots })
		started, _ := v.StartLogin(context.Background(), verifier.Start{Definition: "pid"})
		r := fetchRequest(t, v, started, url.Values{})
		pres, _ := testwallet.PresentSD(issued, keysOf(tenClaims), holder, r.Nonce, r.ClientID, clk.Now())
		out, err := answerV1(v, r, pres)
		switch {
		case tc.reason == "" && (err != nil || out.Session.Result.Credentials[0].Issuer != "https://issuer.example.org"):
			t.Fatalf("%s: %v %+v", tc.name, err, out.Session.Result)
		case tc.reason != "" && (err == nil || !strings.Contains(err.Error(), tc.reason)):
			t.Fatalf("%s: %v", tc.name, err)
		}
	}
}

// An ldp_vp for an ldp_vc credential query: its proof's domain must be
// the full prefixed client identifier (1.0 B.1.3.2: "the domain claim
// MUST be the value of the Client Identifier"); the bare response URL of
// the dialects before 1.0 is refused.
func TestV1LinkedDataDomain(t *testing.T) {
	clk := &clock{t: time.Now()}
	raw := json.RawMessage(`{"credentials":[{"id":"ld","format":"ldp_vc","meta":{"type_values":[["VerifiableId"]]},"claims":[{"path":["credentialSubject","firstName"]}]}]}`)
	q, _ := dcql.Parse(raw)
	v, _ := newV1Verifier(t, clk, func(c *verifier.Config) {
		c.Definitions = append(c.Definitions, verifier.Definition{ID: "ld", DCQL: q, DCQLJSON: raw})
	})
	issuer, holder := testwallet.NewParty(), testwallet.NewParty()
	vc, err := issuer.Issue(holder.DID, testwallet.Credential{Types: []string{"VerifiableId"}, Subject: map[string]any{"firstName": "Jane", "lastName": "Doe"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ domain, reason string }{{v.Identity().ClientID.String(), ""}, {v.ResponseURL(), verifier.ReasonDomain}} {
		started, _ := v.StartLogin(context.Background(), verifier.Start{Definition: "ld"})
		vp, err := holder.Present([]map[string]any{vc}, started.Session.Nonce, tc.domain)
		if err != nil {
			t.Fatal(err)
		}
		tok, _ := json.Marshal(map[string]any{"ld": []any{vp}})
		out, err := v.HandleResponse(context.Background(), verifier.Response{VPToken: string(tok), State: started.Session.State})
		switch {
		case tc.reason == "" && (err != nil || out.Session.Result.Holder != holder.DID || len(out.Session.Result.Credentials[0].CredentialSubject) != 1):
			t.Fatalf("full client id: %v %+v", err, out.Session.Result)
		case tc.reason != "" && (err == nil || !strings.Contains(err.Error(), tc.reason)):
			t.Fatalf("response URL as domain: %v", err)
		}
	}
}
