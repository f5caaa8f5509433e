package vp_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/loginwithiota/verifier/did"
	didkey "github.com/loginwithiota/verifier/did/key"
	"github.com/loginwithiota/verifier/jwtvc"
	"github.com/loginwithiota/verifier/ldproof"
	"github.com/loginwithiota/verifier/pex"
	"github.com/loginwithiota/verifier/wallet"
	"github.com/loginwithiota/verifier/wallet/vp"
)

const definition = `{"id":"verifiable-id","purpose":"Log in","input_descriptors":[{"id":"vid",
	"format":{"ldp_vc":{"proof_type":["JcsEd25519Signature2020"]},"jwt_vc_json":{"alg":["EdDSA"]}},
	"constraints":{"fields":[{"path":["$.type","$.vc.type"],"filter":{"type":"array","contains":{"const":"VerifiableId"}}}]}}]}`

// rp is a relying party for the tests: it serves a definition and request
// objects, and checks answers as a verifier would (real signatures, pex
// Evaluate).
type rp struct {
	t     *testing.T
	srv   *httptest.Server
	nonce string
	mu    sync.Mutex
	got   url.Values
	// object is the request object served at /request (claims).
	object     map[string]any
	walletNonc string
}

func newRP(t *testing.T) *rp {
	r := &rp{t: t, nonce: "n-" + rand.Text()}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /definition", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, definition)
	})
	mux.HandleFunc("/request", func(w http.ResponseWriter, req *http.Request) {
		claims := r.object
		if req.Method == http.MethodPost {
			_ = req.ParseForm()
			claims = map[string]any{}
			for k, v := range r.object {
				claims[k] = v
			}
			claims["wallet_nonce"] = req.PostForm.Get("wallet_nonce")
		}
		w.Header().Set("Content-Type", "application/oauth-authz-req+jwt")
		io.WriteString(w, unsigned(claims))
	})
	mux.HandleFunc("POST /response", func(w http.ResponseWriter, req *http.Request) {
		_ = req.ParseForm()
		r.mu.Lock()
		r.got = req.PostForm
		r.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if req.PostForm.Get("error") == "" {
			if err := r.check(req.PostForm); err != nil {
				w.WriteHeader(400)
				json.NewEncoder(w).Encode(map[string]string{"error": "invalid_request", "error_description": err.Error()})
				return
			}
		}
		io.WriteString(w, `{"redirect_uri":"/done?code=1"}`)
	})
	r.srv = httptest.NewServer(mux)
	t.Cleanup(r.srv.Close)
	return r
}

func (r *rp) responseURI() string { return r.srv.URL + "/response" }

// check verifies the presentation's proof (nonce, client_id), the
// credential's, and the submission against the definition.
func (r *rp) check(f url.Values) error {
	def, err := pex.ParseDefinition([]byte(definition))
	if err != nil {
		return err
	}
	sub, err := pex.ParseSubmission([]byte(f.Get("presentation_submission")))
	if err != nil {
		return err
	}
	tok := f.Get("vp_token")
	if strings.HasPrefix(tok, "{") {
		var doc map[string]any
		_ = json.Unmarshal([]byte(tok), &doc)
		if _, err := ldproof.Verify(context.Background(), doc, keys{}, ldproof.Options{Purpose: ldproof.PurposeAuthentication,
			Challenge: r.nonce, Domain: r.responseURI()}); err != nil {
			return err
		}
		vc := doc["verifiableCredential"].([]any)[0].(map[string]any)
		if _, err := ldproof.Verify(context.Background(), vc, keys{}, ldproof.Options{Purpose: ldproof.PurposeAssertionMethod}); err != nil {
			return err
		}
		_, err = def.Evaluate(sub, doc)
		return err
	}
	p, err := jwtvc.VerifyPresentation(context.Background(), tok, jkeys{}, jwtvc.Options{Nonce: r.nonce, Audience: r.responseURI()})
	if err != nil {
		return err
	}
	_ = p
	_, err = def.EvaluateWith(sub, tok, pex.Options{DecodeJWT: func(s string) (*pex.JWT, error) {
		alg, claims, err := jwtvc.Peek(s)
		return &pex.JWT{Alg: alg, Claims: claims}, err
	}})
	return err
}

