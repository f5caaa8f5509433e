package oidcbridge_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/loginwithiota/verifier/oidcbridge/oidctest"
)

// TestEndSession: RP-initiated logout with an id_token_hint ends the
// subject's access tokens at the client and returns to a registered
// post-logout URI; an unregistered one is refused.
func TestEndSession(t *testing.T) {
	for _, store := range stores {
		t.Run(store, func(t *testing.T) {
			srv := start(t, store, oidctest.Instance{})
			tok := exchange(t, srv, oidctest.ShopID, oidctest.ShopSecret, login(t, srv, shopAuthz()), oidctest.ShopRedirect, verifierPKCE)
			other := exchange(t, srv, oidctest.ShopID, oidctest.ShopSecret, login(t, srv, shopAuthz()), oidctest.ShopRedirect, verifierPKCE)
			if tok.status != 200 || other.status != 200 {
				t.Fatalf("%+v %+v", tok, other)
			}
			noRedirect := oidctest.NewBrowser(nil).HTTP

			bad := srv.Issuer + "/end_session?" + url.Values{"id_token_hint": {tok.IDToken}, "post_logout_redirect_uri": {"https://evil.example/"}}.Encode()
			resp, err := noRedirect.Get(bad)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 400 || resp.Header.Get("Location") != "" {
				t.Fatalf("unregistered post_logout_redirect_uri: %d %s", resp.StatusCode, resp.Header.Get("Location"))
			}

			end := srv.Issuer + "/end_session?" + url.Values{"id_token_hint": {tok.IDToken},
				"post_logout_redirect_uri": {"https://shop.example/bye"}, "state": {"s1"}}.Encode()
			resp, err = noRedirect.Get(end)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "https://shop.example/bye?state=s1" {
				t.Fatalf("end_session: %d %s", resp.StatusCode, resp.Header.Get("Location"))
			}
			// Each login() is another holder: only the hinted subject's token ends.
			if st, _, _ := userinfo(t, srv, tok.AccessToken); st != 401 {
				t.Errorf("userinfo after logout: %d", st)
			}
			if st, _, _ := userinfo(t, srv, other.AccessToken); st != 200 {
				t.Errorf("another subject's token after logout: %d", st)
			}

			resp, err = noRedirect.Get(srv.Issuer + "/end_session")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || loc != srv.Issuer+"/logged-out" {
				t.Fatalf("end_session without a hint: %d %s", resp.StatusCode, loc)
			}
			page, err := http.Get(srv.Issuer + "/logged-out")
			if err != nil {
				t.Fatal(err)
			}
			page.Body.Close()
			if page.StatusCode != 200 {
				t.Errorf("logged-out page: %d", page.StatusCode)
			}
		})
	}
}

// TestRevocation: RFC 7009 ends an access token of the asking client only.
func TestRevocation(t *testing.T) {
	srv := start(t, "memory", oidctest.Instance{})
	tok := exchange(t, srv, oidctest.ShopID, oidctest.ShopSecret, login(t, srv, shopAuthz()), oidctest.ShopRedirect, verifierPKCE)
	revoke := func(id, secret string) int {
		req, _ := http.NewRequest(http.MethodPost, srv.Issuer+"/revoke", strings.NewReader(url.Values{"token": {tok.AccessToken}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(id, secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if st := revoke(oidctest.LibraryID, oidctest.LibrarySecret); st != 200 {
		t.Fatalf("another client's revocation: %d", st)
	}
	if st, _, _ := userinfo(t, srv, tok.AccessToken); st != 200 {
		t.Fatalf("another client revoked the token: %d", st)
	}
	if st := revoke(oidctest.ShopID, "wrong"); st != 401 {
		t.Fatalf("revocation with a wrong secret: %d", st)
	}
	if st := revoke(oidctest.ShopID, oidctest.ShopSecret); st != 200 {
		t.Fatalf("revocation: %d", st)
	}
	if st, _, _ := userinfo(t, srv, tok.AccessToken); st != 401 {
		t.Fatalf("userinfo after revocation: %d", st)
	}
}
