// Package web is the only Echo code: routes, handlers, the one error writer,
// the QR renderers and the embedded result page. Handlers return errors;
// HTTPErrorHandler writes every one of them as {"error","error_description"}.
package web
