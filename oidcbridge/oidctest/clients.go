package oidctest

import "crypto/rand"

// The test clients: their ids, secrets and redirect URIs. The redirect
// URIs are never served: a browser stops when it is sent there and hands
// the URL to the client library.
const (
	ShopID       = "shop"
	ShopSecret   = "shop-secret-4f1c9e2a7b3d5e6f8091a2b3c4d5e6f7"
	ShopRedirect = "https://shop.example/callback"

	SPAID       = "spa"
	SPARedirect = "http://127.0.0.1:9/spa/callback"

	LibraryID       = "library"
	LibrarySecret   = "library-secret-9d8c7b6a5f4e3d2c1b0a99887766554"
	LibraryRedirect = "https://library.example/oidc/callback"
	LibrarySector   = "library.example"

	// Scope asks for the shipped verifiable-id definition.
	Scope = "verifiable-id"
	// PairwiseSecret keys the library's subjects.
	PairwiseSecret = "pairwise-secret-0123456789abcdef0123456789"
)

// Section is the oidc section the tests run with: a confidential client
// (shop, public subjects, the vc claim allowed), a public one (spa, PKCE),
// a pairwise one (library); one credential scope with two claims.
const Section = `
oidc:
  enabled: true
  issuer: /oidc
  pairwise_secret: ` + PairwiseSecret + `
  scopes:
    - name: verifiable-id
      claims:
        given_name: $.credentialSubject.firstName
        family_name: $.credentialSubject.familyName
  clients:
    - id: shop
      name: Demo Shop
      secret_hash: $2a$10$VPhF4QbUWNDUDOT1.iIY6usknectW2ybiXDT49gK6qIoSahgUCVZu
      redirect_uris: [` + ShopRedirect + `]
      post_logout_redirect_uris: [https://shop.example/bye]
      scopes: [verifiable-id, vc]
    - id: spa
      redirect_uris: [` + SPARedirect + `]
      scopes: [verifiable-id]
      default_scope: verifiable-id
    - id: library
      secret_hash: $2a$10$HojvkUPu7aCJ51Qz/IN0.uQb97NpyxNlDVOFGxSoBoY7LNcOBTZLq
      redirect_uris: [` + LibraryRedirect + `]
      scopes: [verifiable-id]
      subject: pairwise
`

func randomText() string { return rand.Text() }
