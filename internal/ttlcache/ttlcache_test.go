package ttlcache_test

import (
	"testing"
	"time"

	"github.com/loginwithiota/verifier/internal/ttlcache"
)

// clock is a test's time: now reads it, advance moves it.
func clock() (now func() time.Time, advance func(time.Duration)) {
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return func() time.Time { return t }, func(d time.Duration) { t = t.Add(d) }
}

func TestExpiry(t *testing.T) {
	now, advance := clock()
	c := ttlcache.New[string](time.Minute, 10, now)
	c.Put("a", "A", 0)
	c.Put("short", "S", 10*time.Second)
	c.Put("long", "L", time.Hour) // no longer than the cache's own TTL
	if v, ok := c.Get("a"); !ok || v != "A" {
		t.Fatalf("fresh: %q %v", v, ok)
	}
	advance(10 * time.Second)
	if _, ok := c.Get("short"); ok {
		t.Error("an entry outlived its own shorter TTL")
	}
	advance(50 * time.Second)
	for _, k := range []string{"a", "long"} {
		if _, ok := c.Get(k); ok {
			t.Errorf("%s outlived the cache's TTL", k)
		}
	}
}

func TestBound(t *testing.T) {
	now, advance := clock()
	c := ttlcache.New[int](time.Minute, 2, now)
	c.Put("old", 1, time.Second)
	c.Put("b", 2, 0)
	advance(2 * time.Second)
	c.Put("c", 3, 0) // full: the expired entry goes, the fresh one stays
	if _, ok := c.Get("b"); !ok {
		t.Error("a fresh entry was dropped while an expired one could go")
	}
	c.Put("d", 4, 0) // full of fresh entries: all go
	if _, ok := c.Get("b"); ok {
		t.Error("the full cache was not emptied")
	}
	if v, ok := c.Get("d"); !ok || v != 4 {
		t.Errorf("d = %d %v", v, ok)
	}
}

func TestNil(t *testing.T) {
	var c *ttlcache.Cache[int]
	c.Put("a", 1, 0)
	if _, ok := c.Get("a"); ok {
		t.Error("a nil cache cached")
	}
}