func unsigned(claims map[string]any) string {
	h := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"oauth-authz-req+jwt"}`))
	p, _ := json.Marshal(claims)
	return h + "." + base64.RawURLEncoding.EncodeToString(p) + "."
}

var resolver = func() *did.Registry { r := did.NewRegistry(); r.Register("key", didkey.New()); return r }()

type keys struct{}

func (keys) ResolveKey(ctx context.Context, vmID string, purpose ldproof.Purpose) (*ldproof.Key, error) {
	d, _ := did.Split(vmID)
	doc, err := resolver.Resolve(ctx, d)
	if err != nil {
		return nil, err
	}
	vm, err := doc.Dereference(vmID, string(purpose))
	if err != nil {
		return nil, err
	}
	pub, err := vm.PublicKey()
	return &ldproof.Key{ID: vm.ID, Type: vm.Type, Controller: doc.ID, PublicKey: pub}, err
}

type jkeys struct{}

func (jkeys) ResolveKey(ctx context.Context, kid string, purpose jwtvc.Purpose) (*jwtvc.Key, error) {
	k, err := keys{}.ResolveKey(ctx, kid, ldproof.Purpose(purpose))
	if err != nil {
		return nil, err
	}
	return &jwtvc.Key{ID: k.ID, Type: k.Type, Controller: k.Controller, PublicKey: k.PublicKey}, nil
}

// holder is a wallet home with a VerifiableId as ldp_vc and as jwt_vc_json.
func holder(t *testing.T) (wallet.Home, *wallet.Key) {
	h := wallet.Home{Dir: t.TempDir()}
	key, err := h.Key("")
	if err != nil {
		t.Fatal(err)
	}
	_, ipriv, _ := ed25519.GenerateKey(rand.Reader)
	idid, ivm := didkey.FromEd25519(ipriv.Public().(ed25519.PublicKey))
	vc := map[string]any{"@context": []any{"https://www.w3.org/2018/credentials/v1"}, "type": []any{"VerifiableCredential", "VerifiableId"},
		"issuer": idid, "issuanceDate": time.Now().Add(-time.Hour).UTC().Format(time.RFC3339),
		"credentialSubject": map[string]any{"id": key.DID, "givenName": "Jane"}}
	signed, err := ldproof.SignJcsEd25519(vc, map[string]any{"verificationMethod": ivm, "proofPurpose": "assertionMethod"}, ipriv)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Add(wallet.Credential{Format: "ldp_vc", Credential: signed}); err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(map[string]any{"iss": idid, "sub": key.DID, "nbf": time.Now().Add(-time.Hour).Unix(),
		"vc": map[string]any{"@context": []any{"https://www.w3.org/2018/credentials/v1"}, "type": []any{"VerifiableCredential", "VerifiableId"},
			"credentialSubject": map[string]any{"givenName": "Jane"}}})
	s, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: ipriv}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", ivm))
	jws, _ := s.Sign(payload)
	tok, _ := jws.CompactSerialize()
	if _, err := h.Add(wallet.Credential{Format: "jwt_vc_json", Credential: tok}); err != nil {
		t.Fatal(err)
	}
	return h, key
}

func query(p map[string]string) string {
	q := url.Values{}
	for k, v := range p {
		q.Set(k, v)
	}
	return "openid4vp://?" + q.Encode()
}

// answer runs the wallet on uri and returns what the verifier saw.
func answer(t *testing.T, r *rp, uri string) (*vp.Request, *vp.Choice, *vp.Outcome) {
	t.Helper()
	ctx := context.Background()
	h, key := holder(t)
	client := wallet.NewHTTP()
	req, err := vp.Parse(ctx, client, uri, vp.Options{})
	if err != nil {
		t.Fatal(err)
	}
	creds, _ := h.List()
	c, err := vp.Choose(req, creds, key)
	if err != nil {
		t.Fatal(err)
	}
	a, err := vp.Present(req, c, key, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	out, err := vp.Respond(ctx, client, req, a)
	if err != nil {
		t.Fatal(err)
	}
	return req, c, out
}
