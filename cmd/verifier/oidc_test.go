package main

import (
	"context"
	"crypto/rand"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/loginwithiota/verifier/oidcbridge/oidctest"
)

// The built binary with an oidc section is an OpenID Provider: coreos/go-oidc
// with x/oauth2 (code + PKCE) logs a test wallet in through it, on memory
// and on Redis, and gets the mapped claims in the verified ID token.
func TestBinaryOpenIDProvider(t *testing.T) {
	for _, store := range stores {
		t.Run(store, func(t *testing.T) {
			b := startBinary(t, store, shippedConfig(t)+oidctest.Section)
			ctx := context.Background()
			provider, err := oidc.NewProvider(ctx, b.base+"/oidc")
			if err != nil {
				t.Fatal(err)
			}
			conf := oauth2.Config{ClientID: oidctest.ShopID, ClientSecret: oidctest.ShopSecret, Endpoint: provider.Endpoint(),
				RedirectURL: oidctest.ShopRedirect, Scopes: []string{oidc.ScopeOpenID, oidctest.Scope}}
			pkce, state, nonce := oauth2.GenerateVerifier(), rand.Text(), rand.Text()
			pp := oidctest.NewPeople(t)
			back, err := oidctest.NewBrowser(pp.Wallet).Login(ctx, conf.AuthCodeURL(state, oauth2.S256ChallengeOption(pkce), oidc.Nonce(nonce)))
			if err != nil {
				t.Fatal(err)
			}
			if back.Query().Get("state") != state {
				t.Fatalf("back at %s", back)
			}
			tok, err := conf.Exchange(ctx, back.Query().Get("code"), oauth2.VerifierOption(pkce))
			if err != nil {
				t.Fatalf("exchange: %v", err)
			}
			raw, _ := tok.Extra("id_token").(string)
			idt, err := provider.Verifier(&oidc.Config{ClientID: oidctest.ShopID}).Verify(ctx, raw)
			if err != nil {
				t.Fatalf("ID token: %v", err)
			}
			var claims struct {
				Given string `json:"given_name"`
			}
			if err := idt.Claims(&claims); err != nil || idt.Nonce != nonce || idt.Subject != pp.Holder.DID || claims.Given != oidctest.GivenName {
				t.Fatalf("ID token %+v %+v %v", idt, claims, err)
			}
		})
	}
}
