package status

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/loginwithiota/verifier/internal/safehttp"
)

// Fetcher fetches a status list credential or a Status List Token.
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

// fetchRedirects: a list URL is the issuer's choice, as is where it
// redirects, and lists are served from CDNs and static hosts that do; each
// hop is re-checked (scheme, public address), so one reaches nothing the
// URL could not have named itself.
const fetchRedirects = 3

// HTTPFetcher fetches through internal/safehttp: HTTPS only, public
// addresses only, no proxy, up to 3 redirects each re-checked, a timeout
// and a size limit. Set its fields before the first Fetch.
type HTTPFetcher struct {
	// Client, if set, makes the requests instead: its dial, proxy, TLS and
	// redirect policy are its own (AllowPrivateAddresses and TLS are then
	// ignored); the scheme, size, status checks and error kinds still apply.
	// Nil, the default and the safe choice: a guarded client.
	Client    *http.Client
	Timeout   time.Duration // per fetch (0: DefaultFetchTimeout)
	MaxBytes  int64         // response body limit (0: DefaultFetchMaxBytes)
	AllowHTTP bool          // also plain http:// URLs (tests, internal lists)
	// AllowPrivateAddresses permits lists on loopback, private and other
	// non-public addresses (an intranet issuer, tests).
	AllowPrivateAddresses bool
	// TLS is the TLS configuration (e.g. RootCAs with a private CA); nil
	// means the system roots.
	TLS *tls.Config

	once   sync.Once
	client *safehttp.Client
}

var _ Fetcher = (*HTTPFetcher)(nil)

// Fetch GETs rawURL, asking for a credential or a Status List Token. Errors wrap ErrFetch and a
// *safehttp.Error whose kind (safehttp.Kind) says what failed.
func (f *HTTPFetcher) Fetch(ctx context.Context, rawURL string) ([]byte, string, error) {
	f.once.Do(func() {
		timeout, maxBytes := f.Timeout, f.MaxBytes
		if timeout <= 0 {
			timeout = DefaultFetchTimeout
		}
		if maxBytes <= 0 {
			maxBytes = DefaultFetchMaxBytes
		}
		f.client = safehttp.Wrap(f.Client, safehttp.Options{Timeout: timeout, MaxBytes: maxBytes, AllowHTTP: f.AllowHTTP,
			AllowPrivateAddresses: f.AllowPrivateAddresses, TLS: f.TLS, MaxRedirects: fetchRedirects})
	})
	body, contentType, err := f.client.Get(ctx, rawURL,
		"application/vc+jwt, application/vc+ld+json, application/vc, application/statuslist+jwt, application/jwt, application/json;q=0.5")
	if err != nil {
		return nil, "", fmt.Errorf("%w: %w", ErrFetch, err)
	}
	return body, contentType, nil
}
