package safehttp

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"time"
)

// Defaults of Options.
const (
	DefaultTimeout  = 10 * time.Second
	DefaultMaxBytes = 1 << 20
)

// Options tune a Client; the zero value is the guarded default.
type Options struct {
	// Timeout bounds a whole request, dial to last body byte (default
	// DefaultTimeout).
	Timeout time.Duration
	// MaxBytes bounds the body Get reads (default DefaultMaxBytes).
	MaxBytes int64
	// AllowPrivateAddresses permits loopback, private, link-local and other
	// non-public addresses (an intranet deployment, tests). Off by default.
	AllowPrivateAddresses bool
	// AllowHTTP permits plain http:// URLs, and redirects to them. Off by
	// default: https only.
	AllowHTTP bool
	// MaxRedirects is how many redirects to follow, each hop re-checked
	// (scheme, address). 0, the default, follows none: a 3xx is ErrRedirect.
	MaxRedirects int
	// TLS is the TLS configuration (e.g. RootCAs for a private CA); nil
	// means the system roots.
	TLS *tls.Config
	// UserAgent, if set, is sent with every request.
	UserAgent string

	// allowed replaces the address check (tests: a redirect to a refused
	// address when every test server is on loopback).
	allowed func(netip.AddrPort) bool
}

// Client fetches with the checks of Options. It is safe for concurrent use.
type Client struct {
	hc        *http.Client
	timeout   time.Duration
	maxBytes  int64
	allowHTTP bool
	userAgent string
}

// New returns a guarded client.
func New(o Options) *Client {
	o = defaults(o)
	allowed := o.allowed
	if allowed == nil {
		allowed = func(ap netip.AddrPort) bool { return o.AllowPrivateAddresses || Public(ap.Addr()) }
	}
	dialer := &net.Dialer{Timeout: o.Timeout, Control: dialControl(allowed)}
	var tlsConfig *tls.Config
	if o.TLS != nil {
		tlsConfig = o.TLS.Clone()
	}
	transport := &http.Transport{
		Proxy:                  nil, // a proxy would dial for us, past the address check
		DialContext:            dialer.DialContext,
		TLSClientConfig:        tlsConfig,
		TLSHandshakeTimeout:    o.Timeout,
		ResponseHeaderTimeout:  o.Timeout,
		MaxResponseHeaderBytes: 64 << 10,
		MaxIdleConns:           16,
		IdleConnTimeout:        30 * time.Second,
		ForceAttemptHTTP2:      true, // a custom DialContext would otherwise turn HTTP/2 off
	}
	hc := &http.Client{
		Transport: transport,
		Timeout:   o.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			switch {
			case len(via) > o.MaxRedirects:
				return redirectRefused(fmt.Sprintf("more than %d redirects, next to %s", o.MaxRedirects, clip(req.URL.Redacted())))
			case !schemeAllowed(req.URL.Scheme, o.AllowHTTP):
				return redirectRefused("to " + clip(req.URL.Redacted()) + ", not https")
			}
			return nil
		},
	}
	return &Client{hc: hc, timeout: o.Timeout, maxBytes: o.MaxBytes, allowHTTP: o.AllowHTTP, userAgent: o.UserAgent}
}

// Wrap returns a Client whose Get makes its requests with hc, a client the
// caller built: its dial, proxy, TLS and redirect policy are hc's, and
// Options.AllowPrivateAddresses, MaxRedirects and TLS are ignored; Get's
// own checks (scheme, timeout, size, status, error kinds) still apply. A
// nil hc gives New(o).
func Wrap(hc *http.Client, o Options) *Client {
	if hc == nil {
		return New(o)
	}
	o = defaults(o)
	return &Client{hc: hc, timeout: o.Timeout, maxBytes: o.MaxBytes, allowHTTP: o.AllowHTTP, userAgent: o.UserAgent}
}

func defaults(o Options) Options {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxRedirects < 0 {
		o.MaxRedirects = 0
	}
	return o
}

// HTTPClient returns the underlying *http.Client, for an API that takes
// one (jsonld.Config.Client): the address check, no proxy, the redirect
// policy and the timeout come with it; the size limit and the error kinds
// are Get's.
func (c *Client) HTTPClient() *http.Client { return c.hc }

// redirectRefused is ErrRedirect as a cause, without repeating its text.
type redirectRefused string

func (r redirectRefused) Error() string        { return string(r) }
func (r redirectRefused) Is(target error) bool { return target == ErrRedirect }

func schemeAllowed(scheme string, allowHTTP bool) bool {
	return scheme == "https" || scheme == "http" && allowHTTP
}

// Get fetches rawURL, sending accept (if not empty) as the Accept header,
// and returns the body and its Content-Type. Anything but a 200 with a body
// of at most MaxBytes, in time, is an error: an *Error of one of the kinds
// of this package.
func (c *Client) Get(ctx context.Context, rawURL, accept string) ([]byte, string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, "", &Error{Kind: ErrURL, URL: clip(rawURL), Err: err}
	}
	shown := clip(u.Redacted())
	switch {
	case !schemeAllowed(u.Scheme, c.allowHTTP):
		return nil, "", &Error{Kind: ErrURL, URL: shown, Err: fmt.Errorf("scheme %q", clip(u.Scheme))}
	case u.Host == "":
		return nil, "", &Error{Kind: ErrURL, URL: shown, Err: errors.New("no host")}
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, "", &Error{Kind: ErrURL, URL: shown, Err: err}
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, "", &Error{Kind: classify(ctx, err), URL: shown, Err: cause(err)}
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		// Only a caller's own client (Wrap) hands a redirect back.
		return nil, "", &Error{Kind: ErrRedirect, URL: shown, StatusCode: resp.StatusCode}
	case resp.StatusCode != http.StatusOK:
		return nil, "", &Error{Kind: ErrStatus, URL: shown, StatusCode: resp.StatusCode}
	case resp.ContentLength > c.maxBytes:
		return nil, "", &Error{Kind: ErrTooLarge, URL: shown, Err: fmt.Errorf("Content-Length %d, limit %d", resp.ContentLength, c.maxBytes)}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBytes+1))
	if err != nil {
		return nil, "", &Error{Kind: classify(ctx, err), URL: shown, Err: err}
	}
	if int64(len(body)) > c.maxBytes {
		return nil, "", &Error{Kind: ErrTooLarge, URL: shown, Err: fmt.Errorf("more than %d bytes", c.maxBytes)}
	}
	return body, resp.Header.Get("Content-Type"), nil
}
