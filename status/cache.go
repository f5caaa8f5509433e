package status

import (
	"sync"
	"time"
)

// maxCachedLists bounds the list cache; past it, expired lists go, and if
// none have, all do.
const maxCachedLists = 256

// listCache keeps verified status lists for a TTL (or the list's own ttl
// hint when shorter). A nil *listCache caches nothing.
type listCache struct {
	ttl     time.Duration
	now     func() time.Time
	mu      sync.Mutex
	entries map[string]cachedList
}

type cachedList struct {
	l       *list
	expires time.Time
}

func newListCache(ttl time.Duration, now func() time.Time) *listCache {
	return &listCache{ttl: ttl, now: now, entries: make(map[string]cachedList)}
}

func (c *listCache) get(url string) *list {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[url]
	if !ok {
		return nil
	}
	if !c.now().Before(e.expires) {
		delete(c.entries, url)
		return nil
	}
	return e.l
}

func (c *listCache) put(url string, l *list) {
	if c == nil {
		return
	}
	ttl := c.ttl
	if l.ttl > 0 && l.ttl < ttl {
		ttl = l.ttl
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if len(c.entries) >= maxCachedLists {
		for k, e := range c.entries {
			if !now.Before(e.expires) {
				delete(c.entries, k)
			}
		}
		if len(c.entries) >= maxCachedLists {
			clear(c.entries)
		}
	}
	c.entries[url] = cachedList{l: l, expires: now.Add(ttl)}
}
