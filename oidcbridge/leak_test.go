package oidcbridge_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	goredis "github.com/redis/go-redis/v9"

	"github.com/loginwithiota/verifier/oidcbridge/oidctest"
)

// internals are texts no answer may hold (dex's leak test's words and ours).
var internals = []string{".go:", "redis", "Redis", "EOF", "closed", "connection", "refused", "dial", "timeout",
	"goroutine", "panic", "6379", "Parent=", "ErrorType=", "oidc store", "x509", "crypto/"}

func noInternals(t *testing.T, where string, texts ...string) {
	t.Helper()
	for _, text := range texts {
		for _, w := range internals {
			if strings.Contains(text, w) {
				t.Errorf("%s leaks %q: %.400s", where, w, text)
			}
		}
	}
}

// syncBuffer collects a log written from several goroutines.
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

// TestStoreDownLeaksNothing: with the store gone mid-flight, every
// endpoint of the provider answers a safe text, and says so in its code.
func TestStoreDownLeaksNothing(t *testing.T) {
	_, prefix := oidctest.RedisClient(t) // skips without Redis; cleans the prefix
	own := goredis.NewClient(&goredis.Options{Addr: oidctest.RedisAddr()})
	srv := oidctest.Start(t, oidctest.Instance{Redis: own, Prefix: prefix})
	ctx := context.Background()
	b := oidctest.NewBrowser(oidctest.NewPeople(t).Wallet)
	page, _, err := b.Authorize(ctx, shopAuthz().url(srv, "st"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := b.StartButton(ctx, page)
	if err != nil {
		t.Fatal(err)
	}
	good := exchange(t, srv, oidctest.ShopID, oidctest.ShopSecret, login(t, srv, shopAuthz()), oidctest.ShopRedirect, verifierPKCE)
	own.Close() // the store is gone

	check := func(name string, req *http.Request, wantStatus ...int) {
		t.Helper()
		resp, err := b.HTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		noInternals(t, name, string(body), resp.Header.Get("Location"), resp.Header.Get("WWW-Authenticate"))
		t.Logf("%s: %d %s %.160s", name, resp.StatusCode, resp.Header.Get("Location"), strings.Join(strings.Fields(string(body)), " "))
		for _, st := range wantStatus {
			if resp.StatusCode == st {
				return
			}
		}
		t.Errorf("%s: %d %s %.200s, want %v", name, resp.StatusCode, resp.Header.Get("Location"), body, wantStatus)
	}
	get := func(u string) *http.Request { r, _ := http.NewRequest(http.MethodGet, u, nil); return r }
	post := func(u string, form url.Values, basic ...string) *http.Request {
		r, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if len(basic) == 2 {
			r.SetBasicAuth(basic[0], basic[1])
		}
		return r
	}
	check("authorize", get(shopAuthz().url(srv, "st")), 302)
	check("login page", get(page.URL.String()), 503)
	check("finish", post(page.Finish, url.Values{"session_id": {s.ID}, "status_token": {s.StatusToken}}), 503)
	check("cancel", post(page.Cancel, url.Values{}), 503)
	check("token", post(srv.Issuer+"/token", url.Values{"grant_type": {"authorization_code"}, "code": {"x"},
		"redirect_uri": {oidctest.ShopRedirect}, "code_verifier": {verifierPKCE}}, oidctest.ShopID, oidctest.ShopSecret), 503)
	ui := get(srv.Issuer + "/userinfo")
	ui.Header.Set("Authorization", "Bearer "+good.AccessToken)
	check("userinfo", ui, 503)
	check("revoke", post(srv.Issuer+"/revoke", url.Values{"token": {good.AccessToken}}, oidctest.ShopID, oidctest.ShopSecret), 503)
	check("end_session", get(srv.Issuer+"/end_session?"+url.Values{"id_token_hint": {good.IDToken}}.Encode()), 503)
	check("keys", get(srv.Issuer+"/keys"), 200, 500)
	check("discovery", get(srv.Issuer+"/.well-known/openid-configuration"), 200)
}

// TestLogsHoldNoPersonalData: a whole login, a refused one and a replay
// log neither the holder's DID, the claims, nor any code, token or secret,
// in our log or in zitadel/oidc's (slog's default logger).
func TestLogsHoldNoPersonalData(t *testing.T) {
	var logs syncBuffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(prev) })

	srv := start(t, "memory", oidctest.Instance{Log: &logs})
	ctx := context.Background()
	pp := oidctest.NewPeople(t)
	b := oidctest.NewBrowser(pp.Wallet)
	page, _, err := b.Authorize(ctx, shopAuthz().url(srv, "st"))
	if err != nil {
		t.Fatal(err)
	}
	started, err := b.StartButton(ctx, page)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Wallet(ctx, started.AuthorizationRequest); err != nil {
		t.Fatal(err)
	}
	back, err := b.Finish(ctx, page, started)
	if err != nil {
		t.Fatal(err)
	}
	code := back.Query().Get("code")
	tok := exchange(t, srv, oidctest.ShopID, oidctest.ShopSecret, code, oidctest.ShopRedirect, verifierPKCE)
	if st, _, _ := userinfo(t, srv, tok.AccessToken); st != 200 {
		t.Fatalf("userinfo %d", st)
	}
	exchange(t, srv, oidctest.ShopID, oidctest.ShopSecret, code, oidctest.ShopRedirect, verifierPKCE) // a replay, logged
	exchange(t, srv, oidctest.ShopID, "wrong-secret", code, oidctest.ShopRedirect, verifierPKCE)
	if _, err := oidctest.NewBrowser(nil).Login(ctx, authz{client: oidctest.ShopID, redirect: oidctest.ShopRedirect, scope: "openid passport"}.url(srv, "st")); err != nil {
		t.Fatal(err)
	}
	text := logs.String()
	if !strings.Contains(text, "oidc login verified") || !strings.Contains(text, "replayed") {
		t.Fatalf("the log misses the login or the replay:\n%s", text)
	}
	for _, secret := range []string{pp.Holder.DID, oidctest.GivenName, oidctest.FamilyName, code, tok.AccessToken, tok.IDToken,
		oidctest.ShopSecret, started.StatusToken, verifierPKCE, "wrong-secret"} {
		if strings.Contains(text, secret) {
			t.Errorf("the log holds %.40q", secret)
		}
	}
}
