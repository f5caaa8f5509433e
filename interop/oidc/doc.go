// Package oidcinterop runs the npm openid-client 6 (login.mjs, pinned by
// package-lock.json; install it with `npm ci` in this folder, as .ci/run
// does) against the verifier's OpenID Provider, stood up as cmd/verifier
// wires it (oidcbridge/oidctest), on memory and on Redis.
package oidcinterop
