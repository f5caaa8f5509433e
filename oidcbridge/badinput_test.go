package oidcbridge_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"

	"github.com/loginwithiota/verifier/oidcbridge/oidctest"
	"github.com/loginwithiota/verifier/testwallet"
)

// authz is an authorization request as a client builds it.
type authz struct {
	client, redirect, scope, challenge, method, extra string
}

func (a authz) url(srv *oidctest.Server, state string) string {
	q := url.Values{"response_type": {"code"}, "client_id": {a.client}, "redirect_uri": {a.redirect},
		"scope": {a.scope}, "state": {state}, "nonce": {rand.Text()}}
	if a.challenge != "" {
		q.Set("code_challenge", a.challenge)
		q.Set("code_challenge_method", a.method)
	}
	extra, _ := url.ParseQuery(a.extra)
	for k, v := range extra {
		q[k] = v
	}
	return srv.Issuer + "/authorize?" + q.Encode()
}

const verifierPKCE = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk0123456789"

func shopAuthz() authz {
	return authz{client: oidctest.ShopID, redirect: oidctest.ShopRedirect, scope: "openid " + oidctest.Scope,
		challenge: oidc.NewSHACodeChallenge(verifierPKCE), method: "S256"}
}

// tokenResponse is the token endpoint's answer.
type tokenResponse struct {
	status      int
	header      http.Header
	AccessToken string `json:"access_token"`
	IDToken     string `json:"id_token"`
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// exchange posts a code to the token endpoint with HTTP Basic client authentication.
func exchange(t testing.TB, srv *oidctest.Server, id, secret, code, redirect, verifier string) tokenResponse {
	t.Helper()
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect}}
	if verifier != "" {
		form.Set("code_verifier", verifier)
	}
	if secret == "" {
		form.Set("client_id", id)
	}
	req, _ := http.NewRequest(http.MethodPost, srv.Issuer+"/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if secret != "" {
		req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := tokenResponse{status: resp.StatusCode, header: resp.Header}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("token answer %d: %s", resp.StatusCode, raw)
	}
	return out
}

// userinfo calls the userinfo endpoint with an access token.
func userinfo(t testing.TB, srv *oidctest.Server, token string) (int, http.Header, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.Issuer+"/userinfo", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, resp.Header, m
}

// login runs a whole login for a and returns the code.
func login(t *testing.T, srv *oidctest.Server, a authz) string {
	t.Helper()
	back, err := oidctest.NewBrowser(oidctest.NewPeople(t).Wallet).Login(context.Background(), a.url(srv, "st"))
	if err != nil {
		t.Fatal(err)
	}
	code := back.Query().Get("code")
	if code == "" {
		t.Fatalf("no code: %s", back)
	}
	return code
}

// wantRedirectError wants the browser sent back to redirect with code and state.
func wantRedirectError(t *testing.T, back *url.URL, redirect, code string) {
	t.Helper()
	if back == nil || !strings.HasPrefix(back.String(), redirect) || len(back.String()) == len(redirect) {
		t.Fatalf("sent to %v, want %s", back, redirect)
	}
	q := back.Query()
	if q.Get("error") == "" && back.Fragment != "" {
		q, _ = url.ParseQuery(back.Fragment) // an implicit response type answers in the fragment
	}
	if q.Get("error") != code || q.Get("state") != "st" || q.Get("code") != "" {
		t.Fatalf("redirect query %v, want error=%s and the state", q, code)
	}
	if d := q.Get("error_description"); strings.ContainsAny(d, "\"\\") || len(d) > 200 {
		t.Errorf("error_description %q", d)
	}
}

