package handler

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/loginwithiota/verifier/oauth"
)

// errorBody is RFC 6749 §5.2's error response.
type errorBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

// errorHandler is the one place errors become answers. Unknown errors are
// server_error with a generic text; causes go to the log only.
func errorHandler(log *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		e := describe(err)
		ctx := c.Request().Context()
		level := e.Level()
		if level < slog.LevelWarn {
			level = slog.LevelDebug // a client's mistake: the access line says enough
		}
		log.Log(ctx, level, "request failed", "method", c.Request().Method, "route", c.Path(), "status", e.HTTPStatus(), "err", e)
		h := c.Response().Header()
		h.Set("Cache-Control", "no-store")
		switch e.Code() {
		case oauth.InvalidToken, oauth.InsufficientScope:
			// RFC 6750 §3: "the resource server MUST include the HTTP
			// WWW-Authenticate response header field".
			h.Set("WWW-Authenticate", `Bearer error="`+string(e.Code())+`", error_description="`+headerSafe(e.Description())+`"`)
		case oauth.InvalidClient, oauth.Unauthorized:
			h.Set("WWW-Authenticate", `Bearer realm="login-with-iota-issuer"`)
		}
		if d := e.RetryAfter(); d > 0 {
			h.Set("Retry-After", strconv.Itoa(int((d+999_999_999)/1_000_000_000)))
		}
		if c.Request().Method == http.MethodHead {
			_ = c.NoContent(e.HTTPStatus())
			return
		}
		_ = c.JSON(e.HTTPStatus(), errorBody{Error: string(e.Code()), Description: e.Description()})
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
			return oauth.New(oauth.InvalidRequest, "", "method not allowed").WithHTTPStatus(he.Code)
		case http.StatusRequestEntityTooLarge:
			return oauth.New(oauth.InvalidRequest, "", "request body too large").WithHTTPStatus(he.Code)
		}
		if he.Code >= 400 && he.Code < 500 {
			return oauth.New(oauth.InvalidRequest, "", http.StatusText(he.Code)).WithHTTPStatus(he.Code)
		}
	}
	return oauth.Server(err)
}

// headerSafe keeps a description inside a quoted-string.
func headerSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return -1
		}
		return r
	}, s)
}

// bodyError maps a body read error: too large is 413, else 400 with code.
func bodyError(err error, code oauth.Code) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge)
	}
	return oauth.New(code, "", "the request body could not be read")
}

func digest(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// sameSecret compares two secrets in constant time (their digests, so
// the length of the expected one does not leak either).
func sameSecret(got string, want []byte) bool {
	return subtle.ConstantTimeCompare(digest(got), want) == 1
}
