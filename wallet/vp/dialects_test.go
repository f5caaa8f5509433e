package vp_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/loginwithiota/verifier/wallet"
	"github.com/loginwithiota/verifier/wallet/vp"
)

func TestProfile2022(t *testing.T) {
	for name, defParam := range map[string][2]string{
		"by value":     {"presentation_definition", definition},
		"by reference": {"presentation_definition_uri", ""},
	} {
		t.Run(name, func(t *testing.T) {
			r := newRP(t)
			if defParam[1] == "" {
				defParam[1] = r.srv.URL + "/definition"
			}
			req, c, out := answer(t, r, query(map[string]string{"response_type": "vp_token", "scope": "openid", "client_id": r.responseURI(),
				"redirect_uri": r.responseURI(), "response_mode": "post", "nonce": r.nonce, "state": "s1", defParam[0]: defParam[1]}))
			if req.Dialect != vp.Profile2022 || c.Format != vp.FormatLDPVP || c.ProofType != "JcsEd25519Signature2020" {
				t.Fatalf("%+v %+v", req, c)
			}
			if r.got.Get("state") != "s1" || out.RedirectTo != r.srv.URL+"/done?code=1" {
				t.Fatalf("%v %+v", r.got, out)
			}
		})
	}
}

func TestDraft20(t *testing.T) {
	t.Run("by value, vp_formats", func(t *testing.T) {
		r := newRP(t)
		cm, _ := json.Marshal(map[string]any{"vp_formats": map[string]any{"ldp_vp": map[string]any{"proof_type": []string{"JcsEd25519Signature2020"}},
			"ldp_vc": map[string]any{"proof_type": []string{"JcsEd25519Signature2020"}}}})
		req, c, _ := answer(t, r, query(map[string]string{"response_type": "vp_token", "client_id": r.responseURI(), "client_id_scheme": "redirect_uri",
			"response_uri": r.responseURI(), "response_mode": "direct_post", "nonce": r.nonce, "state": "s2",
			"presentation_definition": definition, "client_metadata": string(cm)}))
		if req.Dialect != vp.Draft20 || c.Format != vp.FormatLDPVP {
			t.Fatalf("%+v %+v", req, c)
		}
	})
	t.Run("jwt_vp_json only", func(t *testing.T) {
		r := newRP(t)
		cm, _ := json.Marshal(map[string]any{"vp_formats": map[string]any{"jwt_vp_json": map[string]any{"alg": []string{"EdDSA"}},
			"jwt_vc_json": map[string]any{"alg": []string{"EdDSA"}}}})
		_, c, _ := answer(t, r, query(map[string]string{"response_type": "vp_token", "client_id": r.responseURI(), "client_id_scheme": "redirect_uri",
			"response_uri": r.responseURI(), "response_mode": "direct_post", "nonce": r.nonce, "state": "s3",
			"presentation_definition": definition, "client_metadata": string(cm)}))
		if c.Format != vp.FormatJWTVP || c.Credentials[0].Format != "jwt_vc_json" {
			t.Fatalf("%+v", c)
		}
		if strings.HasPrefix(r.got.Get("vp_token"), "{") {
			t.Fatal("a JSON vp_token for jwt_vp_json")
		}
	})
	for _, method := range []string{"", "post"} {
		t.Run("request_uri "+method, func(t *testing.T) {
			r := newRP(t)
			r.object = map[string]any{"response_type": "vp_token", "client_id": r.responseURI(), "client_id_scheme": "redirect_uri",
				"response_uri": r.responseURI(), "response_mode": "direct_post", "nonce": r.nonce, "state": "s4",
				"presentation_definition": json.RawMessage(definition), "aud": "https://self-issued.me/v2"}
			p := map[string]string{"client_id": r.responseURI(), "client_id_scheme": "redirect_uri", "request_uri": r.srv.URL + "/request"}
			if method != "" {
				p["request_uri_method"] = method
			}
			req, _, _ := answer(t, r, query(p))
			if !req.ByReference || req.Dialect != vp.Draft20 || r.got.Get("state") != "s4" {
				t.Fatalf("%+v %v", req, r.got)
			}
		})
	}
}

// TestRefused: requests a wallet must not answer, each with its reason.
func TestRefused(t *testing.T) {
	r := newRP(t)
	base := func() map[string]string {
		return map[string]string{"response_type": "vp_token", "client_id": r.responseURI(), "response_uri": r.responseURI(),
			"response_mode": "direct_post", "nonce": r.nonce, "state": "s", "presentation_definition": definition}
	}
	with := func(k, v string) string {
		p := base()
		if v == "" {
			delete(p, k)
		} else {
			p[k] = v
		}
		return query(p)
	}
	r.object = map[string]any{"client_id": "https://other.example/response", "response_type": "vp_token"}
	cases := map[string]struct{ uri, want string }{
		"both definitions":     {with("presentation_definition_uri", r.srv.URL+"/definition"), "exactly one"},
		"no definition":        {with("presentation_definition", ""), "exactly one"},
		"client_id elsewhere":  {with("client_id", "https://evil.example/response"), "client_id must equal response_uri"},
		"no nonce":             {with("nonce", ""), "nonce is required"},
		"id_token":             {with("response_type", "id_token"), "response_type"},
		"unknown scheme":       {with("client_id_scheme", "x509_san_dns"), "client_id_scheme"},
		"encrypted answer":     {with("response_mode", "direct_post.jwt"), "direct_post.jwt"},
		"an empty dcql query":  {with("dcql_query", `{"credentials":[]}`), "dcql_query"},
		"plain http elsewhere": {strings.ReplaceAll(with("x", ""), "127.0.0.1", "10.0.0.1"), "https"},
		"object client_id":     {query(map[string]string{"client_id": r.responseURI(), "request_uri": r.srv.URL + "/request"}), "client_id differs"},
		"signed object":        {query(map[string]string{"client_id": r.responseURI(), "request": "eyJhbGciOiJFUzI1NiJ9.e30.c2ln"}), "has no prefix"},
		"repeated parameter":   {with("x", "") + "&nonce=again", "more than once"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := vp.Parse(context.Background(), wallet.NewHTTP(), tc.uri, vp.Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}

// TestDecline: "no" is an access_denied answer with the state.
func TestDecline(t *testing.T) {
	r := newRP(t)
	req, err := vp.Parse(context.Background(), wallet.NewHTTP(), query(map[string]string{"response_type": "vp_token", "client_id": r.responseURI(),
		"redirect_uri": r.responseURI(), "response_mode": "post", "nonce": r.nonce, "state": "s9", "presentation_definition": definition}), vp.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := vp.Decline(context.Background(), wallet.NewHTTP(), req); err != nil {
		t.Fatal(err)
	}
	if r.got.Get("error") != "access_denied" || r.got.Get("state") != "s9" || r.got.Get("vp_token") != "" {
		t.Fatal(r.got)
	}
}
