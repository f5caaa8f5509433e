// Package handler serves an issuer.Issuer over HTTP with Echo: the
// metadata documents, the token, nonce and credential endpoints, offers by
// reference and as QR codes, the operator API (POST /api/v1/offers,
// authenticated by an API key compared in constant time), and an optional
// demo page that hands out test credentials.
//
// New returns a self-contained router (its own error writer, body limit,
// security headers, request id and access log) that cmd/issuer serves;
// Mount registers the same router's paths on another Echo instance (the
// verifier's, when its demo is on). Every error is an *oauth.Error written
// as {"error","error_description"} with Cache-Control: no-store; the
// access log never records a query string, a form or a header value, so
// codes, tokens and offers stay out of it.
package handler
