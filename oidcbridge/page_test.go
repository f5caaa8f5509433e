package oidcbridge_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/loginwithiota/verifier/oidcbridge/oidctest"
)

// TestLoginPage: the page the authorize endpoint sends the browser to has
// the button for the request's definition, posting to finish, under a CSP
// that lets the finish form's redirects reach the client and nothing else.
func TestLoginPage(t *testing.T) {
	srv := start(t, "memory", oidctest.Instance{})
	ctx := context.Background()
	b := oidctest.NewBrowser(nil)
	page, _, err := b.Authorize(ctx, shopAuthz().url(srv, "st"))
	if err != nil {
		t.Fatal(err)
	}
	if page.Definition != "verifiable-id" || !strings.HasPrefix(page.Finish, srv.Issuer+"/login/finish?id=") {
		t.Fatalf("button %q → %q", page.Definition, page.Finish)
	}
	for _, want := range []string{`<script src="/static/login-with-iota.js" defer>`, `<script src="/oidc/static/login.js" defer>`, "Demo Shop"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, page.URL.String(), nil)
	req.Header.Set("Accept-Language", "de-CH, en;q=0.5")
	resp, err := b.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "form-action 'self' https://shop.example;") || !strings.Contains(csp, "script-src 'self';") || strings.Contains(csp, "unsafe") {
		t.Errorf("CSP %q", csp)
	}
	if resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("headers %v", resp.Header)
	}
	if !strings.Contains(string(body), `<html lang="de">`) || !strings.Contains(string(body), "IOTA-Wallet") {
		t.Errorf("German page: %.300s", body)
	}
	js, err := http.Get(srv.Issuer + "/static/login.js")
	if err != nil {
		t.Fatal(err)
	}
	js.Body.Close()
	if js.StatusCode != 200 || !strings.HasPrefix(js.Header.Get("Content-Type"), "text/javascript") {
		t.Errorf("login.js: %d %s", js.StatusCode, js.Header.Get("Content-Type"))
	}
	// zitadel/oidc's callback leads nowhere: knowing a request id does not
	// collect its code.
	cb, err := http.Get(srv.Issuer + "/authorize/callback?id=" + page.URL.Query().Get("id"))
	if err != nil {
		t.Fatal(err)
	}
	cb.Body.Close()
	if cb.StatusCode != 400 || cb.Header.Get("Location") != "" {
		t.Errorf("callback: %d %s", cb.StatusCode, cb.Header.Get("Location"))
	}
}

// TestFinishBinding: finish accepts only the session the browser started
// for this request, verified, once.
func TestFinishBinding(t *testing.T) {
	srv := start(t, "memory", oidctest.Instance{})
	ctx := context.Background()
	pp := oidctest.NewPeople(t)
	open := func(t *testing.T) (*oidctest.Browser, *oidctest.Page) {
		b := oidctest.NewBrowser(pp.Wallet)
		page, _, err := b.Authorize(ctx, shopAuthz().url(srv, "st"))
		if err != nil {
			t.Fatal(err)
		}
		return b, page
	}
	verified := func(t *testing.T, b *oidctest.Browser, page *oidctest.Page) *oidctest.Started {
		s, err := b.StartButton(ctx, page)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Wallet(ctx, s.AuthorizationRequest); err != nil {
			t.Fatal(err)
		}
		return s
	}

	t.Run("pending", func(t *testing.T) {
		b, page := open(t)
		s, err := b.StartButton(ctx, page)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.Finish(ctx, page, s); !isStatus(err, 409) {
			t.Fatalf("finish before the wallet: %v", err)
		}
		// The request still waits: the wallet answers, finish succeeds.
		if err := b.Wallet(ctx, s.AuthorizationRequest); err != nil {
			t.Fatal(err)
		}
		if back, err := b.Finish(ctx, page, s); err != nil || back.Query().Get("code") == "" {
			t.Fatalf("then: %v %v", back, err)
		}
	})
	t.Run("wrong status token", func(t *testing.T) {
		b, page := open(t)
		s := verified(t, b, page)
		forged := *s
		forged.StatusToken = strings.Repeat("A", 43)
		if _, err := b.Finish(ctx, page, &forged); !isStatus(err, 400) {
			t.Fatalf("%v", err)
		}
	})
	t.Run("a session logs in one request", func(t *testing.T) {
		b, page := open(t)
		s := verified(t, b, page)
		if _, err := b.Finish(ctx, page, s); err != nil {
			t.Fatal(err)
		}
		_, page2 := open(t)
		if _, err := b.Finish(ctx, page2, s); !isStatus(err, 400) {
			t.Fatalf("the same session for a second request: %v", err)
		}
	})
	t.Run("session older than the request", func(t *testing.T) {
		b, page := open(t)
		s := verified(t, b, page)
		srv.Clock.Advance(2_000_000_000) // 2s: the next request is younger than s
		_, page2 := open(t)
		if _, err := b.Finish(ctx, page2, s); !isStatus(err, 400) {
			t.Fatalf("an older session: %v", err)
		}
	})
	t.Run("a finished request", func(t *testing.T) {
		b, page := open(t)
		s := verified(t, b, page)
		if _, err := b.Finish(ctx, page, s); err != nil {
			t.Fatal(err)
		}
		s2 := verified(t, b, page)
		if _, err := b.Finish(ctx, page, s2); !isStatus(err, 400) {
			t.Fatalf("a second session for a finished request: %v", err)
		}
	})
}
