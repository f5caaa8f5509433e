package oauth

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// Code is an error code we answer with.
type Code string

// The closed set of codes. RFC 6749 §5.2 and §4.1.2.1 define the OAuth
// ones; not_found, unauthorized and rate_limited are the website API's;
// the token, protected-resource and credential endpoint codes below are
// the issuer's.
const (
	// InvalidRequest: "The request is missing a required parameter,
	// includes an invalid parameter value ... or is otherwise malformed."
	InvalidRequest Code = "invalid_request"
	// AccessDenied: the resource owner or the server denied the request.
	AccessDenied Code = "access_denied"
	// NotFound: an unknown definition, session or endpoint.
	NotFound Code = "not_found"
	// Unauthorized: a read without a valid token or cookie.
	Unauthorized Code = "unauthorized"
	// RateLimited: too many requests from one client.
	RateLimited Code = "rate_limited"
	// TemporarilyUnavailable: "The authorization server is currently unable
	// to handle the request due to a temporary overloading or maintenance."
	TemporarilyUnavailable Code = "temporarily_unavailable"
	// ServerError: anything unexpected; the cause goes to the log only.
	ServerError Code = "server_error"
)

// Token endpoint codes (RFC 6749 §5.2), as OID4VCI 1.0 §6.3 uses them for
// the pre-authorized code flow.
const (
	// InvalidGrant: "The provided authorization grant ... is invalid,
	// expired, revoked ... or was issued to another client"; OID4VCI: a
	// wrong, expired or used pre-authorized code, or a wrong tx_code.
	InvalidGrant Code = "invalid_grant"
	// InvalidClient: "Client authentication failed".
	InvalidClient Code = "invalid_client"
	// UnsupportedGrantType: "The authorization grant type is not supported
	// by the authorization server."
	UnsupportedGrantType Code = "unsupported_grant_type"
)

// Protected resource codes (RFC 6750 §3.1), for the credential endpoint's
// access token.
const (
	// InvalidToken: "The access token provided is expired, revoked,
	// malformed, or invalid for other reasons." (401)
	InvalidToken Code = "invalid_token"
	// InsufficientScope: "The request requires higher privileges than
	// provided by the access token." (403)
	InsufficientScope Code = "insufficient_scope"
)

// Credential endpoint codes (OID4VCI 1.0 §8.3.1.2): "the specific error
// codes from this section MUST be used instead of the generic
// invalid_request".
const (
	// InvalidCredentialRequest: "missing a required parameter, includes an
	// unsupported parameter or parameter value, repeats the same parameter,
	// or is otherwise malformed."
	InvalidCredentialRequest Code = "invalid_credential_request"
	// UnknownCredentialConfiguration: "Requested Credential Configuration
	// is unknown."
	UnknownCredentialConfiguration Code = "unknown_credential_configuration"
	// UnknownCredentialIdentifier: "Requested Credential identifier is
	// unknown."
	UnknownCredentialIdentifier Code = "unknown_credential_identifier"
	// InvalidProof: "The proofs parameter in the Credential Request is
	// invalid".
	InvalidProof Code = "invalid_proof"
	// InvalidNonce: "at least one of the key proofs contains an invalid
	// c_nonce value. The wallet should retrieve a new c_nonce value".
	InvalidNonce Code = "invalid_nonce"
	// InvalidEncryptionParameters: "the encryption parameters in the
	// Credential Request are either invalid or missing".
	InvalidEncryptionParameters Code = "invalid_encryption_parameters"
	// CredentialRequestDenied: "The Credential Request has not been
	// accepted by the Credential Issuer."
	CredentialRequestDenied Code = "credential_request_denied"
)

// status is the HTTP status of each code.
var status = map[Code]int{
	InvalidRequest:         http.StatusBadRequest,
	AccessDenied:           http.StatusForbidden,
	NotFound:               http.StatusNotFound,
	Unauthorized:           http.StatusUnauthorized,
	RateLimited:            http.StatusTooManyRequests,
	TemporarilyUnavailable: http.StatusServiceUnavailable,
	ServerError:            http.StatusInternalServerError,

	InvalidGrant:         http.StatusBadRequest,
	InvalidClient:        http.StatusUnauthorized,
	UnsupportedGrantType: http.StatusBadRequest,

	InvalidToken:      http.StatusUnauthorized,
	InsufficientScope: http.StatusForbidden,

	// OID4VCI 1.0 §8.3.1.2: "the HTTP response MUST use the HTTP status
	// code 400 (Bad Request)".
	InvalidCredentialRequest:       http.StatusBadRequest,
	UnknownCredentialConfiguration: http.StatusBadRequest,
	UnknownCredentialIdentifier:    http.StatusBadRequest,
	InvalidProof:                   http.StatusBadRequest,
	InvalidNonce:                   http.StatusBadRequest,
	InvalidEncryptionParameters:    http.StatusBadRequest,
	CredentialRequestDenied:        http.StatusBadRequest,
}

