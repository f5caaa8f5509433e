package vp_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/jwtvc"
	"github.com/loginwithiota/verifier/oid4vp"
	"github.com/loginwithiota/verifier/sdjwt"
	"github.com/loginwithiota/verifier/wallet"
	"github.com/loginwithiota/verifier/wallet/vp"
)

// didKeys is the verifier's DID key lookup over did:key.
type didKeys struct{}

func (didKeys) DIDKey(ctx context.Context, u string, purpose sdjwt.Purpose) (crypto.PublicKey, error) {
	d, _ := did.Split(u)
	doc, err := resolver.Resolve(ctx, d)
	if err != nil {
		return nil, err
	}
	vm, err := doc.Dereference(u, string(purpose))
	if err != nil {
		return nil, err
	}
	return vm.PublicKey()
}

// v1Holder is a wallet with the VC-JWT and ldp_vc of holder() and an
// SD-JWT VC (givenName, familyName, birthDate) from iss.
func v1Holder(t *testing.T, iss *sdIssuer) ([]wallet.Stored, *wallet.Key) {
	t.Helper()
	h, key := holder(t)
	sd := iss.issue(t, key, "VerifiableId", map[string]any{"givenName": "Jane", "familyName": "Doe", "birthDate": "1993-04-08"})
	if _, err := h.Add(wallet.Credential{Format: "dc+sd-jwt", Credential: sd}); err != nil {
		t.Fatal(err)
	}
	creds, err := h.List()
	if err != nil {
		t.Fatal(err)
	}
	return creds, key
}

// run is the wallet on uri: parse, choose, present, respond.
func run(t *testing.T, uri string, creds []wallet.Stored, key *wallet.Key, opts vp.Options) (*vp.Request, *vp.Choice, error) {
	t.Helper()
	ctx := context.Background()
	req, err := vp.Parse(ctx, wallet.NewHTTP(), uri, opts)
	if err != nil {
		return nil, nil, err
	}
	c, err := vp.Choose(req, creds, key)
	if err != nil {
		return req, nil, err
	}
	a, err := vp.Present(req, c, key, time.Now())
	if err != nil {
		return req, c, err
	}
	_, err = vp.Respond(ctx, wallet.NewHTTP(), req, a)
	return req, c, err
}

// TestV1Answer: a signed 1.0 request by request_uri (POSTed with the
// wallet's metadata and nonce, or GET), verified by the verifier's
// did:jwk; the first credential set option the wallet can answer (the
// SD-JWT VC) presented with the requested claim only and a KB-JWT for the
// nonce and the full client identifier; the answer in the clear or, for
// direct_post.jwt, a JWE the verifier's oid4vp.OpenResponse opens.
func TestV1Answer(t *testing.T) {
	iss := newSDIssuer()
	for _, tc := range []struct {
		name, method string
		encrypt      []string
	}{{"post", "post", nil}, {"get", "", nil}, {"post-encrypted", "post", []string{"A256GCM", "A128GCM"}}, {"get-encrypted-default-enc", "get", []string{}}} {
		t.Run(tc.name, func(t *testing.T) {
			r := newV1RP(t)
			if tc.encrypt != nil {
				r.encrypt(tc.encrypt...)
			}
			creds, key := v1Holder(t, iss)
			req, c, err := run(t, r.uri(tc.method), creds, key, vp.Options{KeyAlg: key.Alg})
			if err != nil {
				t.Fatal(err)
			}
			if req.Dialect != vp.V1 || req.Signer != r.kid || len(c.Queries) != 1 || c.Queries[0].QueryID != "sd" {
				t.Fatalf("%+v %+v", req, c)
			}
			if strings.Join(c.Queries[0].Withheld, ",") != "birthDate,familyName" && strings.Join(c.Queries[0].Withheld, ",") != "familyName,birthDate" {
				t.Fatalf("withheld %v", c.Queries[0].Withheld)
			}
			if r.encrypted != (tc.encrypt != nil) || r.got["state"] != "st-1" {
				t.Fatalf("encrypted %v, answer %v", r.encrypted, r.got)
			}
			if tc.method == "post" {
				if r.walletForm.Get("wallet_nonce") == "" || !strings.Contains(r.walletForm.Get("wallet_metadata"), `"authorization_encryption_alg_values_supported":["ECDH-ES"]`) ||
					!strings.Contains(r.walletForm.Get("wallet_metadata"), `"request_object_signing_alg_values_supported"`) {
					t.Fatalf("request_uri POST %v", r.walletForm)
				}
			}
			tok := r.got["vp_token"].(map[string]any)
			if len(tok) != 1 {
				t.Fatalf("vp_token %v", tok)
			}
			pres := tok["sd"].([]any)[0].(string)
			cred, err := sdjwt.Verify(context.Background(), pres, sdjwt.Options{Keys: sdjwt.KeySources{DID: &sdjwt.DIDIssuerKeys{DIDs: didKeys{}}},
				RequireKeyBinding: true, Nonce: r.nonce, Audience: r.clientID})
			if err != nil {
				t.Fatal(err)
			}
			if cred.Claims["givenName"] != "Jane" || cred.Claims["familyName"] != nil || cred.Claims["birthDate"] != nil || len(cred.Disclosures) != 1 {
				t.Fatalf("disclosed %v", cred.Claims)
			}
		})
	}
}

