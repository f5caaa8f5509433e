package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/loginwithiota/verifier/oid4vp"
	"github.com/loginwithiota/verifier/sdjwt"
	"github.com/loginwithiota/verifier/testwallet"
)

// OID4VP 1.0 through the whole program on the shipped config: the
// request by request_uri (GET and POST), the one-QR dialect, both
// response modes, SD-JWT VCs, VC-JWTs and VC Data Model 2.0 JWTs, the
// client identifier prefixes and the signing key.

// login answers r with vpToken (encrypted when r asks for it) and checks
// the session is verified.
func loginV1(t *testing.T, s *site, c created, r *testwallet.V1Request, vpToken any) status {
	t.Helper()
	resp, body, err := r.PostV1(context.Background(), http.DefaultClient, vpToken, r.ResponseMode == oid4vp.ModeDirectPostJWT)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("answer: %d %s", resp.StatusCode, body)
	}
	st := s.status(c)
	if st.Status != "verified" {
		t.Fatalf("session %+v", st)
	}
	return st
}

func TestV1LoginsOnTheShippedConfig(t *testing.T) {
	p := startShipped(t, nil)
	s := newSite(t, p)
	issuer := testwallet.NewSDIssuer()
	claims := map[string]any{"givenName": "Jane", "familyName": "Doe", "birthDate": "1990-01-01"}
	for _, tc := range []struct {
		name    string
		form    url.Values // the request_uri POST
		mode    string
		present func(t *testing.T, h *v1Holder, r *testwallet.V1Request) map[string]any
		holder  func(h *v1Holder) string
	}{
		{"dc+sd-jwt, direct_post.jwt", testwallet.EncryptMetadata(""), oid4vp.ModeDirectPostJWT, func(t *testing.T, h *v1Holder, r *testwallet.V1Request) map[string]any {
			issued, _ := issuer.Issue(h.key.Public(), "VerifiableId", claims, nil)
			p, err := testwallet.PresentSD(issued, []string{"givenName", "familyName"}, h.key, r.Nonce, r.ClientID, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			return map[string]any{"verifiable-id-sd-jwt": []any{p}}
		}, func(h *v1Holder) string { return h.did }},
		{"dc+sd-jwt, direct_post (no metadata posted)", url.Values{}, oid4vp.ModeDirectPost, func(t *testing.T, h *v1Holder, r *testwallet.V1Request) map[string]any {
			issued, _ := issuer.Issue(h.key.Public(), "VerifiableId", claims, nil)
			p, _ := testwallet.PresentSD(issued, []string{"givenName", "familyName"}, h.key, r.Nonce, r.ClientID, time.Now())
			return map[string]any{"verifiable-id-sd-jwt": []any{p}}
		}, func(h *v1Holder) string { return h.did }},
		{"jwt_vp_json / jwt_vc_json, direct_post.jwt", testwallet.EncryptMetadata("n-1"), oid4vp.ModeDirectPostJWT, func(t *testing.T, h *v1Holder, r *testwallet.V1Request) map[string]any {
			return map[string]any{"verifiable-id-jwt": []any{vpJWT(t, h, r.Nonce, r.ClientID, vcJWT(t, issuer, h.did, "VerifiableId"))}}
		}, func(h *v1Holder) string { return h.did }},
		{"vp+jwt with an enveloped vc+jwt (VC Data Model 2.0)", url.Values{}, oid4vp.ModeDirectPost, func(t *testing.T, h *v1Holder, r *testwallet.V1Request) map[string]any {
			vc := signJWT(t, issuer.Key, issuer.KID, "vc+jwt", map[string]any{"@context": []any{"https://www.w3.org/ns/credentials/v2"},
				"type": []any{"VerifiableCredential", "VerifiableId"}, "issuer": issuer.DID, "validFrom": time.Now().Add(-time.Hour).UTC().Format(time.RFC3339),
				"credentialSubject": map[string]any{"id": h.did, "givenName": "Jane", "familyName": "Doe", "birthDate": "1990-01-01"}})
			// As identity.rs writes it: the nonce in the header, iat and
			// exp null, the credential enveloped.
			opts := (&jose.SignerOptions{}).WithType("vp+jwt").WithHeader("kid", h.kid).WithHeader("nonce", r.Nonce)
			signer, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: h.key}, opts)
			payload, _ := json.Marshal(map[string]any{"@context": "https://www.w3.org/ns/credentials/v2", "type": "VerifiablePresentation",
				"holder": h.did, "aud": r.ClientID, "iat": nil, "exp": nil,
				"verifiableCredential": []any{map[string]any{"@context": "https://www.w3.org/ns/credentials/v2", "type": "EnvelopedVerifiableCredential",
					"id": "data:application/vc+jwt," + vc}}})
			jws, _ := signer.Sign(payload)
			vp, _ := jws.CompactSerialize()
			return map[string]any{"verifiable-id-jwt": []any{vp}}
		}, func(h *v1Holder) string { return h.did }},
		{"vp+jwt with an enveloped vc+sd-jwt (VC Data Model 2.0)", url.Values{}, oid4vp.ModeDirectPost, func(t *testing.T, h *v1Holder, r *testwallet.V1Request) map[string]any {
			vc, err := sdjwt.Issue(map[string]any{"@context": []any{"https://www.w3.org/ns/credentials/v2"}, "type": []any{"VerifiableCredential", "VerifiableId"},
				"issuer": issuer.DID, "credentialSubject": map[string]any{"id": h.did, "givenName": "Jane", "familyName": "Doe", "birthDate": "1990-01-01"}},
				[]sdjwt.Path{{"credentialSubject", "givenName"}, {"credentialSubject", "familyName"}, {"credentialSubject", "birthDate"}},
				sdjwt.Signer{Key: issuer.Key, KeyID: issuer.KID}, sdjwt.IssueOptions{Plain: true, Typ: "vc+sd-jwt"})
			if err != nil {
				t.Fatal(err)
			}
			presented, err := sdjwt.Present(vc, []sdjwt.Path{{"credentialSubject", "givenName"}, {"credentialSubject", "familyName"}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			vp := signJWT(t, h.key, h.kid, "vp+jwt", map[string]any{"@context": []any{"https://www.w3.org/ns/credentials/v2"}, "type": []any{"VerifiablePresentation"},
				"holder": h.did, "aud": r.ClientID, "nonce": r.Nonce, "verifiableCredential": []any{map[string]any{"@context": "https://www.w3.org/ns/credentials/v2",
					"type": "EnvelopedVerifiableCredential", "id": "data:application/vc+sd-jwt," + presented}}})
			return map[string]any{"verifiable-id-jwt": []any{vp}}
		}, func(h *v1Holder) string { return h.did }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newV1Holder(t)
			c := s.startV1("1.0", "cross-device")
			r, err := testwallet.FetchV1(context.Background(), http.DefaultClient, c.AuthorizationRequest, http.MethodPost, tc.form)
			if err != nil {
				t.Fatal(err)
			}
			if r.ResponseMode != tc.mode || r.WalletNonce != tc.form.Get("wallet_nonce") {
				t.Fatalf("response_mode %q, wallet_nonce %q", r.ResponseMode, r.WalletNonce)
			}
			st := loginV1(t, s, c, r, tc.present(t, h, r))
			cred := st.Result.Credentials[0]
			if st.Result.Holder != tc.holder(h) || cred.Issuer != issuer.DID || !reflect.DeepEqual(keys(cred.CredentialSubject), []string{"familyName", "givenName"}) {
				t.Fatalf("result %+v", st.Result)
			}
		})
	}
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slicesSort(out)
	return out
}

