package web

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/internal/safehttp"
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
	client *safehttp.Client
}

var _ did.Resolver = (*Resolver)(nil)

// maxRedirects: DID resolvers in the field follow redirects (a host moved
// to a CDN, a trailing-slash fix), and a hop reaches nothing the DID could
// not have named itself: each is re-checked (https only, public address).
const maxRedirects = 3

// New returns a did:web resolver.
func New(opts Options) *Resolver {
	if opts.Timeout <= 0 {
		opts.Timeout = 5 * time.Second
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = 64 << 10
	}
	return &Resolver{client: safehttp.New(safehttp.Options{
		Timeout:               opts.Timeout,
		MaxBytes:              opts.MaxBytes,
		AllowPrivateAddresses: opts.AllowPrivateAddresses,
		MaxRedirects:          maxRedirects,
		TLS:                   opts.TLS,
	})}
}

// URL returns the HTTPS URL of a did:web's document (did:web §3.2.1).
func URL(id string) (string, error) {
	id, _ = did.Split(id)
	msi, ok := strings.CutPrefix(id, Prefix)
	if !ok {
		return "", fmt.Errorf("%w: not a did:web", did.ErrInvalidDID)
	}
	if _, err := did.Method(id); err != nil {
		return "", err
	}
	parts := strings.Split(msi, ":")
	host, err := url.PathUnescape(parts[0])
	if err != nil || !validHost(host) {
		return "", fmt.Errorf("%w: did:web host %q is not a host name or address", did.ErrInvalidDID, clip(parts[0]))
	}
	path := "/.well-known"
	if len(parts) > 1 {
		var b strings.Builder
		for _, p := range parts[1:] {
			seg, err := url.PathUnescape(p)
			if err != nil || seg == "" || seg == "." || seg == ".." || strings.ContainsAny(seg, "/?#\\") {
				return "", fmt.Errorf("%w: did:web path segment %q is not allowed", did.ErrInvalidDID, clip(p))
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
// did.ErrInvalidDID, did.ErrNotFound (HTTP 404 or 410), did.ErrInvalidDocument
// or did.ErrResolutionFailed, and, for a failed fetch, a *safehttp.Error
// whose kind says what failed (ErrAddressNotAllowed among them). They name
// the document's URL, not the DID: the caller (did.Registry) names that.
func (r *Resolver) Resolve(ctx context.Context, id string) (*did.Document, error) {
	u, err := URL(id)
	if err != nil {
		return nil, err
	}
	raw, _, err := r.client.Get(ctx, u, "application/did+json, application/did+ld+json, application/json")
	if err != nil {
		var e *safehttp.Error
		if errors.As(err, &e) && e.Kind == safehttp.ErrStatus &&
			(e.StatusCode == http.StatusNotFound || e.StatusCode == http.StatusGone) {
			return nil, fmt.Errorf("%w: %w", did.ErrNotFound, err)
		}
		return nil, fmt.Errorf("%w: %w", did.ErrResolutionFailed, err)
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