// TestAuthorizeRefusals: each bad authorization request gets the answer
// RFC 6749 §4.1.2.1 gives it: no redirect while the client or its
// redirect URI are in doubt, else the error back at the redirect URI.
func TestAuthorizeRefusals(t *testing.T) {
	srv := start(t, "memory", oidctest.Instance{})
	ctx := context.Background()
	for _, tc := range []struct {
		name     string
		a        authz
		redirect bool   // the error goes back to the client
		code     string // the error code
	}{
		{"unknown client", authz{client: "nobody", redirect: oidctest.ShopRedirect, scope: "openid verifiable-id"}, false, "invalid_request"},
		{"wrong redirect URI", authz{client: oidctest.ShopID, redirect: "https://shop.example/callback/evil", scope: "openid verifiable-id"}, false, "invalid_request"},
		{"redirect URI differs in case", authz{client: oidctest.ShopID, redirect: "https://shop.example/Callback", scope: "openid verifiable-id"}, false, "invalid_request"},
		{"redirect URI with a query added", authz{client: oidctest.ShopID, redirect: oidctest.ShopRedirect + "?x=1", scope: "openid verifiable-id"}, false, "invalid_request"},
		{"public client without PKCE", authz{client: oidctest.SPAID, redirect: oidctest.SPARedirect, scope: "openid"}, true, "invalid_request"},
		{"PKCE plain", authz{client: oidctest.SPAID, redirect: oidctest.SPARedirect, scope: "openid", challenge: verifierPKCE, method: "plain"}, true, "invalid_request"},
		{"scope naming no definition", authz{client: oidctest.ShopID, redirect: oidctest.ShopRedirect, scope: "openid passport"}, true, "invalid_scope"},
		{"no credential scope, no default", authz{client: oidctest.ShopID, redirect: oidctest.ShopRedirect, scope: "openid"}, true, "invalid_scope"},
		{"no openid", authz{client: oidctest.ShopID, redirect: oidctest.ShopRedirect, scope: "verifiable-id"}, true, "invalid_scope"},
		{"vc not allowed for the client", authz{client: oidctest.LibraryID, redirect: oidctest.LibraryRedirect, scope: "openid verifiable-id vc"}, true, "invalid_scope"},
		{"prompt=none", withExtra(shopAuthz(), "prompt=none"), true, "login_required"},
		{"form_post", withExtra(shopAuthz(), "response_mode=form_post"), true, "invalid_request"},
		{"implicit", withExtra(shopAuthz(), "response_type=id_token"), true, "unauthorized_client"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := oidctest.NewBrowser(nil).HTTP.Get(tc.a.url(srv, "st"))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if !tc.redirect {
				var e struct{ Error string }
				_ = json.Unmarshal(body, &e)
				if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" || e.Error != tc.code {
					t.Fatalf("%d %v %s, want 400 %s without a redirect", resp.StatusCode, resp.Header.Get("Location"), body, tc.code)
				}
				return
			}
			back, err := resp.Location()
			if err != nil {
				t.Fatalf("%d %s, want a redirect", resp.StatusCode, body)
			}
			wantRedirectError(t, back, tc.a.redirect, tc.code)
		})
	}
	_ = ctx
}

func withExtra(a authz, extra string) authz {
	a.extra = extra
	return a
}