// The request fetched twice (the conformance suite's request_uri_method
// post module does the POST once; a wallet may do it again): both fetches
// get the same request — nonce, state, client_id, query, response key —
// each with the wallet_nonce it posted; a GET of a 1.0 login gets it too,
// without wallet_nonce.
func TestV1RequestFetchedTwice(t *testing.T) {
	p := startShipped(t, nil)
	s := newSite(t, p)
	c := s.startV1("1.0", "cross-device")
	first := fetchV1(t, c, map[string]string{"wallet_nonce": "first-nonce", "wallet_metadata": `{"authorization_encryption_alg_values_supported":["ECDH-ES"]}`})
	second := fetchV1(t, c, map[string]string{"wallet_nonce": "second-nonce", "wallet_metadata": `{"authorization_encryption_alg_values_supported":["ECDH-ES"]}`})
	if first.WalletNonce != "first-nonce" || second.WalletNonce != "second-nonce" {
		t.Fatalf("wallet_nonce %q %q", first.WalletNonce, second.WalletNonce)
	}
	same := func(a, b map[string]any) bool {
		a, b = cloneMap(a), cloneMap(b)
		for _, m := range []map[string]any{a, b} {
			delete(m, "wallet_nonce")
			delete(m, "iat")
		}
		return reflect.DeepEqual(a, b)
	}
	if !same(first.Claims, second.Claims) {
		t.Fatalf("two fetches, two requests:\n%v\n%v", first.Claims, second.Claims)
	}
	get, err := testwallet.FetchV1(context.Background(), http.DefaultClient, c.AuthorizationRequest, http.MethodGet, nil)
	if err != nil {
		t.Fatal(err)
	}
	if get.WalletNonce != "" || get.Nonce != first.Nonce || get.State != first.State || get.ClientID != first.ClientID {
		t.Fatalf("GET %v", get.Claims)
	}
	h := newV1Holder(t)
	issued, _ := testwallet.NewSDIssuer().Issue(h.key.Public(), "VerifiableId", map[string]any{"givenName": "Jane", "familyName": "Doe"}, nil)
	pres, _ := testwallet.PresentSD(issued, []string{"givenName", "familyName"}, h.key, second.Nonce, second.ClientID, time.Now())
	loginV1(t, s, c, second, map[string]any{"verifiable-id-sd-jwt": []any{pres}})
	// Answered: the request is no longer served.
	if code, _, _ := s.do("POST", "/oid4vp/requests/"+c.ID, "application/x-www-form-urlencoded", "", nil); code != http.StatusNotFound {
		t.Fatalf("request of a finished login: %d", code)
	}
}

func cloneMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// One QR, two generations: the same request_uri serves the 1.0 request to
// a POST and the draft-20 request to a GET, signed by the same client
// identifier the QR names.
func TestV1OneQR(t *testing.T) {
	p := startShipped(t, nil)
	s := newSite(t, p)
	c := s.startV1("1.0+draft-20", "cross-device")
	q := queryOf(t, c.AuthorizationRequest)
	if len(q) != 3 || q.Get("request_uri_method") != "post" || !strings.HasPrefix(q.Get("client_id"), "decentralized_identifier:did:jwk:") {
		t.Fatalf("QR %v", q)
	}
	post := fetchV1(t, c, map[string]string{})
	if post.DCQL == nil || post.Claims["presentation_definition"] != nil {
		t.Fatalf("POST: %v", post.Claims)
	}
	get, err := testwallet.FetchV1(context.Background(), http.DefaultClient, c.AuthorizationRequest, http.MethodGet, nil)
	if err != nil {
		t.Fatal(err)
	}
	if get.DCQL != nil || get.Claims["presentation_definition"] == nil || get.Claims["client_id_scheme"] != nil || get.ClientID != post.ClientID || get.Nonce != post.Nonce {
		t.Fatalf("GET: %v", get.Claims)
	}
}

func queryOf(t *testing.T, uri string) url.Values {
	t.Helper()
	_, query, _ := strings.Cut(uri, "?")
	q, err := url.ParseQuery(query)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// response_encryption: required: every 1.0 request asks for
// direct_post.jwt, and a 1.0 answer in the clear is refused.
func TestV1EncryptionRequired(t *testing.T) {
	p := startShipped(t, func(c string) string {
		return strings.Replace(c, "response_encryption: when_supported", "response_encryption: required", 1)
	})
	s := newSite(t, p)
	c := s.startV1("1.0", "cross-device")
	r, err := testwallet.FetchV1(context.Background(), http.DefaultClient, c.AuthorizationRequest, http.MethodGet, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.ResponseMode != oid4vp.ModeDirectPostJWT || r.EncKey == nil {
		t.Fatalf("GET under required: %v", r.Claims)
	}
	h := newV1Holder(t)
	issued, _ := testwallet.NewSDIssuer().Issue(h.key.Public(), "VerifiableId", map[string]any{"givenName": "Jane", "familyName": "Doe"}, nil)
	pres, _ := testwallet.PresentSD(issued, []string{"givenName", "familyName"}, h.key, r.Nonce, r.ClientID, time.Now())
	resp, body, err := r.PostV1(context.Background(), http.DefaultClient, map[string]any{"verifiable-id-sd-jwt": []any{pres}}, false)
	if err != nil || resp.StatusCode != http.StatusBadRequest || decodeError(t, body).Reason != "response_not_encrypted" {
		t.Fatalf("plain answer: %v %s", err, body)
	}
}

// The signing key made once and kept: the client identifier survives a
// restart; did:key names it too.
func TestV1SigningKeyFile(t *testing.T) {
	dir := t.TempDir()
	cfg := strings.Replace(shippedConfigAsIs(t), "    # key_file: verifier-signing-key.pem", "    key_file: "+filepath.Join(dir, "key.pem"), 1)
	clientID := func(cfg string) string {
		p, err := Open(context.Background(), Options{ConfigPath: filepath.Join(dir, "config.yaml"), Listen: "127.0.0.1:0"}, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		return queryOf(t, newSite(t, p).startV1("1.0", "cross-device").AuthorizationRequest).Get("client_id")
	}
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	a, b := clientID(cfg), clientID(cfg)
	if a != b || !strings.HasPrefix(a, "decentralized_identifier:did:jwk:") {
		t.Fatalf("client ids %q %q", a, b)
	}
	if fi, err := os.Stat(filepath.Join(dir, "key.pem")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi, err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(strings.Replace(cfg, "did: jwk", "did: key", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if k := clientID(cfg); !strings.HasPrefix(k, "decentralized_identifier:did:key:zDn") {
		t.Fatalf("did:key client id %q", k)
	}
}

// x509_san_dns and x509_hash: a configured chain signs, x5c carries it,
// and the full prefixed client identifier is the KB-JWT's audience.
func TestV1X509Prefixes(t *testing.T) {
	dir := t.TempDir()
	ca, caKey := selfSigned(t, "verifier CA", nil, nil, true)
	leafKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	leaf, _ := selfSigned(t, "verifier", ca, caKey, false, leafKey)
	der, _ := x509.MarshalPKCS8PrivateKey(leafKey)
	_ = os.WriteFile(filepath.Join(dir, "key.pem"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600)
	chain := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leaf.Raw}), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Raw})...)
	_ = os.WriteFile(filepath.Join(dir, "chain.pem"), chain, 0o600)
	for _, prefix := range []string{"x509_san_dns", "x509_hash"} {
		t.Run(prefix, func(t *testing.T) {
			p := startShipped(t, func(c string) string {
				c = strings.Replace(c, "client_id_prefix: decentralized_identifier", "client_id_prefix: "+prefix, 1)
				c = strings.Replace(c, "    # key_file: verifier-signing-key.pem", "    key_file: "+filepath.Join(dir, "key.pem"), 1)
				c = strings.Replace(c, "    # certificate_chain_file: verifier-chain.pem", "    certificate_chain_file: "+filepath.Join(dir, "chain.pem"), 1)
				return strings.Replace(c, "    # dns_name: verifier.example.org", "    dns_name: verifier.example.org", 1)
			})
			s := newSite(t, p)
			c := s.startV1("1.0", "cross-device")
			q := queryOf(t, c.AuthorizationRequest)
			want := prefix + ":verifier.example.org"
			if prefix == "x509_hash" {
				want = prefix + ":" + oid4vp.X509Hash(leaf.Raw)
			}
			if q.Get("client_id") != want {
				t.Fatalf("client_id %q, want %q", q.Get("client_id"), want)
			}
			code, _, body := s.do("GET", "/oid4vp/requests/"+c.ID, "", "", nil)
			jws, err := jose.ParseSignedCompact(string(body), []jose.SignatureAlgorithm{jose.ES256})
			if code != http.StatusOK || err != nil {
				t.Fatalf("request object: %d %v", code, err)
			}
			certs, err := jws.Signatures[0].Protected.Certificates(x509.VerifyOptions{Roots: pool(ca), DNSName: "verifier.example.org"})
			if err != nil || len(certs) == 0 {
				t.Fatalf("x5c: %v", err)
			}
			payload, err := jws.Verify(leafKey.Public())
			if err != nil || !strings.Contains(string(payload), `"client_id":"`+want+`"`) {
				t.Fatalf("signature %v, %s", err, payload)
			}
		})
	}
}

func pool(c *x509.Certificate) *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(c)
	return p
}

// selfSigned makes a certificate: a CA (isCA), or a leaf signed by
// parent for dNSName verifier.example.org.
func selfSigned(t *testing.T, cn string, parent *x509.Certificate, parentKey *ecdsa.PrivateKey, isCA bool, key ...*ecdsa.PrivateKey) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	k := parentKey
	var own *ecdsa.PrivateKey
	if len(key) > 0 {
		own = key[0]
	} else {
		own, _ = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: isCA, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign}
	if !isCA {
		tmpl.DNSNames = []string{"verifier.example.org"}
	}
	if parent == nil {
		parent, k = tmpl, own
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, own.Public(), k)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return c, own
}

// redirect_uri: a 1.0 request by value, unsigned, the response URI its
// client identifier.
func TestV1RedirectURIPrefix(t *testing.T) {
	p := startShipped(t, func(c string) string {
		return strings.Replace(c, "client_id_prefix: decentralized_identifier", "client_id_prefix: redirect_uri", 1)
	})
	s := newSite(t, p)
	c := s.startV1("1.0", "cross-device")
	q := queryOf(t, c.AuthorizationRequest)
	if q.Get("client_id") != "redirect_uri:"+p.PublicURL+"/oid4vp/response" || q.Get("request_uri") != "" || q.Get("dcql_query") == "" || q.Get("response_uri") != p.PublicURL+"/oid4vp/response" {
		t.Fatalf("request %v", q)
	}
	code, _, body := s.do("POST", "/api/v1/sessions", "application/json", `{"definition":"verifiable-id","protocol":"1.0+draft-20"}`, nil)
	if code != http.StatusBadRequest || !strings.Contains(string(body), "does not allow protocol") {
		t.Fatalf("the one-QR dialect under redirect_uri: %d %s", code, body)
	}
}
