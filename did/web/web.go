package web

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/loginwithiota/verifier/did"
)

// Prefix is the scheme and method of every did:web.
const Prefix = "did:web:"

// Options tune the resolver; the zero value is the safe default.
type Options struct {
	// Timeout bounds one resolution, connection to last byte (default 5s).
	Timeout time.Duration
	// MaxBytes bounds the document (default 64 KiB).
	MaxBytes int64
	// AllowPrivateAddresses permits loopback, private and link-local hosts
	// (an intranet deployment, tests). Off by default.
	AllowPrivateAddresses bool
	// TLS is the client's TLS configuration (e.g. RootCAs for a private
	// CA); nil means the system roots.
	TLS *tls.Config
}

// Resolver resolves did:web DIDs over HTTPS. It is safe for concurrent use.
type Resolver struct {
	client   *http.Client
	timeout  time.Duration
	maxBytes int64
}

var _ did.Resolver = (*Resolver)(nil)

// New returns a did:web resolver.
func New(opts Options) *Resolver {
	if opts.Timeout <= 0 {
		opts.Timeout = 5 * time.Second
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = 64 << 10
	}
	dialer := &net.Dialer{Timeout: opts.Timeout, Control: dialControl(opts.AllowPrivateAddresses)}
	transport := &http.Transport{
		Proxy:                 nil, // a proxy would dial for us, past the address check
		DialContext:           dialer.DialContext,
		TLSClientConfig:       opts.TLS,
		TLSHandshakeTimeout:   opts.Timeout,
		ResponseHeaderTimeout: opts.Timeout,
		MaxIdleConns:          16,
		IdleConnTimeout:       30 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	return &Resolver{
		client: &http.Client{
			Transport: transport,
			Timeout:   opts.Timeout,
			CheckRedirect: func(req *http.Request, via []*http.Request) error {
				if req.URL.Scheme != "https" {
					return errors.New("redirect away from HTTPS")
				}
				if len(via) >= 3 {
					return errors.New("too many redirects")
				}
				return nil
			},
		},
		timeout:  opts.Timeout,
		maxBytes: opts.MaxBytes,
	}
}

// URL returns the HTTPS URL of a did:web's document (did:web §3.2.1).
func URL(id string) (string, error) {
	id, _ = did.Split(id)
	msi, ok := strings.CutPrefix(id, Prefix)
	if !ok {
		return "", fmt.Errorf("%w: %q is not a did:web", did.ErrInvalidDID, clip(id))
	}
	if _, err := did.Method(id); err != nil {
		return "", err
	}
	parts := strings.Split(msi, ":")
	host, err := url.PathUnescape(parts[0])
	if err != nil || !validHost(host) {
		return "", fmt.Errorf("%w: %q: bad host", did.ErrInvalidDID, clip(id))
	}
	path := "/.well-known"
	if len(parts) > 1 {
		var b strings.Builder
		for _, p := range parts[1:] {
			seg, err := url.PathUnescape(p)
			if err != nil || seg == "" || seg == "." || seg == ".." || strings.ContainsAny(seg, "/?#\\") {
				return "", fmt.Errorf("%w: %q: bad path segment", did.ErrInvalidDID, clip(id))
			}
			b.WriteString("/" + url.PathEscape(seg))
		}
		path = b.String()
	}
	return "https://" + host + path + "/did.json", nil
}

// validHost: a DNS name or IP literal with an optional port; no userinfo.
func validHost(h string) bool {
	if h == "" || strings.ContainsAny(h, "/?#@\\ ") {
		return false
	}
	u, err := url.Parse("https://" + h + "/")
	return err == nil && u.Host == h && u.Hostname() != ""
}

// Resolve fetches and parses the document of a did:web. Errors wrap
// did.ErrInvalidDID, did.ErrNotFound, or did.ErrResolutionFailed (and
// ErrAddressNotAllowed when that was the cause).
func (r *Resolver) Resolve(ctx context.Context, id string) (*did.Document, error) {
	u, err := URL(id)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", did.ErrInvalidDID, err)
	}
	req.Header.Set("Accept", "application/did+json, application/did+ld+json, application/json")
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: GET %s: %w", did.ErrResolutionFailed, u, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		return nil, fmt.Errorf("%w: GET %s: %s", did.ErrNotFound, u, resp.Status)
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("%w: GET %s: %s", did.ErrResolutionFailed, u, resp.Status)
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, r.maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: GET %s: %w", did.ErrResolutionFailed, u, err)
	}
	if int64(len(raw)) > r.maxBytes {
		return nil, fmt.Errorf("%w: GET %s: document larger than %d bytes", did.ErrResolutionFailed, u, r.maxBytes)
	}
	doc, err := did.ParseDocument(raw)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", u, err)
	}
	return doc, nil
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
