// Package oidctest stands the verifier up with its OpenID Provider, wired
// as cmd/verifier wires it (config.Parse, verifier.New, web.New,
// oidcsetup.New, oidcbridge.Mount) on a real listener, and drives logins
// through it as a browser and a test wallet would, so that real OpenID
// Connect client libraries can be pointed at it: the Go tests of
// oidcbridge and the openid-client run of interop/oidc.
package oidctest
