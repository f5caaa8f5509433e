package handler_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/loginwithiota/verifier/did"
	didjwk "github.com/loginwithiota/verifier/did/jwk"
	didkey "github.com/loginwithiota/verifier/did/key"
	"github.com/loginwithiota/verifier/issuer"
	"github.com/loginwithiota/verifier/issuer/handler"
	"github.com/loginwithiota/verifier/issuer/store/memory"
	"github.com/loginwithiota/verifier/issuer/store/storetest"
)

const apiKey = "test-operator-key-0123456789"

// env is an issuer served over a real HTTP server.
type env struct {
	t      *testing.T
	iss    *issuer.Issuer
	srv    *httptest.Server
	url    string // the credential issuer identifier
	signer issuer.Signer
	logs   *syncBuffer
	clock  *storetest.Clock
	// secrets are the codes, offer ids, tokens and nonces handed out: none
	// may appear in the log.
	secrets []string
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func resolver() did.Resolver {
	r := did.NewRegistry()
	r.Register("key", didkey.New())
	r.Register("jwk", didjwk.New())
	return r
}

func configurations() []issuer.Configuration {
	claims := []issuer.Claim{{Name: "givenName", Mandatory: true, Display: []map[string]any{{"name": "Given name"}}}, {Name: "familyName"}}
	return []issuer.Configuration{
		{ID: "VerifiableId", Format: issuer.FormatLDPVC, Types: []string{"VerifiableId"}, Claims: claims,
			Display: []map[string]any{{"name": "Verifiable ID", "locale": "en"}}},
		{ID: "VerifiableId_rdfc", Format: issuer.FormatLDPVC, ProofType: issuer.ProofEdDSARDFC, Types: []string{"VerifiableId"}, Claims: claims},
		{ID: "VerifiableId_jwt", Format: issuer.FormatJWTVC, Types: []string{"VerifiableId"}, Claims: claims},
		{ID: "VerifiableId_sd", Format: issuer.FormatSDJWT, VCT: "VerifiableId",
			Claims: []issuer.Claim{claims[0], claims[1], {Name: "nationality", SD: issuer.SDNever}}},
	}
}

// newEnv starts an issuer at a fresh httptest server; path is the
// identifier's path ("" or "/issuer"); mod adjusts the config.
func newEnv(t *testing.T, path string, mod func(*issuer.Config)) *env {
	t.Helper()
	seed := make([]byte, 32)
	seed[0] = 7
	priv := ed25519.NewKeyFromSeed(seed)
	d, vm := didkey.FromEd25519(priv.Public().(ed25519.PublicKey))
	e := &env{t: t, signer: issuer.Signer{DID: d, KeyID: vm, Key: priv}, logs: &syncBuffer{}, clock: storetest.NewClock(time.Now())}
	var h http.Handler
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(e.srv.Close)
	e.url = e.srv.URL + path
	cfg := issuer.Config{Identifier: e.url, Signer: e.signer, Configurations: configurations(), Keys: resolver(),
		DemoClaims: map[string]any{"givenName": "Jane", "familyName": "Doe"}, Now: e.clock.Now,
		Logger: slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	if mod != nil {
		mod(&cfg)
	}
	iss, err := issuer.New(cfg, memory.New(memory.Options{Now: cfg.Now}))
	if err != nil {
		t.Fatal(err)
	}
	e.iss = iss
	h = handler.New(iss, handler.Options{APIKey: apiKey, Demo: true, Health: true, Logger: cfg.Logger})
	return e
}

type answer struct {
	status int
	header http.Header
	body   map[string]any
	raw    []byte
}

func (e *env) do(req *http.Request) answer {
	e.t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, header: resp.Header, raw: raw}
	_ = json.Unmarshal(raw, &a.body)
	return a
}

func (e *env) postJSON(path, bearer string, body any) answer {
	e.t.Helper()
	raw, ok := body.([]byte)
	if !ok {
		raw, _ = json.Marshal(body)
	}
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	return e.do(req)
}

func (e *env) postForm(path string, form url.Values) answer {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.do(req)
}

func (e *env) get(path string) answer {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
	return e.do(req)
}

// base is the identifier's path.
func (e *env) base() string { return strings.TrimPrefix(e.url, e.srv.URL) }

// offer makes an offer through the operator API.
func (e *env) offer(body map[string]any) (code, tx string, a answer) {
	e.t.Helper()
	a = e.postJSON(e.base()+"/api/v1/offers", apiKey, body)
	if a.status != http.StatusCreated {
		e.t.Fatalf("offer: %d %s", a.status, a.raw)
	}
	grants := a.body["credential_offer"].(map[string]any)["grants"].(map[string]any)
	code = grants[issuer.GrantPreAuthorizedCode].(map[string]any)["pre-authorized_code"].(string)
	tx, _ = a.body["tx_code"].(string)
	e.secrets = append(e.secrets, code, a.body["id"].(string))
	return code, tx, a
}

func (e *env) token(code, tx string) answer {
	e.t.Helper()
	f := url.Values{"grant_type": {issuer.GrantPreAuthorizedCode}, "pre-authorized_code": {code}}
	if tx != "" {
		f.Set("tx_code", tx)
	}
	return e.postForm(e.base()+"/token", f)
}

func (e *env) accessToken(code, tx string) string {
	e.t.Helper()
	a := e.token(code, tx)
	if a.status != http.StatusOK {
		e.t.Fatalf("token: %d %s", a.status, a.raw)
	}
	e.secrets = append(e.secrets, a.body["access_token"].(string))
	return a.body["access_token"].(string)
}

func (e *env) nonce() string {
	e.t.Helper()
	a := e.postJSON(e.base()+"/nonce", "", nil)
	if a.status != http.StatusOK || a.header.Get("Cache-Control") != "no-store" {
		e.t.Fatalf("nonce: %d %v %s", a.status, a.header, a.raw)
	}
	e.secrets = append(e.secrets, a.body["c_nonce"].(string))
	return a.body["c_nonce"].(string)
}

// holderKey is a wallet key.
type holderKey struct {
	priv crypto.Signer
	alg  jose.SignatureAlgorithm
	did  string // did:key
	kid  string
}

func newHolder(t *testing.T, p256 bool) *holderKey {
	if p256 {
		k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		d, vm, err := didkey.FromP256(&k.PublicKey)
		if err != nil {
			t.Fatal(err)
		}
		return &holderKey{priv: k, alg: jose.ES256, did: d, kid: vm}
	}
	_, k, _ := ed25519.GenerateKey(rand.Reader)
	d, vm := didkey.FromEd25519(k.Public().(ed25519.PublicKey))
	return &holderKey{priv: k, alg: jose.EdDSA, did: d, kid: vm}
}

// proofSpec shapes a key proof; zero values are the correct ones.
type proofSpec struct {
	header  map[string]any // set (nil value: delete) header members
	claims  map[string]any // set (nil value: delete) payload members
	signer  crypto.Signer  // sign with another key than the header names
	useJWK  bool           // name the key by jwk instead of kid
	rawHead string         // a raw header (alg none tests)
}

func (e *env) proof(h *holderKey, nonce string, s proofSpec) string {
	e.t.Helper()
	claims := map[string]any{"aud": e.url, "iat": e.clock.Now().Unix(), "nonce": nonce}
	for k, v := range s.claims {
		if v == nil {
			delete(claims, k)
		} else {
			claims[k] = v
		}
	}
	payload, _ := json.Marshal(claims)
	opts := (&jose.SignerOptions{}).WithType(issuer.ProofJWTType)
	if s.useJWK {
		opts.EmbedJWK = true
	} else {
		opts = opts.WithHeader("kid", h.kid)
	}
	for k, v := range s.header {
		if v != nil {
			opts = opts.WithHeader(jose.HeaderKey(k), v)
		}
	}
	key := h.priv
	if s.signer != nil {
		key = s.signer
	}
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: h.alg, Key: key}, opts)
	if err != nil {
		e.t.Fatal(err)
	}
	jws, err := sig.Sign(payload)
	if err != nil {
		e.t.Fatal(err)
	}
	out, _ := jws.CompactSerialize()
	if s.signer != nil && s.useJWK {
		// EmbedJWK put the signer's key in: swap in the holder's header.
		out = e.reheader(out, h, s)
	}
	return out
}

// reheader re-signs compact with a header naming h's key but the
// signature of s.signer (a key that is not the one in the header).
func (e *env) reheader(compact string, h *holderKey, s proofSpec) string {
	parts := strings.Split(compact, ".")
	var hdr map[string]any
	raw, _ := b64(parts[0])
	_ = json.Unmarshal(raw, &hdr)
	pub := jose.JSONWebKey{Key: h.priv.Public()}
	jwk, _ := pub.MarshalJSON()
	var m map[string]any
	_ = json.Unmarshal(jwk, &m)
	hdr["jwk"] = m
	nh, _ := json.Marshal(hdr)
	signing := enc(nh) + "." + parts[1]
	sig := signRaw(e.t, s.signer, []byte(signing))
	return signing + "." + enc(sig)
}

func (e *env) credential(token string, body map[string]any) answer {
	e.t.Helper()
	return e.postJSON(e.base()+"/credential", token, body)
}

func ctxb() context.Context { return context.Background() }

func memStore() issuer.Store { return memory.New(memory.Options{}) }
