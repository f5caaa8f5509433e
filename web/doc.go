// Package web is the only Echo code: routes, handlers, the one error writer,
// the QR renderers, the live event stream of a session (Server-Sent Events),
// the response_code redemption, and the browser side served from embedded
// files — the <login-with-iota> button script and stylesheet, the demo
// website at / and the same-device result page, each with its security
// headers. Handlers return errors; HTTPErrorHandler writes every one of them
// as {"error","error_description"}, and Listener makes net/http's own error
// answers (431, 400, 501) JSON too.
//
// It also bounds what a visitor can make the service hold: a token bucket
// per client address on session creation (ratelimit.go), caps on event
// streams (streams.go), QR images rendered once per session (qrcache.go).
// It serves the OpenAPI document of the website API (openapi.json) and
// reports requests, streams and refusals to an Observer (observe.go).
package web
