package verifier

import (
	"errors"
	"fmt"
	"log/slog"
)

// Error is an OAuth-style error a handler can show as is. The internal cause
// is kept for the log and never shown.
type Error struct {
	Code        string
	Description string
	Reason      string
	cause       error
}

func (e *Error) Error() string {
	if e.cause != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Description, e.cause)
	}
	return e.Code + ": " + e.Description
}

// Unwrap gives the internal cause.
func (e *Error) Unwrap() error { return e.cause }

// Is matches another *Error by Code and Reason.
func (e *Error) Is(target error) bool {
	var t *Error
	if !errors.As(target, &t) {
		return false
	}
	return t.Code == e.Code && (t.Reason == "" || t.Reason == e.Reason)
}

// LogValue keeps the log line structured.
func (e *Error) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("code", e.Code), slog.String("description", e.Description)}
	if e.Reason != "" {
		attrs = append(attrs, slog.String("reason", e.Reason))
	}
	if e.cause != nil {
		attrs = append(attrs, slog.String("cause", e.cause.Error()))
	}
	return slog.GroupValue(attrs...)
}

func invalidRequest(reason, format string, args ...any) *Error {
	return &Error{Code: CodeInvalidRequest, Reason: reason, Description: fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) *Error {
	return &Error{Code: CodeNotFound, Description: fmt.Sprintf(format, args...)}
}

func unavailable(cause error) *Error {
	return &Error{Code: CodeUnavailable, Description: "the session store is unavailable, try again shortly", cause: cause}
}

func serverError(cause error) *Error {
	return &Error{Code: CodeServerError, Description: "internal error", cause: cause}
}

// ErrUnauthorized is answered for a status read without a valid token; it is
// the same for an unknown session so nothing is revealed.
func errUnauthorized() *Error {
	return &Error{Code: CodeUnauthorized, Description: "a valid status token or session cookie is required"}
}
