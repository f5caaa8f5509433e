package did

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// Cache is a Resolver in front of another that keeps resolved documents
// for a time to live, so a DID that every login names (an issuer's) is not
// fetched for each one, and merges concurrent lookups of one DID into one
// inner resolution. Failures are not cached. It is safe for concurrent
// use. Pinned documents need no cache: the Registry holds them.
type Cache struct {
	inner   Resolver
	ttl     time.Duration
	max     int
	timeout time.Duration
	now     func() time.Time
	group   singleflight.Group
	hook    func(hit bool)

	mu      sync.Mutex
	entries map[string]cached
}

type cached struct {
	doc     *Document
	expires time.Time
}

// CacheOptions tune a Cache.
type CacheOptions struct {
	TTL        time.Duration // default 5m
	MaxEntries int           // default 1000
	// Timeout bounds a shared resolution, which no single caller's context
	// cancels (default 30s; the inner resolver's own timeout is usually
	// shorter).
	Timeout time.Duration
	Now     func() time.Time // default time.Now
	// OnLookup, when set, is told of every Resolve whether the cache
	// answered it (hit) or the inner resolver is asked (metrics).
	OnLookup func(hit bool)
}

var _ Resolver = (*Cache)(nil)

// NewCache wraps inner.
func NewCache(inner Resolver, o CacheOptions) *Cache {
	if o.TTL <= 0 {
		o.TTL = 5 * time.Minute
	}
	if o.MaxEntries <= 0 {
		o.MaxEntries = 1000
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Cache{inner: inner, ttl: o.TTL, max: o.MaxEntries, timeout: o.Timeout, now: o.Now, entries: make(map[string]cached), hook: o.OnLookup}
}

// Resolve returns the cached document of did while it is fresh, else
// resolves it, once for all who ask meanwhile, and keeps the answer. A
// caller whose ctx ends stops waiting (ctx.Err()) without cancelling the
// resolution for the others. Errors are the inner resolver's, unwrapped:
// the Registry in front names the DID.
func (c *Cache) Resolve(ctx context.Context, did string) (*Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	did, _ = Split(did)
	doc, hit := c.get(did)
	if c.hook != nil {
		c.hook(hit)
	}
	if hit {
		return doc, nil
	}
	// The shared call keeps the first caller's values (tracing, say) but
	// not its cancellation: the others may still want the answer.
	shared := context.WithoutCancel(ctx)
	ch := c.group.DoChan(did, func() (any, error) {
		if doc, ok := c.get(did); ok { // resolved while we were getting here
			return doc, nil
		}
		ctx, cancel := context.WithTimeout(shared, c.timeout)
		defer cancel()
		doc, err := c.inner.Resolve(ctx, did)
		if err == nil && doc != nil {
			c.put(did, doc)
		}
		return doc, err
	})
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case r := <-ch:
		doc, _ := r.Val.(*Document)
		return doc, r.Err
	}
}

func (c *Cache) get(did string) (*Document, bool) {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[did]
	if !ok || !now.Before(e.expires) {
		return nil, false
	}
	return e.doc, true
}

func (c *Cache) put(did string, doc *Document) {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= c.max {
		for k, v := range c.entries {
			if !now.Before(v.expires) {
				delete(c.entries, k)
			}
		}
		for k := range c.entries { // still full: drop arbitrary entries
			if len(c.entries) < c.max {
				break
			}
			delete(c.entries, k)
		}
	}
	c.entries[did] = cached{doc: doc, expires: now.Add(c.ttl)}
}
