package web

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/loginwithiota/verifier/verifier"
)

// errorBody is the OAuth-style error every endpoint answers with.
type errorBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
	Reason      string `json:"reason,omitempty"`
}

var httpStatus = map[string]int{
	verifier.CodeInvalidRequest: http.StatusBadRequest,
	verifier.CodeAccessDenied:   http.StatusBadRequest,
	verifier.CodeNotFound:       http.StatusNotFound,
	verifier.CodeUnauthorized:   http.StatusUnauthorized,
	verifier.CodeUnavailable:    http.StatusServiceUnavailable,
	verifier.CodeServerError:    http.StatusInternalServerError,
}

// errorHandler is the one place errors become responses. Unknown errors
// become server_error with a generic text; their cause goes to the log only.
func errorHandler(log *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		status, body := describe(err)
		ctx := c.Request().Context()
		if status >= 500 {
			log.ErrorContext(ctx, "request failed", "method", c.Request().Method, "path", c.Path(), "status", status, "err", err)
		} else {
			log.DebugContext(ctx, "request rejected", "method", c.Request().Method, "path", c.Path(), "status", status, "err", err)
		}
		h := c.Response().Header()
		h.Set("Cache-Control", "no-store")
		if status == http.StatusUnauthorized {
			h.Set("WWW-Authenticate", `Bearer realm="login-with-iota"`)
		}
		if c.Request().Method == http.MethodHead {
			_ = c.NoContent(status)
			return
		}
		_ = c.JSON(status, body)
	}
}

func describe(err error) (int, errorBody) {
	var ve *verifier.Error
	if errors.As(err, &ve) {
		status, ok := httpStatus[ve.Code]
		if !ok {
			// A wallet's own error code (e.g. a declining holder's) is a rejection.
			status = http.StatusBadRequest
		}
		return status, errorBody{Error: ve.Code, Description: ve.Description, Reason: ve.Reason}
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		switch he.Code {
		case http.StatusNotFound:
			return he.Code, errorBody{Error: verifier.CodeNotFound, Description: "no such endpoint"}
		case http.StatusMethodNotAllowed:
			return he.Code, errorBody{Error: verifier.CodeInvalidRequest, Description: "method not allowed"}
		case http.StatusRequestEntityTooLarge:
			return he.Code, errorBody{Error: verifier.CodeInvalidRequest, Description: "request body too large"}
		case http.StatusUnsupportedMediaType:
			return he.Code, errorBody{Error: verifier.CodeInvalidRequest, Description: "unsupported content type"}
		}
		if he.Code >= 400 && he.Code < 500 {
			return he.Code, errorBody{Error: verifier.CodeInvalidRequest, Description: http.StatusText(he.Code)}
		}
	}
	return http.StatusInternalServerError, errorBody{Error: verifier.CodeServerError, Description: "internal error"}
}

func badRequest(desc string) error {
	return &verifier.Error{Code: verifier.CodeInvalidRequest, Description: desc}
}