// TestV1JWTPresentation: the VC-JWT answers its query inside a
// jwt_vp_json whose aud is the full client identifier; where the
// verifier takes no dc+sd-jwt, the credential set's other option is used.
func TestV1JWTPresentation(t *testing.T) {
	r := newV1RP(t)
	delete(r.claims["client_metadata"].(map[string]any)["vp_formats_supported"].(map[string]any), "dc+sd-jwt")
	creds, key := v1Holder(t, newSDIssuer())
	_, c, err := run(t, r.uri("post"), creds, key, vp.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Queries[0].QueryID != "jwt" || c.Queries[0].Credential.Format != "jwt_vc_json" {
		t.Fatalf("%+v", c.Queries)
	}
	tok := r.got["vp_token"].(map[string]any)["jwt"].([]any)[0].(string)
	if _, err := jwtvc.VerifyPresentation(context.Background(), tok, jkeys{}, jwtvc.Options{Nonce: r.nonce, Audience: r.clientID}); err != nil {
		t.Fatal(err)
	}
}

// byValue is a 1.0 request by value under redirect_uri: (unsigned) to a
// response URI that records the answer.
func byValue(t *testing.T, query string, meta map[string]any) (string, *v1RP) {
	t.Helper()
	r := newV1RP(t)
	resp := r.srv.URL + "/response"
	q := url.Values{"response_type": {"vp_token"}, "client_id": {"redirect_uri:" + resp}, "response_mode": {"direct_post"},
		"response_uri": {resp}, "nonce": {r.nonce}, "state": {"st-1"}, "dcql_query": {query}}
	if meta != nil {
		cm, _ := json.Marshal(meta)
		q.Set("client_metadata", string(cm))
	}
	r.clientID = "redirect_uri:" + resp
	return "openid4vp://?" + q.Encode(), r
}

// TestDCQLSelection: claim sets (the first the credential satisfies),
// values, optional credential sets (nothing optional is shared), the
// request's algorithms, and requests the wallet cannot answer.
func TestDCQLSelection(t *testing.T) {
	creds, key := v1Holder(t, newSDIssuer())
	sd := `{"id":"sd","format":"dc+sd-jwt","meta":{"vct_values":["VerifiableId"]},`
	for _, tc := range []struct {
		name, query string
		meta        map[string]any
		want        []string // query ids answered
		disclosed   []string // sd's disclosed claims
		err         error
		errText     string
	}{
		{name: "claim_sets: the first the credential has",
			query: `{"credentials":[` + sd + `"claims":[{"id":"a","path":["nationality"]},{"id":"g","path":["givenName"]},{"id":"f","path":["familyName"]}],"claim_sets":[["a","g"],["g","f"]]}]}`,
			want:  []string{"sd"}, disclosed: []string{"familyName", "givenName"}},
		{name: "values match",
			query: `{"credentials":[` + sd + `"claims":[{"path":["familyName"],"values":["Doe","Roe"]}]}]}`,
			want:  []string{"sd"}, disclosed: []string{"familyName"}},
		{name: "no claims: nothing disclosable",
			query: `{"credentials":[` + sd + `"meta":{"vct_values":["VerifiableId"]}}]}`, want: []string{"sd"}},
		{name: "values differ",
			query: `{"credentials":[` + sd + `"claims":[{"path":["familyName"],"values":["Roe"]}]}]}`, err: vp.ErrNoMatch},
		{name: "another vct",
			query: `{"credentials":[{"id":"pid","format":"dc+sd-jwt","meta":{"vct_values":["urn:eudi:pid:1"]}}]}`, err: vp.ErrNoMatch, errText: "pid"},
		{name: "an optional set is left out",
			query: `{"credentials":[` + sd + `"claims":[{"path":["givenName"]}]},{"id":"ldp","format":"ldp_vc","meta":{"type_values":[["VerifiableId"]]}}],` +
				`"credential_sets":[{"options":[["sd"]]},{"required":false,"options":[["ldp"]]}]}`,
			want: []string{"sd"}, disclosed: []string{"givenName"}},
		{name: "both required, all credentials",
			query: `{"credentials":[` + sd + `"claims":[{"path":["givenName"]}]},{"id":"ldp","format":"ldp_vc","meta":{"type_values":[["VerifiableId"]]}}]}`,
			want:  []string{"sd", "ldp"}, disclosed: []string{"givenName"}},
		{name: "a required set nothing answers",
			query: `{"credentials":[{"id":"x","format":"jwt_vc_json","meta":{"type_values":[["Passport"]]}}],"credential_sets":[{"options":[["x"]]}]}`,
			err:   vp.ErrNoMatch, errText: "credential_sets[0]"},
		{name: "kb-jwt alg not the wallet's",
			query: `{"credentials":[` + sd + `"claims":[{"path":["givenName"]}]}]}`,
			meta:  map[string]any{"vp_formats_supported": map[string]any{"dc+sd-jwt": map[string]any{"kb-jwt_alg_values": []string{"ES256"}}}},
			err:   vp.ErrNoMatch, errText: "KB-JWTs signed with ES256"},
		{name: "Ed25519 by its fully-specified name",
			query: `{"credentials":[` + sd + `"claims":[{"path":["givenName"]}]}]}`,
			meta:  map[string]any{"vp_formats_supported": map[string]any{"dc+sd-jwt": map[string]any{"sd-jwt_alg_values": []string{"Ed25519"}, "kb-jwt_alg_values": []string{"Ed25519"}}}},
			want:  []string{"sd"}, disclosed: []string{"givenName"}},
		{name: "mdoc only",
			query: `{"credentials":[{"id":"m","format":"mso_mdoc","meta":{"doctype_value":"org.iso.18013.5.1.mDL"}}]}`, err: vp.ErrNoFormat},
	} {
		t.Run(tc.name, func(t *testing.T) {
			uri, r := byValue(t, tc.query, tc.meta)
			_, c, err := run(t, uri, creds, key, vp.Options{})
			if tc.err != nil {
				if !errors.Is(err, tc.err) || !strings.Contains(err.Error(), tc.errText) {
					t.Fatalf("got %v, want %v %q", err, tc.err, tc.errText)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, q := range c.Queries {
				ids = append(ids, q.QueryID)
			}
			if strings.Join(ids, ",") != strings.Join(tc.want, ",") {
				t.Fatalf("answered %v, want %v", ids, tc.want)
			}
			tok := r.got["vp_token"].(map[string]any)
			if len(tok) != len(tc.want) {
				t.Fatalf("vp_token %v", tok)
			}
			pres := tok["sd"].([]any)[0].(string)
			p, err := sdjwt.Parse(pres, sdjwt.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range p.Disclosures() {
				got = append(got, d.Name)
			}
			if len(got) != len(tc.disclosed) || !containsAll(got, tc.disclosed) {
				t.Fatalf("disclosed %v, want %v", got, tc.disclosed)
			}
		})
	}
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		found := false
		for _, h := range have {
			found = found || h == w
		}
		if !found {
			return false
		}
	}
	return true
}

// TestV1Refused: 1.0 requests the wallet must not answer, each with its
// reason, and nothing posted.
func TestV1Refused(t *testing.T) {
	creds, key := v1Holder(t, newSDIssuer())
	pool, chain, leafKey := x509Chain(t, "127.0.0.1")
	for _, tc := range []struct {
		name   string
		setup  func(r *v1RP) string // returns the uri ("" : r.uri("post"))
		opts   vp.Options
		want   string
		target error
	}{
		{name: "signed by another key", want: "does not verify", setup: func(r *v1RP) string {
			other := newV1RP(t)
			r.key = other.key
			return ""
		}},
		{name: "kid of another DID", want: "not a DID URL of the client_id's DID", setup: func(r *v1RP) string {
			r.kid = newV1RP(t).kid
			return ""
		}},
		{name: "a DID that does not resolve offline", want: "did:web", setup: func(r *v1RP) string {
			r.clientID, r.kid = "decentralized_identifier:did:web:rp.example", "did:web:rp.example#k"
			r.claims["client_id"] = r.clientID
			return ""
		}},
		{name: "wallet_nonce not echoed", want: "wallet_nonce", setup: func(r *v1RP) string {
			r.edit = func(c map[string]any) { c["wallet_nonce"] = "other" }
			return ""
		}},
		{name: "another client_id inside", want: "differs", setup: func(r *v1RP) string {
			r.edit = func(c map[string]any) { c["client_id"] = "decentralized_identifier:did:jwk:x" }
			return ""
		}},
		{name: "no typ", want: "typ", setup: func(r *v1RP) string {
			r.raw = sign(t, r, "")
			return ""
		}},
		{name: "unsigned under decentralized_identifier", want: "only redirect_uri: requests may be unsigned", setup: func(r *v1RP) string {
			r.raw = unsigned(r.claims)
			return ""
		}},
		{name: "expired", want: "expired", setup: func(r *v1RP) string {
			r.claims["exp"] = time.Now().Add(-time.Hour).Unix()
			r.raw = sign(t, r, "oauth-authz-req+jwt")
			return r.uri("get")
		}},
		{name: "transaction_data", want: "transaction_data", setup: func(r *v1RP) string {
			r.claims["transaction_data"] = []string{"e30"}
			return ""
		}},
		{name: "scope and dcql_query", want: "both", setup: func(r *v1RP) string {
			r.claims["scope"] = "pid"
			return ""
		}},
		{name: "a presentation_definition too", want: "not a presentation_definition", setup: func(r *v1RP) string {
			r.claims["presentation_definition"] = json.RawMessage(definition)
			return ""
		}},
		{name: "direct_post.jwt without jwks", want: "jwks", setup: func(r *v1RP) string {
			r.claims["response_mode"] = "direct_post.jwt"
			return ""
		}},
		{name: "no enc the wallet makes", want: "no content encryption", setup: func(r *v1RP) string {
			r.encrypt("XC20P")
			return ""
		}},
		{name: "request_uri_method put", want: "invalid_request_uri_method", setup: func(r *v1RP) string { return r.uri("put") }},
		{name: "a prefix not supported", want: "not supported", setup: func(r *v1RP) string {
			r.clientID = "verifier_attestation:rp.example"
			r.claims["client_id"] = r.clientID
			return ""
		}},
		{name: "a signed redirect_uri: request", want: "cannot be signed", setup: func(r *v1RP) string {
			r.clientID = "redirect_uri:" + r.srv.URL + "/response"
			r.claims["client_id"] = r.clientID
			return ""
		}},
		{name: "decentralized_identifier by value", want: "must be a signed request object", setup: func(r *v1RP) string {
			q := url.Values{}
			for k, v := range r.claims {
				s, ok := v.(string)
				if !ok {
					b, _ := json.Marshal(v)
					s = string(b)
				}
				q.Set(k, s)
			}
			return "openid4vp://?" + q.Encode()
		}},
		{name: "x509 without anchors", target: vp.ErrNoTrustAnchors, want: "--trust-anchor", setup: func(r *v1RP) string {
			x509RP(r, "x509_san_dns:127.0.0.1", chain, leafKey)
			return ""
		}},
		{name: "x509_san_dns of another name", opts: vp.Options{TrustAnchors: pool}, want: "does not name", setup: func(r *v1RP) string {
			x509RP(r, "x509_san_dns:rp.example", chain, leafKey)
			return ""
		}},
		{name: "x509_hash of another certificate", opts: vp.Options{TrustAnchors: pool}, want: "x509_hash names", setup: func(r *v1RP) string {
			x509RP(r, "x509_hash:"+oid4vp.X509Hash(chain[1]), chain, leafKey)
			return ""
		}},
		{name: "x509 chain to another root", opts: vp.Options{TrustAnchors: func() *x509.CertPool { p, _, _ := x509Chain(t, "127.0.0.1"); return p }()},
			want: "does not lead to a trust anchor", setup: func(r *v1RP) string {
				x509RP(r, "x509_hash:"+oid4vp.X509Hash(chain[0]), chain, leafKey)
				return ""
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newV1RP(t)
			uri := tc.setup(r)
			if uri == "" {
				uri = r.uri("post")
			}
			_, _, err := run(t, uri, creds, key, tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) || (tc.target != nil && !errors.Is(err, tc.target)) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
			if r.got != nil {
				t.Fatalf("the wallet answered: %v", r.got)
			}
		})
	}
	// With the anchor and the right names, both x509 prefixes verify.
	for _, id := range []string{"x509_san_dns:127.0.0.1", "x509_hash:" + oid4vp.X509Hash(chain[0])} {
		r := newV1RP(t)
		x509RP(r, id, chain, leafKey)
		req, _, err := run(t, r.uri("post"), creds, key, vp.Options{TrustAnchors: pool})
		if err != nil || !strings.Contains(req.Signer, `certificate "CN=rp"`) || r.got == nil {
			t.Fatalf("%s: %v %+v", id, err, req)
		}
	}
}

// x509RP makes r sign under an x509 client identifier with the chain.
func x509RP(r *v1RP, clientID string, chain [][]byte, key *ecdsa.PrivateKey) {
	r.clientID, r.key, r.kid, r.x5c = clientID, key, "", chain
	r.claims["client_id"] = clientID
}

// sign is r's claims signed as they are (no exp of the signer's), with
// typ ("": none).
func sign(t *testing.T, r *v1RP, typ string) string {
	t.Helper()
	payload, _ := json.Marshal(r.claims)
	opts := (&jose.SignerOptions{}).WithHeader("kid", r.kid)
	if typ != "" {
		opts = opts.WithType(jose.ContentType(typ))
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: r.key}, opts)
	if err != nil {
		t.Fatal(err)
	}
	jws, _ := s.Sign(payload)
	out, _ := jws.CompactSerialize()
	return out
}