// TestTokenRefusals: every bad code exchange gets RFC 6749 §5.2's error
// (and RFC 7636 §4.6's for PKCE).
func TestTokenRefusals(t *testing.T) {
	for _, store := range stores {
		t.Run(store, func(t *testing.T) {
			srv := start(t, store, oidctest.Instance{})
			a := shopAuthz()
			shop := func(code, verifier string) tokenResponse {
				return exchange(t, srv, oidctest.ShopID, oidctest.ShopSecret, code, oidctest.ShopRedirect, verifier)
			}
			t.Run("missing PKCE verifier", func(t *testing.T) {
				code := login(t, srv, a)
				if r := shop(code, ""); r.status != 400 || r.Error != "invalid_request" {
					t.Fatalf("%+v", r)
				}
				// The refusal did not use the code up.
				if r := shop(code, verifierPKCE); r.status != 200 || r.AccessToken == "" {
					t.Fatalf("then with the verifier: %+v", r)
				}
			})
			t.Run("wrong PKCE verifier", func(t *testing.T) {
				code := login(t, srv, a)
				if r := shop(code, verifierPKCE+"x"); r.status != 400 || r.Error != "invalid_grant" {
					t.Fatalf("%+v", r)
				}
			})
			t.Run("verifier without a challenge", func(t *testing.T) {
				noPKCE := a
				noPKCE.challenge = ""
				code := login(t, srv, noPKCE)
				if r := shop(code, verifierPKCE); r.status != 400 || r.Error != "invalid_request" {
					t.Fatalf("%+v", r)
				}
				if r := shop(code, ""); r.status != 200 {
					t.Fatalf("a confidential client without PKCE: %+v", r)
				}
			})
			t.Run("code replayed", func(t *testing.T) {
				code := login(t, srv, a)
				first := shop(code, verifierPKCE)
				if first.status != 200 {
					t.Fatalf("first: %+v", first)
				}
				if st, _, _ := userinfo(t, srv, first.AccessToken); st != 200 {
					t.Fatalf("userinfo before the replay: %d", st)
				}
				if r := shop(code, verifierPKCE); r.status != 400 || r.Error != "invalid_grant" {
					t.Fatalf("second: %+v", r)
				}
				// RFC 6749 §4.1.2: the tokens issued from the code are revoked.
				st, hdr, body := userinfo(t, srv, first.AccessToken)
				if st != 401 || body["error"] != "invalid_token" || !strings.Contains(hdr.Get("WWW-Authenticate"), `error="invalid_token"`) {
					t.Fatalf("userinfo after the replay: %d %v %v", st, hdr, body)
				}
			})
			t.Run("expired code", func(t *testing.T) {
				code := login(t, srv, a)
				srv.Clock.Advance(time.Minute) // code_lifetime
				if r := shop(code, verifierPKCE); r.status != 400 || r.Error != "invalid_grant" {
					t.Fatalf("%+v", r)
				}
			})
			t.Run("wrong client secret", func(t *testing.T) {
				code := login(t, srv, a)
				r := exchange(t, srv, oidctest.ShopID, "not-the-secret", code, oidctest.ShopRedirect, verifierPKCE)
				if r.status != 401 || r.Error != "invalid_client" || !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Basic") {
					t.Fatalf("%+v", r)
				}
				if r := shop(code, verifierPKCE); r.status != 200 {
					t.Fatalf("then with the secret: %+v", r)
				}
			})
			t.Run("another client's code", func(t *testing.T) {
				code := login(t, srv, a)
				r := exchange(t, srv, oidctest.LibraryID, oidctest.LibrarySecret, code, oidctest.ShopRedirect, verifierPKCE)
				if r.status != 400 || r.Error != "invalid_grant" {
					t.Fatalf("%+v", r)
				}
			})
			t.Run("other redirect URI", func(t *testing.T) {
				code := login(t, srv, a)
				r := exchange(t, srv, oidctest.ShopID, oidctest.ShopSecret, code, "https://shop.example/other", verifierPKCE)
				if r.status != 400 || r.Error != "invalid_grant" {
					t.Fatalf("%+v", r)
				}
			})
			t.Run("unknown code", func(t *testing.T) {
				if r := shop("not-a-code", verifierPKCE); r.status != 400 || r.Error != "invalid_grant" {
					t.Fatalf("%+v", r)
				}
			})
			t.Run("unknown client", func(t *testing.T) {
				r := exchange(t, srv, "nobody", "x", "code", oidctest.ShopRedirect, verifierPKCE)
				if r.status != 401 || r.Error != "invalid_client" {
					t.Fatalf("%+v", r)
				}
			})
		})
	}
}

