package oidcbridge_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/loginwithiota/verifier/oidcbridge/oidctest"
)

// TestGoOIDCLogin: github.com/coreos/go-oidc/v3 with golang.org/x/oauth2,
// as a confidential client with PKCE: discovery, the authorization URL, a
// test wallet's login, the code exchange, the ID token verified against our
// key set (nonce, at_hash), userinfo; the mapped claims and nothing else.
func TestGoOIDCLogin(t *testing.T) {
	for _, store := range stores {
		t.Run(store, func(t *testing.T) {
			srv := start(t, store, oidctest.Instance{})
			ctx := context.Background()
			provider, err := oidc.NewProvider(ctx, srv.Issuer)
			if err != nil {
				t.Fatal(err)
			}
			conf := oauth2.Config{ClientID: oidctest.ShopID, ClientSecret: oidctest.ShopSecret, Endpoint: provider.Endpoint(),
				RedirectURL: oidctest.ShopRedirect, Scopes: []string{oidc.ScopeOpenID, oidctest.Scope, "vc"}}
			pkce, state, nonce := oauth2.GenerateVerifier(), rand.Text(), rand.Text()
			authURL := conf.AuthCodeURL(state, oauth2.S256ChallengeOption(pkce), oidc.Nonce(nonce))

			pp := oidctest.NewPeople(t)
			back, err := oidctest.NewBrowser(pp.Wallet).Login(ctx, authURL)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(back.String(), oidctest.ShopRedirect+"?") || back.Query().Get("state") != state {
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
			if idt.Nonce != nonce || idt.Subject != pp.Holder.DID {
				t.Errorf("nonce %q sub %q", idt.Nonce, idt.Subject)
			}
			if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
				t.Errorf("at_hash: %v", err)
			}
			var claims map[string]any
			if err := idt.Claims(&claims); err != nil {
				t.Fatal(err)
			}
			wantVC := []any{map[string]any{"issuer": pp.Issuer.DID, "type": []any{"VerifiableCredential", "VerifiableAttestation", "VerifiableId"}}}
			checkClaims(t, "ID token", claims, map[string]any{
				"given_name": oidctest.GivenName, "family_name": oidctest.FamilyName,
				"amr": []any{"vc"}, "acr": "urn:loginwithiota:definition:verifiable-id", "vc": wantVC,
			})

			info, err := provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
			if err != nil {
				t.Fatalf("userinfo: %v", err)
			}
			var uclaims map[string]any
			if err := info.Claims(&uclaims); err != nil {
				t.Fatal(err)
			}
			if info.Subject != pp.Holder.DID {
				t.Errorf("userinfo sub %q", info.Subject)
			}
			checkClaims(t, "userinfo", uclaims, map[string]any{"given_name": oidctest.GivenName, "family_name": oidctest.FamilyName, "vc": wantVC})
		})
	}
}

// registered are the claims a token may hold besides the mapped ones.
var registered = []string{"iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "azp", "at_hash", "c_hash", "client_id"}

// checkClaims wants every claim of want, and nothing that is neither in
// want nor registered: no credential data leaks beyond the mapping.
func checkClaims(t *testing.T, where string, got, want map[string]any) {
	t.Helper()
	for k, v := range want {
		if !reflect.DeepEqual(got[k], v) {
			t.Errorf("%s: %s = %#v, want %#v", where, k, got[k], v)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok && !contains(registered, k) {
			t.Errorf("%s: unmapped claim %s = %v", where, k, got[k])
		}
	}
	raw, _ := json.Marshal(got)
	for _, secret := range []string{"1990-01-01", "AT-123456", "dateOfBirth", "personalIdentifier", "firstName"} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("%s holds %q: %s", where, secret, raw)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
