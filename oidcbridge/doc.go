// Package oidcbridge makes the verifier an OpenID Provider whose login step
// is a verifiable presentation. The OAuth and OpenID Connect protocol is
// github.com/zitadel/oidc/v3's (pkg/op): discovery, authorize, token,
// userinfo, keys, revocation and end_session. This package is what that
// library asks of its host: clients from config, auth requests, codes and
// tokens through Store (backends in store/memory and store/redis, both
// held to storetest), signing keys, and the login step, which shows the
// <login-with-iota> button for the definition the request's scope names
// and turns the verified session into the ID token's claims.
package oidcbridge
