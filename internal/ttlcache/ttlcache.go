package ttlcache

import (
	"sync"
	"time"
)

// Cache keeps values by key until they expire. At its bound, Put first
// drops the expired entries and, if none were, all of them: a crude bound,
// but what is cached is cheap to fetch again. A nil *Cache caches nothing.
type Cache[V any] struct {
	ttl     time.Duration
	max     int
	now     func() time.Time
	mu      sync.Mutex
	entries map[string]entry[V]
}

type entry[V any] struct {
	v       V
	expires time.Time
}

// New returns a cache keeping entries for ttl, at most max of them, on the
// clock now (nil: time.Now).
func New[V any](ttl time.Duration, max int, now func() time.Time) *Cache[V] {
	if now == nil {
		now = time.Now
	}
	return &Cache[V]{ttl: ttl, max: max, now: now, entries: make(map[string]entry[V])}
}

// Get returns the value of key while it is fresh; an expired one is
// dropped.
func (c *Cache[V]) Get(key string) (V, bool) {
	var zero V
	if c == nil {
		return zero, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return zero, false
	}
	if !c.now().Before(e.expires) {
		delete(c.entries, key)
		return zero, false
	}
	return e.v, true
}

// Put keeps v under key for the cache's time to live, or for ttl when that
// is positive and shorter (a lifetime the value itself asks for).
func (c *Cache[V]) Put(key string, v V, ttl time.Duration) {
	if c == nil {
		return
	}
	if ttl <= 0 || ttl > c.ttl {
		ttl = c.ttl
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if len(c.entries) >= c.max {
		for k, e := range c.entries {
			if !now.Before(e.expires) {
				delete(c.entries, k)
			}
		}
		if len(c.entries) >= c.max {
			clear(c.entries)
		}
	}
	c.entries[key] = entry[V]{v: v, expires: now.Add(ttl)}
}
