package oidcbridge_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/loginwithiota/verifier/oidcbridge/oidctest"
)

// BenchmarkOIDCLogin is one whole OpenID Connect login over real HTTP on a
// real listener: the authorization request, the login page, the button's
// verifier session, the test wallet's answer (a JcsEd25519Signature2020
// VP and VC over did:key, verified), finish with the code's redirect, the
// code exchange with PKCE and client authentication (the remembered
// digest of the secret: its bcrypt check ran once, before the timer), and
// userinfo. The wallet's signing is in the figure.
func BenchmarkOIDCLogin(b *testing.B) {
	for _, store := range stores {
		b.Run(store, func(b *testing.B) {
			srv := start(b, store, oidctest.Instance{})
			pp := oidctest.NewPeople(b)
			ctx := context.Background()
			a := shopAuthz()
			once := func() {
				back, err := oidctest.NewBrowser(pp.Wallet).Login(ctx, a.url(srv, "st"))
				if err != nil {
					b.Fatal(err)
				}
				tok := exchange(b, srv, oidctest.ShopID, oidctest.ShopSecret, back.Query().Get("code"), oidctest.ShopRedirect, verifierPKCE)
				if tok.status != 200 {
					b.Fatalf("token: %+v", tok)
				}
				if st, _, claims := userinfo(b, srv, tok.AccessToken); st != 200 || claims["given_name"] != oidctest.GivenName {
					b.Fatalf("userinfo %d %v", st, claims)
				}
			}
			once() // the client's first bcrypt check (cost 10) is not the steady state
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				once()
			}
		})
	}
}

// BenchmarkVerifierLogin is the same login without OpenID Connect: the
// website API's session and the wallet's answer. BenchmarkOIDCLogin less
// this is what the provider adds.
func BenchmarkVerifierLogin(b *testing.B) {
	for _, store := range stores {
		b.Run(store, func(b *testing.B) {
			srv := start(b, store, oidctest.Instance{})
			pp := oidctest.NewPeople(b)
			ctx := context.Background()
			base, _ := url.Parse(srv.URL + "/")
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				br := oidctest.NewBrowser(pp.Wallet)
				s, err := br.StartButton(ctx, &oidctest.Page{URL: base, Definition: oidctest.Scope})
				if err != nil {
					b.Fatal(err)
				}
				if err := br.Wallet(ctx, s.AuthorizationRequest); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
