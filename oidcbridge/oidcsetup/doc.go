// Package oidcsetup builds the OpenID Provider from the config file's oidc
// section: the one place config meets oidcbridge, called by cmd/verifier
// and by the tests that stand the service up the way cmd does.
//
// It reads the key and secret files the section names (relative to the
// config file's folder) and picks the store: Redis under the session
// store's prefix + "oidc:" when the service runs on Redis, else memory.
package oidcsetup
