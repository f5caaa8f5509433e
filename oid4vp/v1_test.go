package oid4vp

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"net/url"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

var v1Login = Login{ResponseURI: "https://v.example/oid4vp/response", Nonce: "n", State: "s", ClientID: "decentralized_identifier:did:jwk:abc",
	DCQL: json.RawMessage(`{"credentials":[{"id":"a","format":"dc+sd-jwt","meta":{"vct_values":["v"]}}]}`), Definition: json.RawMessage(`{"id":"d","input_descriptors":[]}`),
	VPFormatsSupported: map[string]any{"dc+sd-jwt": map[string]any{}}, VPFormats: map[string]any{"jwt_vp": map[string]any{}}}

func TestV1Parameters(t *testing.T) {
	d, _ := Lookup(V1)
	p := d.Parameters(v1Login)
	if p[ParamClientID] != v1Login.ClientID || p[ParamResponseMode] != ModeDirectPost || p[ParamDCQLQuery] == nil ||
		p[ParamPresentationDefinition] != nil || p[ParamClientIDScheme] != nil || p[ParamWalletNonce] != nil {
		t.Fatalf("parameters %v", p)
	}
	meta := p[ParamClientMetadata].(map[string]any)
	if meta["jwks"] != nil || meta["encrypted_response_enc_values_supported"] != nil || meta["vp_formats_supported"] == nil {
		t.Fatalf("client_metadata %v", meta)
	}
	l := v1Login
	l.Encryption = &Encryption{JWK: map[string]any{"kid": "s"}, Enc: []string{EncA128GCM}}
	l.WalletNonce, l.VerifierInfo = "w", json.RawMessage(`[{"format":"jwt","data":"x"}]`)
	p = d.Parameters(l)
	meta = p[ParamClientMetadata].(map[string]any)
	if p[ParamResponseMode] != ModeDirectPostJWT || meta["jwks"] == nil || p[ParamWalletNonce] != "w" || p[ParamVerifierInfo] == nil {
		t.Fatalf("encrypted request %v", p)
	}
	if d.ClientID(l) != l.ClientID || d.ByReference() || !IsV1(d) || ServesDraft20(d) {
		t.Fatal("1.0's identity")
	}
}

// The one-QR dialect: POST → 1.0, GET → draft-20 under the same client
// identifier, no client_id_scheme.
func TestForFetch(t *testing.T) {
	d, _ := Lookup(V1Draft20)
	post, name := ForFetch(d, v1Login, RequestURIMethodPost)
	if name != V1 && name != V1Draft20 || post[ParamDCQLQuery] == nil {
		t.Fatalf("POST: %s %v", name, post)
	}
	get, name := ForFetch(d, v1Login, RequestURIMethodGet)
	if name != Draft20 || get[ParamPresentationDefinition] == nil || get[ParamDCQLQuery] != nil || get[ParamClientID] != v1Login.ClientID || get[ParamClientIDScheme] != nil {
		t.Fatalf("GET: %s %v", name, get)
	}
	one, _ := Lookup(V1)
	if p, _ := ForFetch(one, v1Login, RequestURIMethodGet); p[ParamDCQLQuery] == nil {
		t.Fatal("a 1.0 login's GET gets 1.0")
	}
	ref := ReferenceParametersV1(v1Login.ClientID, "https://v.example/oid4vp/requests/x")
	if q, _ := Query(ref); !strings.Contains(q, "request_uri_method=post") || len(ref) != 3 {
		t.Fatalf("QR %v", ref)
	}
}

func TestSignRequestObject(t *testing.T) {
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	_, ed, _ := ed25519.GenerateKey(rand.Reader)
	now := time.Unix(1700000000, 0)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "v"}, NotBefore: now, NotAfter: now.Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, ed.Public(), ed)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []Signer{{Key: ec, KeyID: "did:jwk:x#0"}, {Key: ed, X5C: [][]byte{der}}} {
		jwt, err := SignRequestObject(s, map[string]any{"client_id": "c"}, now, now.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		jws, err := jose.ParseSignedCompact(jwt, []jose.SignatureAlgorithm{jose.ES256, jose.EdDSA})
		if err != nil {
			t.Fatal(err)
		}
		h := jws.Signatures[0].Protected
		payload, err := jws.Verify(s.Key.Public())
		if err != nil || h.ExtraHeaders[jose.HeaderType] != RequestObjectType {
			t.Fatalf("%v %v", err, h)
		}
		var c map[string]any
		_ = json.Unmarshal(payload, &c)
		if c["aud"] != AudienceSelfIssued || c["client_id"] != "c" || c["iat"] != float64(now.Unix()) {
			t.Fatalf("claims %v", c)
		}
		hdr, _ := base64.RawURLEncoding.DecodeString(strings.Split(jwt, ".")[0])
		if s.KeyID != "" && !strings.Contains(string(hdr), `"kid":"did:jwk:x#0"`) || len(s.X5C) > 0 && !strings.Contains(string(hdr), `"x5c":["`+base64.StdEncoding.EncodeToString(der)+`"]`) {
			t.Fatalf("header %s", hdr)
		}
	}
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if _, err := SignRequestObject(Signer{Key: p384}, nil, now, time.Time{}); err == nil {
		t.Fatal("P-384 signed")
	}
}

