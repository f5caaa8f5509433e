package jsonld

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/loginwithiota/verifier/internal/safehttp"
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
		// Guarded: public addresses only, no proxy, and no redirect, which
		// would leave the allow-list.
		l.client = safehttp.New(safehttp.Options{Timeout: l.timeout, AllowHTTP: true}).HTTPClient()
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
	// The allow-list has chosen the URL, scheme included; safehttp bounds
	// time and size and classifies failures (safehttp.Kind).
	c := safehttp.Wrap(l.client, safehttp.Options{Timeout: l.timeout, MaxBytes: l.maxBytes, AllowHTTP: true})
	raw, _, err := c.Get(context.Background(), u, "application/ld+json, application/json")
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrContextFetch, err)
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
