package status

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// Fetcher fetches a status list credential.
type Fetcher interface {
	Fetch(ctx context.Context, url string) (body []byte, contentType string, err error)
}

// ErrFetch: a status list could not be fetched (it is also ErrUnknown).
var ErrFetch = errors.New("status list fetch failed")

// Defaults of HTTPFetcher.
const (
	DefaultFetchTimeout  = 10 * time.Second
	DefaultFetchMaxBytes = 1 << 20
)

// HTTPFetcher fetches over HTTPS with a timeout and a size limit.
type HTTPFetcher struct {
	Client    *http.Client  // nil: http.DefaultClient
	Timeout   time.Duration // per fetch (0: DefaultFetchTimeout)
	MaxBytes  int64         // response body limit (0: DefaultFetchMaxBytes)
	AllowHTTP bool          // also plain http:// URLs (tests, internal lists)
}

var _ Fetcher = (*HTTPFetcher)(nil)

// Fetch GETs rawURL, asking for a credential. Errors wrap ErrFetch.
func (f *HTTPFetcher) Fetch(ctx context.Context, rawURL string) ([]byte, string, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" || !(u.Scheme == "https" || u.Scheme == "http" && f.AllowHTTP) {
		return nil, "", fmt.Errorf("%w: %q is not an https URL", ErrFetch, clip(rawURL))
	}
	timeout, maxBytes, client := f.Timeout, f.MaxBytes, f.Client
	if timeout <= 0 {
		timeout = DefaultFetchTimeout
	}
	if maxBytes <= 0 {
		maxBytes = DefaultFetchMaxBytes
	}
	if client == nil {
		client = http.DefaultClient
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %v", ErrFetch, err)
	}
	req.Header.Set("Accept", "application/vc+jwt, application/vc+ld+json, application/vc, application/jwt, application/json;q=0.5")
	resp, err := client.Do(req)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %s: %w", ErrFetch, clip(rawURL), err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("%w: %s: HTTP status %d", ErrFetch, clip(rawURL), resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return nil, "", fmt.Errorf("%w: %s: %w", ErrFetch, clip(rawURL), err)
	}
	if int64(len(body)) > maxBytes {
		return nil, "", fmt.Errorf("%w: %s: larger than %d bytes", ErrFetch, clip(rawURL), maxBytes)
	}
	return body, resp.Header.Get("Content-Type"), nil
}
