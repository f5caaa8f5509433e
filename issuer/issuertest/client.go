package issuertest

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	didkey "github.com/loginwithiota/verifier/did/key"
)

// Client talks to one issuer.
type Client struct {
	T *testing.T
	// Base is the credential issuer identifier.
	Base   string
	APIKey string
}

// Answer is an HTTP answer with its JSON body decoded.
type Answer struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    []byte
}

// Code is the answer's OAuth error code ("" when none).
func (a Answer) Code() string { s, _ := a.Body["error"].(string); return s }

func (c *Client) do(req *http.Request) Answer {
	c.T.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.T.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := Answer{Status: resp.StatusCode, Header: resp.Header, Raw: raw}
	_ = json.Unmarshal(raw, &a.Body)
	return a
}

// PostJSON posts body (a value, or []byte as it is) with a bearer token.
func (c *Client) PostJSON(path, bearer string, body any) Answer {
	c.T.Helper()
	raw, ok := body.([]byte)
	if !ok {
		raw, _ = json.Marshal(body)
	}
	req, _ := http.NewRequest(http.MethodPost, c.Base+path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	return c.do(req)
}

// PostForm posts a form.
func (c *Client) PostForm(path string, f url.Values) Answer {
	c.T.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.Base+path, strings.NewReader(f.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// Get fetches an absolute URL or a path under Base.
func (c *Client) Get(u string) Answer {
	c.T.Helper()
	if strings.HasPrefix(u, "/") {
		u = c.Base + u
	}
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	return c.do(req)
}

// Offer is a created offer.
type Offer struct {
	Code, TxCode, URI, OfferURI string
}

// Offer makes an offer with the operator API.
func (c *Client) Offer(body map[string]any) Offer {
	c.T.Helper()
	a := c.PostJSON("/api/v1/offers", c.APIKey, body)
	if a.Status != http.StatusCreated {
		c.T.Fatalf("offer: %d %s", a.Status, a.Raw)
	}
	g := a.Body["credential_offer"].(map[string]any)["grants"].(map[string]any)["urn:ietf:params:oauth:grant-type:pre-authorized_code"].(map[string]any)
	o := Offer{Code: g["pre-authorized_code"].(string), URI: a.Body["offer_uri"].(string)}
	o.TxCode, _ = a.Body["tx_code"].(string)
	o.OfferURI, _ = a.Body["credential_offer_uri"].(string)
	return o
}

// Token is a token request ("" tx: none sent).
func (c *Client) Token(code, tx string) Answer {
	c.T.Helper()
	f := url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:pre-authorized_code"}, "pre-authorized_code": {code}}
	if tx != "" {
		f.Set("tx_code", tx)
	}
	return c.PostForm("/token", f)
}

// AccessToken exchanges code, failing the test on an error.
func (c *Client) AccessToken(code, tx string) string {
	c.T.Helper()
	a := c.Token(code, tx)
	if a.Status != 200 {
		c.T.Fatalf("token: %d %s", a.Status, a.Raw)
	}
	return a.Body["access_token"].(string)
}

// Nonce fetches a c_nonce.
func (c *Client) Nonce() string {
	c.T.Helper()
	a := c.PostJSON("/nonce", "", nil)
	if a.Status != 200 {
		c.T.Fatalf("nonce: %d %s", a.Status, a.Raw)
	}
	return a.Body["c_nonce"].(string)
}

// Credential posts a credential request.
func (c *Client) Credential(token string, body any) Answer {
	c.T.Helper()
	return c.PostJSON("/credential", token, body)
}

// Holder is a wallet key with its did:key.
type Holder struct {
	Priv crypto.Signer
	Alg  jose.SignatureAlgorithm
	DID  string
	KID  string
}

// NewHolder makes an Ed25519 (or P-256) holder.
func NewHolder(t *testing.T, p256 bool) *Holder {
	if p256 {
		k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		d, vm, err := didkey.FromP256(&k.PublicKey)
		if err != nil {
			t.Fatal(err)
		}
		return &Holder{Priv: k, Alg: jose.ES256, DID: d, KID: vm}
	}
	_, k, _ := ed25519.GenerateKey(rand.Reader)
	d, vm := didkey.FromEd25519(k.Public().(ed25519.PublicKey))
	return &Holder{Priv: k, Alg: jose.EdDSA, DID: d, KID: vm}
}

// Spec shapes a key proof; the zero Spec is a correct one.
type Spec struct {
	Header map[string]any // extra header members
	Claims map[string]any // replaced claims (nil value: removed)
	// SignWith signs with another (Ed25519) key than the header names.
	SignWith ed25519.PrivateKey
	JWK      bool   // name the key by jwk, not kid
	AlgNone  bool   // an unsigned proof
	PrivJWK  bool   // put the private key in the jwk header
	Aud      string // "" : Base
}

// Proof builds a jwt key proof over nonce.
func (c *Client) Proof(h *Holder, nonce string, s Spec) string {
	c.T.Helper()
	aud := s.Aud
	if aud == "" {
		aud = c.Base
	}
	claims := map[string]any{"aud": aud, "iat": time.Now().Unix(), "nonce": nonce}
	for k, v := range s.Claims {
		if v == nil {
			delete(claims, k)
		} else {
			claims[k] = v
		}
	}
	hdr := map[string]any{"typ": "openid4vci-proof+jwt", "alg": string(h.Alg)}
	if s.JWK || s.PrivJWK {
		key := any(h.Priv.Public())
		if s.PrivJWK {
			key = h.Priv
		}
		raw, _ := json.Marshal(jose.JSONWebKey{Key: key})
		var m map[string]any
		_ = json.Unmarshal(raw, &m)
		hdr["jwk"] = m
	} else {
		hdr["kid"] = h.KID
	}
	for k, v := range s.Header {
		hdr[k] = v
	}
	if s.AlgNone {
		hdr["alg"] = "none"
	}
	if s.SignWith != nil {
		hdr["alg"] = "EdDSA"
	}
	hb, _ := json.Marshal(hdr)
	pb, _ := json.Marshal(claims)
	signing := enc(hb) + "." + enc(pb)
	switch {
	case s.AlgNone:
		return signing + "."
	case s.SignWith != nil:
		return signing + "." + enc(ed25519.Sign(s.SignWith, []byte(signing)))
	}
	return signing + "." + enc(sign(c.T, h, []byte(signing)))
}

// sign makes a JWS signature (EdDSA, or ES256's r||s) over an input
// assembled here, so that headers can be anything a test wants.
func sign(t *testing.T, h *Holder, input []byte) []byte {
	switch k := h.Priv.(type) {
	case ed25519.PrivateKey:
		return ed25519.Sign(k, input)
	case *ecdsa.PrivateKey:
		return es256(t, k, input)
	}
	t.Fatalf("key %T", h.Priv)
	return nil
}

func enc(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// Itoa is strconv.Itoa for table literals.
func Itoa(n int64) string { return strconv.FormatInt(n, 10) }
