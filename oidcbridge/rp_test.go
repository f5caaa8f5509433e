package oidcbridge_test

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"testing"

	"github.com/zitadel/oidc/v3/pkg/client/rp"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"golang.org/x/oauth2"

	"github.com/loginwithiota/verifier/oidcbridge/oidctest"
)

// TestZitadelRPLogin: zitadel/oidc's own relying party (pkg/client/rp),
// as a public client with PKCE (spa: no scope but openid, so its default
// credential scope applies) and as a confidential client with pairwise
// subjects (library); the ID token verified with the algorithms discovery
// names, and userinfo.
func TestZitadelRPLogin(t *testing.T) {
	for _, store := range stores {
		for _, tc := range []struct {
			name, id, secret, redirect string
			scopes                     []string
			wantSub                    func(holder string) string
		}{
			{"public PKCE", oidctest.SPAID, "", oidctest.SPARedirect, []string{oidc.ScopeOpenID},
				func(h string) string { return h }},
			{"pairwise", oidctest.LibraryID, oidctest.LibrarySecret, oidctest.LibraryRedirect, []string{oidc.ScopeOpenID, oidctest.Scope},
				func(h string) string { return pairwise(oidctest.LibrarySector, h) }},
		} {
			t.Run(store+"/"+tc.name, func(t *testing.T) {
				srv := start(t, store, oidctest.Instance{})
				ctx := context.Background()
				nonce := rand.Text()
				party, err := rp.NewRelyingPartyOIDC(ctx, srv.Issuer, tc.id, tc.secret, tc.redirect, tc.scopes,
					rp.WithSigningAlgsFromDiscovery(),
					rp.WithVerifierOpts(rp.WithNonce(func(context.Context) string { return nonce })))
				if err != nil {
					t.Fatal(err)
				}
				verifier, state := rand.Text()+rand.Text(), rand.Text()
				authURL := rp.AuthURL(state, party, rp.WithCodeChallenge(oidc.NewSHACodeChallenge(verifier)),
					func() []oauth2.AuthCodeOption { return []oauth2.AuthCodeOption{oauth2.SetAuthURLParam("nonce", nonce)} })

				pp := oidctest.NewPeople(t)
				back, err := oidctest.NewBrowser(pp.Wallet).Login(ctx, authURL)
				if err != nil {
					t.Fatal(err)
				}
				if back.Query().Get("state") != state || back.Query().Get("code") == "" {
					t.Fatalf("back at %s", back)
				}
				tokens, err := rp.CodeExchange[*oidc.IDTokenClaims](ctx, back.Query().Get("code"), party, rp.WithCodeVerifier(verifier))
				if err != nil {
					t.Fatalf("code exchange: %v", err)
				}
				claims := tokens.IDTokenClaims
				want := tc.wantSub(pp.Holder.DID)
				if claims.Subject != want || claims.Nonce != nonce {
					t.Errorf("sub %q (want %q), nonce %q", claims.Subject, want, claims.Nonce)
				}
				checkClaims(t, "ID token", claimsOf(t, claims), map[string]any{"given_name": oidctest.GivenName, "family_name": oidctest.FamilyName})
				info, err := rp.Userinfo[*oidc.UserInfo](ctx, tokens.AccessToken, tokens.TokenType, claims.Subject, party)
				if err != nil {
					t.Fatalf("userinfo: %v", err)
				}
				checkClaims(t, "userinfo", claimsOf(t, info), map[string]any{"given_name": oidctest.GivenName, "family_name": oidctest.FamilyName})
			})
		}
	}
}

// pairwise is the sub a pairwise client gets (claims.go's subject),
// computed here from its definition.
func pairwise(sector, holder string) string {
	mac := hmac.New(sha256.New, []byte(oidctest.PairwiseSecret))
	mac.Write([]byte(sector + "\x00" + holder))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}
