package vp_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	didjwk "github.com/loginwithiota/verifier/did/jwk"
	didkey "github.com/loginwithiota/verifier/did/key"
	"github.com/loginwithiota/verifier/oid4vp"
	"github.com/loginwithiota/verifier/sdjwt"
	"github.com/loginwithiota/verifier/wallet"
)

// v1RP is a 1.0 verifier made of the verifier's own oid4vp functions: it
// signs request objects (oid4vp.SignRequestObject) under its did:jwk, or
// under a certificate chain, serves them at /request (GET, or POST with
// the wallet's metadata and nonce), and opens what the wallet posts to
// /response (oid4vp.OpenResponse for direct_post.jwt).
type v1RP struct {
	t        *testing.T
	srv      *httptest.Server
	key      crypto.Signer
	kid      string
	x5c      [][]byte
	clientID string
	nonce    string
	encKey   *ecdsa.PrivateKey
	// claims are the request object's; edit, when set, changes the signed
	// claims per fetch; raw, when set, is served instead.
	claims map[string]any
	edit   func(map[string]any)
	raw    string

	mu         sync.Mutex
	walletForm url.Values     // what the wallet posted to /request
	got        map[string]any // the answer's parameters (decrypted)
	encrypted  bool
}

func newV1RP(t *testing.T) *v1RP {
	t.Helper()
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	jwk, _ := sdjwt.JWKOf(k.Public())
	id, kid, err := didjwk.FromJWK(jwk)
	if err != nil {
		t.Fatal(err)
	}
	enc, _ := oid4vp.NewResponseKey()
	r := &v1RP{t: t, key: k, kid: kid, clientID: "decentralized_identifier:" + id, nonce: "n-" + rand.Text(), encKey: enc}
	mux := http.NewServeMux()
	mux.HandleFunc("/request", func(w http.ResponseWriter, req *http.Request) {
		claims := map[string]any{}
		for k, v := range r.claims {
			claims[k] = v
		}
		if req.Method == http.MethodPost {
			_ = req.ParseForm()
			r.mu.Lock()
			r.walletForm = req.PostForm
			r.mu.Unlock()
			if n := req.PostForm.Get("wallet_nonce"); n != "" {
				claims["wallet_nonce"] = n
			}
		}
		if r.edit != nil {
			r.edit(claims)
		}
		jwt := r.raw
		if jwt == "" {
			var err error
			jwt, err = oid4vp.SignRequestObject(oid4vp.Signer{Key: r.key, KeyID: r.kid, X5C: r.x5c}, claims, time.Now(), time.Now().Add(5*time.Minute))
			if err != nil {
				t.Error(err)
			}
		}
		w.Header().Set("Content-Type", "application/oauth-authz-req+jwt")
		io.WriteString(w, jwt)
	})
	mux.HandleFunc("POST /response", func(w http.ResponseWriter, req *http.Request) {
		_ = req.ParseForm()
		got := map[string]any{}
		encrypted := false
		if jwe := req.PostForm.Get("response"); jwe != "" {
			plain, err := oid4vp.OpenResponse(jwe, r.encKey, []string{"A128GCM", "A256GCM"})
			if err != nil {
				w.WriteHeader(400)
				return
			}
			_ = json.Unmarshal(plain, &got)
			encrypted = true
		} else {
			for k := range req.PostForm {
				got[k] = req.PostForm.Get(k)
			}
			if tok, ok := got["vp_token"].(string); ok {
				var v any
				if json.Unmarshal([]byte(tok), &v) == nil {
					got["vp_token"] = v
				}
			}
		}
		r.mu.Lock()
		r.got, r.encrypted = got, encrypted
		r.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{}`)
	})
	r.srv = httptest.NewServer(mux)
	t.Cleanup(r.srv.Close)
	r.claims = map[string]any{"response_type": "vp_token", "client_id": r.clientID, "response_mode": "direct_post",
		"response_uri": r.srv.URL + "/response", "nonce": r.nonce, "state": "st-1", "dcql_query": json.RawMessage(sdQuery),
		"client_metadata": map[string]any{"vp_formats_supported": map[string]any{
			"dc+sd-jwt":   map[string]any{"sd-jwt_alg_values": []string{"ES256", "EdDSA"}, "kb-jwt_alg_values": []string{"ES256", "EdDSA"}},
			"jwt_vc_json": map[string]any{"alg_values": []string{"ES256", "EdDSA"}}}}}
	return r
}

// encrypt makes the request ask for direct_post.jwt to the RP's key.
func (r *v1RP) encrypt(encs ...string) {
	jwk, _ := oid4vp.ResponseJWK(r.encKey, "st-1")
	meta := r.claims["client_metadata"].(map[string]any)
	meta["jwks"] = map[string]any{"keys": []any{jwk}}
	if len(encs) > 0 {
		meta["encrypted_response_enc_values_supported"] = encs
	}
	r.claims["response_mode"] = "direct_post.jwt"
}

// uri is the QR of the RP's request, with request_uri_method.
func (r *v1RP) uri(method string) string {
	q := url.Values{"client_id": {r.clientID}, "request_uri": {r.srv.URL + "/request"}}
	if method != "" {
		q.Set("request_uri_method", method)
	}
	return "openid4vp://?" + q.Encode()
}

// sdQuery asks for a VerifiableId SD-JWT VC's given name, or a VC-JWT's.
const sdQuery = `{"credentials":[
 {"id":"sd","format":"dc+sd-jwt","meta":{"vct_values":["VerifiableId"]},"claims":[{"path":["givenName"]}]},
 {"id":"jwt","format":"jwt_vc_json","meta":{"type_values":[["VerifiableId"]]},"claims":[{"path":["credentialSubject","givenName"]}]}],
 "credential_sets":[{"options":[["sd"],["jwt"]]}]}`

// sdIssuer issues SD-JWT VCs under a did:key (Ed25519).
type sdIssuer struct {
	key      ed25519.PrivateKey
	did, kid string
}

func newSDIssuer() *sdIssuer {
	_, k, _ := ed25519.GenerateKey(rand.Reader)
	d, vm := didkey.FromEd25519(k.Public().(ed25519.PublicKey))
	return &sdIssuer{key: k, did: d, kid: vm}
}

// issue is a VerifiableId bound to key's public key with claims, each
// disclosable.
func (i *sdIssuer) issue(t *testing.T, holder *wallet.Key, vct string, claims map[string]any) string {
	t.Helper()
	cnf, _ := sdjwt.JWKOf(holder.Signer().Public())
	all := map[string]any{"iss": i.did, "vct": vct, "iat": time.Now().Add(-time.Minute).Unix(), "cnf": map[string]any{"jwk": cnf}}
	var paths []sdjwt.Path
	for k, v := range claims {
		all[k] = v
		paths = append(paths, sdjwt.Path{k})
	}
	s, err := sdjwt.Issue(all, paths, sdjwt.Signer{Key: i.key, KeyID: i.kid}, sdjwt.IssueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// x509Chain is a CA and a leaf for dnsName, with the leaf's key.
func x509Chain(t *testing.T, dnsName string) (*x509.CertPool, [][]byte, *ecdsa.PrivateKey) {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	leafKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ca := certTemplate(1, "CA", true)
	caDER, _ := x509.CreateCertificate(rand.Reader, ca, ca, caKey.Public(), caKey)
	caCert, _ := x509.ParseCertificate(caDER)
	leaf := certTemplate(2, "rp", false)
	leaf.DNSNames = []string{dnsName}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, caCert, leafKey.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(caCert)
	return pool, [][]byte{leafDER, caDER}, leafKey
}

func certTemplate(serial int64, cn string, ca bool) *x509.Certificate {
	return &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn}, NotBefore: time.Now().Add(-time.Hour),
		NotAfter: time.Now().Add(time.Hour), IsCA: ca, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign}
}
