package oidcbridge_test

import (
	"context"
	"crypto/rand"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/loginwithiota/verifier/oidcbridge/oidctest"
)

// TestTwoInstances: two instances on one Redis behind a load balancer
// without stickiness. The authorization request is made on A, the wallet's
// answer lands on B, and the code is exchanged on A, or on B with userinfo
// there too; the key ring both sign with is one.
func TestTwoInstances(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tokenB bool
	}{{"token on A", false}, {"token and userinfo on B", true}} {
		t.Run(tc.name, func(t *testing.T) {
			rdb, prefix := oidctest.RedisClient(t)
			lb := oidctest.NewBalancer(t)
			clock := oidctest.NewClock()
			a := oidctest.Start(t, oidctest.Instance{Redis: rdb, Prefix: prefix, PublicURL: lb.URL, Clock: clock})
			b := oidctest.Start(t, oidctest.Instance{Redis: rdb, Prefix: prefix, PublicURL: lb.URL, Clock: clock})
			lb.Route("", a)
			lb.Route("/oid4vp/", b) // the wallet's answers
			if tc.tokenB {
				lb.Route("/oidc/token", b)
				lb.Route("/oidc/userinfo", b)
				lb.Route("/oidc/keys", b)
			}
			ctx := context.Background()
			provider, err := oidc.NewProvider(ctx, a.Issuer)
			if err != nil {
				t.Fatal(err)
			}
			conf := oauth2.Config{ClientID: oidctest.ShopID, ClientSecret: oidctest.ShopSecret, Endpoint: provider.Endpoint(),
				RedirectURL: oidctest.ShopRedirect, Scopes: []string{oidc.ScopeOpenID, oidctest.Scope}}
			pkce, nonce := oauth2.GenerateVerifier(), rand.Text()
			pp := oidctest.NewPeople(t)
			back, err := oidctest.NewBrowser(pp.Wallet).Login(ctx, conf.AuthCodeURL("st", oauth2.S256ChallengeOption(pkce), oidc.Nonce(nonce)))
			if err != nil {
				t.Fatal(err)
			}
			tok, err := conf.Exchange(ctx, back.Query().Get("code"), oauth2.VerifierOption(pkce))
			if err != nil {
				t.Fatalf("exchange: %v", err)
			}
			raw, _ := tok.Extra("id_token").(string)
			idt, err := provider.Verifier(&oidc.Config{ClientID: oidctest.ShopID}).Verify(ctx, raw)
			if err != nil || idt.Subject != pp.Holder.DID || idt.Nonce != nonce {
				t.Fatalf("ID token: %v %+v", err, idt)
			}
			info, err := provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
			if err != nil {
				t.Fatalf("userinfo: %v", err)
			}
			var claims map[string]any
			_ = info.Claims(&claims)
			checkClaims(t, "userinfo", claims, map[string]any{"given_name": oidctest.GivenName, "family_name": oidctest.FamilyName})
		})
	}
}
