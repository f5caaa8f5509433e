package iota

import (
	"sync"
	"time"

	"github.com/loginwithiota/verifier/did"
)

// maxCacheEntries bounds the cache: past it, expired entries are dropped,
// and if none are, the whole cache (a crude bound, but resolution is cheap
// to redo and the cache is only there to spare the node).
const maxCacheEntries = 4096

// cache keeps resolved documents for a TTL. A nil *cache caches nothing.
type cache struct {
	ttl     time.Duration
	now     func() time.Time
	mu      sync.Mutex
	entries map[string]cacheEntry
}

type cacheEntry struct {
	doc     *did.Document
	expires time.Time
}

func newCache(ttl time.Duration, now func() time.Time) *cache {
	if now == nil {
		now = time.Now
	}
	return &cache{ttl: ttl, now: now, entries: make(map[string]cacheEntry)}
}

func (c *cache) get(id string) *did.Document {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[id]
	if !ok {
		return nil
	}
	if !c.now().Before(e.expires) {
		delete(c.entries, id)
		return nil
	}
	return e.doc
}

func (c *cache) put(id string, doc *did.Document) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if len(c.entries) >= maxCacheEntries {
		for k, e := range c.entries {
			if !now.Before(e.expires) {
				delete(c.entries, k)
			}
		}
		if len(c.entries) >= maxCacheEntries {
			clear(c.entries)
		}
	}
	c.entries[id] = cacheEntry{doc: doc, expires: now.Add(c.ttl)}
}
