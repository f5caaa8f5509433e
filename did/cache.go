package did

import (
	"context"
	"sync"
	"time"
)

// Cache is a Resolver in front of another that keeps resolved documents
// for a time to live, so a DID that every login names (an issuer's) is not
// fetched for each one. Failures are not cached. It is safe for concurrent
// use. Pinned documents need no cache: the Registry holds them.
type Cache struct {
	inner Resolver
	ttl   time.Duration
	max   int
	now   func() time.Time

	mu      sync.Mutex
	entries map[string]cached
}

type cached struct {
	doc     *Document
	expires time.Time
}

// CacheOptions tune a Cache.
type CacheOptions struct {
	TTL        time.Duration    // default 5m
	MaxEntries int              // default 1000
	Now        func() time.Time // default time.Now
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
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Cache{inner: inner, ttl: o.TTL, max: o.MaxEntries, now: o.Now, entries: make(map[string]cached)}
}

// Resolve returns the cached document of did while it is fresh, else
// resolves it and keeps the answer.
func (c *Cache) Resolve(ctx context.Context, did string) (*Document, error) {
	did, _ = Split(did)
	now := c.now()
	c.mu.Lock()
	e, ok := c.entries[did]
	c.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.doc, nil
	}
	doc, err := c.inner.Resolve(ctx, did)
	if err != nil || doc == nil {
		return doc, err
	}
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
	return doc, nil
}