// Error is an error answer. Build it with the constructors; its fields
// are read through methods so that nothing outside this package makes one
// up.
type Error struct {
	code        Code
	reason      string
	description string
	cause       error
	retryAfter  time.Duration
	httpStatus  int // 0: the code's
}

// New returns an error with code, a reason (the verifier's machine-readable
// word for which check failed; may be empty) and a description that is
// shown as it is. It panics on a code outside the closed set: that is a
// programming error, not an input error.
func New(code Code, reason, description string) *Error {
	if _, ok := status[code]; !ok {
		panic(fmt.Sprintf("oauth: %q is not one of our error codes", code))
	}
	return &Error{code: code, reason: reason, description: description}
}

// Newf is New with a formatted description. Never format an error's text
// into it: causes go in WithCause.
func Newf(code Code, reason, format string, args ...any) *Error {
	return New(code, reason, fmt.Sprintf(format, args...))
}

// Invalid is an invalid_request with a reason.
func Invalid(reason, format string, args ...any) *Error {
	return Newf(InvalidRequest, reason, format, args...)
}

// Server is a server_error with a generic description and cause hidden.
func Server(cause error) *Error {
	return New(ServerError, "", "internal error").WithCause(cause)
}

// Unavailable is a temporarily_unavailable; retryAfter, when positive,
// becomes the Retry-After header.
func Unavailable(description string, retryAfter time.Duration, cause error) *Error {
	e := New(TemporarilyUnavailable, "", description).WithCause(cause)
	e.retryAfter = retryAfter
	return e
}

// WithCause returns a copy of e that keeps cause for the log.
func (e *Error) WithCause(cause error) *Error {
	c := *e
	c.cause = cause
	return &c
}

// WithRetryAfter returns a copy of e asking the client to retry after d.
func (e *Error) WithRetryAfter(d time.Duration) *Error {
	c := *e
	c.retryAfter = d
	return &c
}

// WithHTTPStatus returns a copy of e answered with another 4xx status
// than its code's (405, 413, 415 are invalid requests too).
func (e *Error) WithHTTPStatus(status int) *Error {
	c := *e
	c.httpStatus = status
	return &c
}

// Code is the error code.
func (e *Error) Code() Code { return e.code }

// Reason is the verifier's reason ("" if none).
func (e *Error) Reason() string { return e.reason }

// Description is the text shown to the client.
func (e *Error) Description() string { return e.description }

// RetryAfter is how long the client should wait before retrying (0: not said).
func (e *Error) RetryAfter() time.Duration { return e.retryAfter }

// HTTPStatus is the status the error is answered with.
func (e *Error) HTTPStatus() int {
	if e.httpStatus != 0 {
		return e.httpStatus
	}
	return status[e.code]
}

// Level is the log level the error deserves: a server fault is an error,
// an unavailable dependency a warning, a client's mistake information.
func (e *Error) Level() slog.Level {
	switch e.code {
	case ServerError:
		return slog.LevelError
	case TemporarilyUnavailable:
		return slog.LevelWarn
	}
	return slog.LevelInfo
}

func (e *Error) Error() string {
	s := string(e.code)
	if e.reason != "" {
		s += " (" + e.reason + ")"
	}
	s += ": " + e.description
	if e.cause != nil {
		s += ": " + e.cause.Error()
	}
	return s
}

// Unwrap gives the hidden cause.
func (e *Error) Unwrap() error { return e.cause }

// Is matches another *Error by code and, when the target has one, reason.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok {
		return false
	}
	return t.code == e.code && (t.reason == "" || t.reason == e.reason)
}

// LogValue keeps the log line structured; the cause is logged here only.
func (e *Error) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("code", string(e.code)), slog.String("description", e.description)}
	if e.reason != "" {
		attrs = append(attrs, slog.String("reason", e.reason))
	}
	if e.cause != nil {
		attrs = append(attrs, slog.String("cause", e.cause.Error()))
	}
	return slog.GroupValue(attrs...)
}

// As returns err's *Error, or nil when it has none.
func As(err error) *Error {
	if e, ok := errors.AsType[*Error](err); ok {
		return e
	}
	return nil
}

// From is err's *Error, or a server_error hiding err: what a handler
// answers for any error.
func From(err error) *Error {
	if e := As(err); e != nil {
		return e
	}
	return Server(err)
}
