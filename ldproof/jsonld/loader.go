package jsonld

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/piprate/json-gold/ld"
)

// Loader is the json-gold document loader: built-in contexts, then the
// operator's local ones, then allow-listed remote ones (fetched once per
// CacheTTL); anything else is refused with ErrContextNotAllowed. It is safe
// for concurrent use.
type Loader struct {
	local    map[string]any
	allow    []string
	client   *http.Client
	timeout  time.Duration
	maxBytes int64
	ttl      time.Duration
	now      func() time.Time

	mu     sync.Mutex
	remote map[string]remoteDoc
}

type remoteDoc struct {
	doc     any
	expires time.Time
}

var _ ld.DocumentLoader = (*Loader)(nil)

// maxRemoteCached bounds the cache of fetched contexts; allow-listed
// prefixes could otherwise make it grow with every URL a wallet names.
const maxRemoteCached = 256

func newLoader(cfg Config) (*Loader, error) {
	base, err := embeddedDocs()
	if err != nil {
		return nil, err
	}
	local := make(map[string]any, len(base)+len(cfg.Contexts))
	for u, d := range base {
		local[u] = d
	}
	for u, raw := range cfg.Contexts {
		doc, err := decodeContext(raw)
		if err != nil {
			return nil, fmt.Errorf("jsonld: context %s: %w", u, err)
		}
		local[u] = doc
	}
	for _, a := range cfg.AllowRemote {
		if !strings.HasPrefix(a, "https://") && !strings.HasPrefix(a, "http://") {
			return nil, fmt.Errorf("jsonld: allow-listed context %q is not an http(s) URL", a)
		}
	}
	l := &Loader{
		local:    local,
		allow:    cfg.AllowRemote,
		client:   cfg.Client,
		timeout:  cfg.Timeout,
		maxBytes: cfg.MaxBytes,
		ttl:      cfg.CacheTTL,
		now:      cfg.Now,
		remote:   make(map[string]remoteDoc),
	}
	if l.timeout <= 0 {
		l.timeout = 5 * time.Second
	}
	if l.maxBytes <= 0 {
		l.maxBytes = 256 << 10
	}
	if l.ttl <= 0 {
		l.ttl = 24 * time.Hour
	}
	if l.now == nil {
		l.now = time.Now
	}
	if l.client == nil {
		l.client = &http.Client{
			Timeout: l.timeout,
			CheckRedirect: func(req *http.Request, via []*http.Request) error {
				if len(via) >= 5 {
					return errors.New("too many redirects")
				}
				return nil
			},
		}
	}
	return l, nil
}

// LoadDocument implements ld.DocumentLoader.
func (l *Loader) LoadDocument(u string) (*ld.RemoteDocument, error) {
	if doc, ok := l.local[u]; ok {
		return &ld.RemoteDocument{DocumentURL: u, Document: doc}, nil
	}
	if !l.allowed(u) {
		return nil, fmt.Errorf("%w: %s", ErrContextNotAllowed, clip(u))
	}
	now := l.now()
	l.mu.Lock()
	cached, ok := l.remote[u]
	l.mu.Unlock()
	if ok && now.Before(cached.expires) {
		return &ld.RemoteDocument{DocumentURL: u, Document: cached.doc}, nil
	}
	doc, err := l.fetch(u)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	if len(l.remote) >= maxRemoteCached {
		for k, v := range l.remote { // drop expired entries, else one at random
			if !now.Before(v.expires) {
				delete(l.remote, k)
			}
		}
		for k := range l.remote {
			if len(l.remote) < maxRemoteCached {
				break
			}
			delete(l.remote, k)
		}
	}
	l.remote[u] = remoteDoc{doc: doc, expires: now.Add(l.ttl)}
	l.mu.Unlock()
	return &ld.RemoteDocument{DocumentURL: u, Document: doc}, nil
}

// allowed: an exact allow-list entry, or one ending in "/" that u extends.
func (l *Loader) allowed(u string) bool {
	for _, a := range l.allow {
		if u == a || strings.HasSuffix(a, "/") && strings.HasPrefix(u, a) {
			return true
		}
	}
	return false
}

func (l *Loader) fetch(u string) (any, error) {
	ctx, cancel := context.WithTimeout(context.Background(), l.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrContextFetch, clip(u), err)
	}
	req.Header.Set("Accept", "application/ld+json, application/json")
	resp, err := l.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrContextFetch, clip(u), err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w: %s: HTTP %s", ErrContextFetch, clip(u), resp.Status)
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, l.maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrContextFetch, clip(u), err)
	}
	if int64(len(raw)) > l.maxBytes {
		return nil, fmt.Errorf("%w: %s: larger than %d bytes", ErrContextFetch, clip(u), l.maxBytes)
	}
	doc, err := decodeContext(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrContextFetch, clip(u), err)
	}
	return doc, nil
}

// clip bounds wallet-supplied text quoted in errors.
func clip(s string) string {
	if len(s) > 120 {
		return s[:120] + "…"
	}
	return s
}