// TestLoginDenied: a login that fails, expires or is cancelled sends the
// browser back with access_denied and its state; the request is over.
func TestLoginDenied(t *testing.T) {
	for _, store := range stores {
		t.Run(store, func(t *testing.T) {
			srv := start(t, store, oidctest.Instance{})
			ctx := context.Background()
			a := shopAuthz()
			open := func(t *testing.T) (*oidctest.Browser, *oidctest.Page, *oidctest.Started) {
				b := oidctest.NewBrowser(nil)
				page, done, err := b.Authorize(ctx, a.url(srv, "st"))
				if err != nil || done != nil {
					t.Fatalf("authorize: %v %v", err, done)
				}
				s, err := b.StartButton(ctx, page)
				if err != nil {
					t.Fatal(err)
				}
				return b, page, s
			}
			t.Run("wallet declines", func(t *testing.T) {
				b, page, s := open(t)
				r, err := testwallet.ParseRequest(ctx, http.DefaultClient, s.AuthorizationRequest)
				if err != nil {
					t.Fatal(err)
				}
				if resp, body, err := testwallet.Post(ctx, http.DefaultClient, r.ResponseURI, testwallet.Answer{State: r.State, Error: "access_denied"}); err != nil || resp.StatusCode != 200 {
					t.Fatalf("decline: %v %s", err, body)
				}
				back, err := b.Finish(ctx, page, s)
				if err != nil {
					t.Fatal(err)
				}
				wantRedirectError(t, back, oidctest.ShopRedirect, "access_denied")
				// The request is over: the page and a second finish say so.
				if _, err := b.Finish(ctx, page, s); !isStatus(err, 400) {
					t.Fatalf("second finish: %v", err)
				}
			})
			t.Run("presentation refused", func(t *testing.T) {
				b, page, s := open(t)
				stranger := oidctest.NewPeople(t) // a credential about someone else
				w := &testwallet.Wallet{Holder: testwallet.NewParty(), Credentials: stranger.Wallet.Credentials}
				if resp, _, err := w.Login(ctx, s.AuthorizationRequest); err != nil || resp.StatusCode != 400 {
					t.Fatalf("a foreign credential: %v %v", err, resp)
				}
				back, err := b.Finish(ctx, page, s)
				if err != nil {
					t.Fatal(err)
				}
				wantRedirectError(t, back, oidctest.ShopRedirect, "access_denied")
			})
			t.Run("session expired", func(t *testing.T) {
				b, page, s := open(t)
				srv.Clock.Advance(5 * time.Minute) // session.lifetime
				back, err := b.Finish(ctx, page, s)
				if err != nil {
					t.Fatal(err)
				}
				wantRedirectError(t, back, oidctest.ShopRedirect, "access_denied")
			})
			t.Run("login lifetime over", func(t *testing.T) {
				b, page, s := open(t)
				pp := oidctest.NewPeople(t)
				if resp, _, err := pp.Wallet.Login(ctx, s.AuthorizationRequest); err != nil || resp.StatusCode != 200 {
					t.Fatalf("wallet: %v", err)
				}
				srv.Clock.Advance(15 * time.Minute) // oidc.login_lifetime
				back, err := b.Finish(ctx, page, s)
				if err != nil {
					t.Fatal(err)
				}
				wantRedirectError(t, back, oidctest.ShopRedirect, "access_denied")
			})
			t.Run("cancel", func(t *testing.T) {
				b, page, _ := open(t)
				back, err := b.Cancel(ctx, page)
				if err != nil {
					t.Fatal(err)
				}
				wantRedirectError(t, back, oidctest.ShopRedirect, "access_denied")
				if _, err := b.ReadPage(ctx, page.URL.String()); !isStatus(err, 400) {
					t.Fatalf("the page after a cancel: %v", err)
				}
			})
		})
	}
}

func isStatus(err error, status int) bool {
	he, ok := err.(*oidctest.HTTPError)
	return ok && he.Status == status
}