func TestEncryptedResponse(t *testing.T) {
	k, _ := NewResponseKey()
	raw, _ := ResponseKeyBytes(k)
	back, err := ParseResponseKey(raw)
	if err != nil || !back.Equal(k) || len(raw) != 32 {
		t.Fatalf("key round trip: %v", err)
	}
	jwk, _ := ResponseJWK(k, "the-state")
	if jwk["kid"] != "the-state" || jwk["alg"] != EncAlgECDHES || jwk["use"] != "enc" || jwk["d"] != nil {
		t.Fatalf("jwk %v", jwk)
	}
	encrypt := func(key any, alg jose.KeyAlgorithm, enc jose.ContentEncryption, kid string) string {
		e, err := jose.NewEncrypter(enc, jose.Recipient{Algorithm: alg, Key: key, KeyID: kid}, nil)
		if err != nil {
			t.Fatal(err)
		}
		o, _ := e.Encrypt([]byte(`{"vp_token":{"a":["x~"]},"state":"the-state"}`))
		s, _ := o.CompactSerialize()
		return s
	}
	encs := []string{EncA128GCM, EncA256GCM}
	good := encrypt(&k.PublicKey, jose.ECDH_ES, jose.A256GCM, "the-state")
	if h, err := PeekResponse(good); err != nil || h.Kid != "the-state" || !h.JWE {
		t.Fatalf("peek %+v %v", h, err)
	}
	plain, err := OpenResponse(good, back, encs)
	if err != nil {
		t.Fatal(err)
	}
	a, err := ParseJSONResponse(plain)
	if err != nil || a.State != "the-state" || a.VPToken != `{"a":["x~"]}` {
		t.Fatalf("answer %+v %v", a, err)
	}
	other, _ := NewResponseKey()
	for name, tc := range map[string]struct {
		jwe  string
		want error
	}{
		"another key":    {encrypt(&other.PublicKey, jose.ECDH_ES, jose.A128GCM, "the-state"), ErrResponseDecrypt},
		"unexpected enc": {encrypt(&k.PublicKey, jose.ECDH_ES, jose.A192GCM, "the-state"), ErrResponseEnc},
		"key wrapping":   {encrypt(&k.PublicKey, jose.ECDH_ES_A128KW, jose.A128GCM, "the-state"), ErrResponseAlg},
		"alg none JWT":   {"eyJhbGciOiJub25lIn0.eyJzdGF0ZSI6InMifQ.", ErrResponseAlg},
		"not a JWE":      {"a.b", ErrResponseMalformed},
	} {
		if _, err := OpenResponse(tc.jwe, back, encs); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", name, err, tc.want)
		}
	}
	if h, _ := PeekResponse("eyJhbGciOiJub25lIn0.eyJzdGF0ZSI6InMifQ."); h.State != "s" || h.JWE {
		t.Fatalf("peek of a JWT %+v", h)
	}
	if _, err := ParseJSONResponse([]byte(`{"response":"x"}`)); err == nil {
		t.Fatal("a response inside a response")
	}
}

func TestParseWalletRequest(t *testing.T) {
	// wallet_metadata as JSON text, wallet_nonce.
	w, err := ParseWalletRequest(url.Values{"wallet_metadata": {`{"authorization_encryption_alg_values_supported":["ECDH-ES"]}`}, "wallet_nonce": {"kxbJ//QQ/qheqcBnVzjZPg=="}})
	if err != nil || w.Nonce != "kxbJ//QQ/qheqcBnVzjZPg==" || !w.CanEncrypt([]string{EncA128GCM}) {
		t.Fatalf("%+v %v", w, err)
	}
	// @openid4vc/openid4vp 0.4.6: the members as fields of their own.
	w, err = ParseWalletRequest(url.Values{"authorization_encryption_alg_values_supported": {`["ECDH-ES"]`},
		"authorization_encryption_enc_values_supported": {`["A256GCM"]`}, "vp_formats_supported": {`{}`}, "junk": {"not json"}})
	if err != nil || w.Metadata["junk"] != nil || !w.CanEncrypt([]string{EncA128GCM, EncA256GCM}) || w.CanEncrypt([]string{EncA128GCM}) {
		t.Fatalf("%+v %v", w, err)
	}
	if w, _ := ParseWalletRequest(url.Values{}); w.CanEncrypt([]string{EncA128GCM}) {
		t.Fatal("nothing posted, encryption assumed")
	}
	for _, bad := range []url.Values{
		{"wallet_nonce": {strings.Repeat("n", 300)}}, {"wallet_nonce": {"a b"}},
		{"wallet_metadata": {"[]"}}, {"wallet_nonce": {"a", "b"}},
	} {
		if _, err := ParseWalletRequest(bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

func TestClientIdentifier(t *testing.T) {
	if c := (ClientIdentifier{Prefix: PrefixX509Hash, Value: X509Hash([]byte("der"))}); !strings.HasPrefix(c.String(), "x509_hash:") || !c.Signed() {
		t.Fatal(c)
	}
	if (ClientIdentifier{Prefix: PrefixRedirectURI}).Signed() || CheckPrefix("openid_federation") == nil || CheckPrefix(PrefixDID) != nil {
		t.Fatal("prefixes")
	}
	f := VPFormatsSupported([]string{"jwt_vc_json", "ldp_vc", "dc+sd-jwt", "mso_mdoc"}, Supported{JWTAlgs: []string{"ES256"}, ProofTypes: []string{"p"}, SDJWTAlgs: []string{"ES256"}})
	if len(f) != 3 || f["ldp_vc"].(map[string]any)["cryptosuite_values"] != nil {
		t.Fatalf("vp_formats_supported %v", f)
	}
}
