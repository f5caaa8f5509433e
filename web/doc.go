// Package web is the only Echo code: routes, handlers, the one error writer,
// the QR renderers, the live event stream of a session (Server-Sent Events),
// the response_code redemption, and the browser side served from embedded
// files — the <login-with-iota> button script and stylesheet, the demo
// website at / and the same-device result page, each with its security
// headers. Handlers return errors; HTTPErrorHandler writes every one of them
// as {"error","error_description"}.
package web
