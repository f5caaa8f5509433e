package safehttp

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/url"
	"strconv"
)

// The kinds of failure, a closed set: every error Get returns is an *Error
// whose Kind is one of these. Their texts name no host, address or cause;
// the *Error around them, which does, is for logs. Telling a wallet
// ErrAddressNotAllowed apart from ErrUnreachable (or ErrTLS, ErrTimeout)
// would still say whether a name resolves inside our network: a
// wallet-facing text should merge them.
var (
	// ErrURL: the URL is malformed or its scheme is not allowed.
	ErrURL = errors.New("URL not allowed")
	// ErrAddressNotAllowed: the host resolves to a non-public address (or a
	// redirect led to one) and private addresses are not allowed.
	ErrAddressNotAllowed = errors.New("host is not at a public address")
	// ErrUnreachable: DNS found no address, the connection was refused or
	// lost, or the server spoke no HTTP.
	ErrUnreachable = errors.New("host unreachable")
	// ErrTLS: the TLS handshake failed (untrusted or mismatched
	// certificate, protocol error).
	ErrTLS = errors.New("TLS handshake failed")
	// ErrTimeout: the request did not complete in time, or its context
	// ended (errors.Is(err, context.Canceled) tells a cancellation apart).
	ErrTimeout = errors.New("request timed out")
	// ErrRedirect: the server redirected and the redirect was not followed
	// (none allowed, too many, or away from an allowed scheme).
	ErrRedirect = errors.New("redirect not followed")
	// ErrStatus: the answer's status was not 200 OK; Error.StatusCode has it.
	ErrStatus = errors.New("unexpected HTTP status")
	// ErrTooLarge: the body exceeds the size limit.
	ErrTooLarge = errors.New("response too large")
)

// Error is a failed fetch: Kind says what failed, Err (possibly nil) is the
// raw cause. errors.Is matches both.
type Error struct {
	Kind       error
	Method     string // empty: GET
	URL        string // as requested, without userinfo, clipped
	StatusCode int    // the answer's status, when there was one
	Err        error
}

func (e *Error) Error() string {
	method := e.Method
	if method == "" {
		method = "GET"
	}
	s := method + " " + e.URL + ": " + e.Kind.Error()
	if e.StatusCode != 0 {
		s += " (HTTP " + strconv.Itoa(e.StatusCode) + ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// Kind returns the kind of the *Error in err's chain (one of the Err*
// sentinels of this package), or nil if there is none.
func Kind(err error) error {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return nil
}

// classify turns a transport error into a kind. ctx is the request's.
func classify(ctx context.Context, err error) error {
	var (
		netErr  net.Error
		certErr *tls.CertificateVerificationError
		unknown x509.UnknownAuthorityError
		host    x509.HostnameError
		invalid x509.CertificateInvalidError
		record  tls.RecordHeaderError
		alert   tls.AlertError
	)
	switch {
	// Our own refusals first: they are wrapped deep in url and net errors.
	case errors.Is(err, ErrAddressNotAllowed):
		return ErrAddressNotAllowed
	case errors.Is(err, ErrRedirect):
		return ErrRedirect
	case ctx.Err() != nil, errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled),
		errors.As(err, &netErr) && netErr.Timeout():
		return ErrTimeout
	case errors.As(err, &certErr), errors.As(err, &unknown), errors.As(err, &host), errors.As(err, &invalid),
		errors.As(err, &record), errors.As(err, &alert):
		return ErrTLS
	}
	return ErrUnreachable
}

// cause strips the *url.Error around a client error: it only repeats the
// method and URL that Error already names.
func cause(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// clip bounds a URL quoted in errors: it may come from a wallet.
func clip(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}
