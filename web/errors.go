package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/loginwithiota/verifier/oauth"
)

// errorBody is the OAuth-style error every endpoint answers with.
type errorBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
	Reason      string `json:"reason,omitempty"`
}

// errorHandler is the one place errors become responses. Unknown errors
// become server_error with a generic text; their cause goes to the log only.
func errorHandler(log *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		ctx := c.Request().Context()
		if errors.Is(err, context.Canceled) && ctx.Err() != nil {
			// The client hung up and the work was abandoned: nobody to answer.
			log.DebugContext(ctx, "request abandoned by the client", "method", c.Request().Method, "path", c.Path())
			return
		}
		e := describe(err)
		level := e.Level()
		if level < slog.LevelWarn {
			level = slog.LevelDebug // a client's mistake; the access line says enough
		}
		log.Log(ctx, level, "request failed", "method", c.Request().Method, "path", c.Path(), "status", e.HTTPStatus(), "err", e)
		h := c.Response().Header()
		h.Set("Cache-Control", "no-store")
		if e.HTTPStatus() == http.StatusUnauthorized {
			h.Set("WWW-Authenticate", `Bearer realm="login-with-iota"`)
		}
		if d := e.RetryAfter(); d > 0 {
			h.Set("Retry-After", strconv.Itoa(int((d+999_999_999)/1_000_000_000)))
		}
		if c.Request().Method == http.MethodHead {
			_ = c.NoContent(e.HTTPStatus())
			return
		}
		_ = c.JSON(e.HTTPStatus(), errorBody{Error: string(e.Code()), Description: e.Description(), Reason: e.Reason()})
	}
}

// describe turns any error into the *oauth.Error it is answered with.
func describe(err error) *oauth.Error {
	if e := oauth.As(err); e != nil {
		return e
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		switch he.Code {
		case http.StatusNotFound:
			return oauth.New(oauth.NotFound, "", "no such endpoint")
		case http.StatusMethodNotAllowed:
			return withStatus(oauth.New(oauth.InvalidRequest, "", "method not allowed"), he.Code)
		case http.StatusRequestEntityTooLarge:
			return withStatus(oauth.New(oauth.InvalidRequest, "", "request body too large"), he.Code)
		case http.StatusUnsupportedMediaType:
			return withStatus(oauth.New(oauth.InvalidRequest, "", "unsupported content type"), he.Code)
		}
		if he.Code >= 400 && he.Code < 500 {
			return withStatus(oauth.New(oauth.InvalidRequest, "", http.StatusText(he.Code)), he.Code)
		}
	}
	return oauth.Server(err)
}

// withStatus keeps an HTTP status other than the code's own (405, 413,
// 415) for an invalid_request.
func withStatus(e *oauth.Error, status int) *oauth.Error { return e.WithHTTPStatus(status) }

func badRequest(desc string) error {
	return oauth.New(oauth.InvalidRequest, "", desc)
}
