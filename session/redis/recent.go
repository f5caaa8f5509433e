package redis

import (
	"sync"
	"time"

	"github.com/loginwithiota/verifier/session"
)

// recent remembers the records this instance read by state in the last
// few seconds (a wallet's answer: read, verify, complete), as the starting guess of the next Update's compare-and-set
// (a stale guess costs one retry, never a wrong write: the script checks
// the version), and which ids an Update has just announced, so the
// Publish that callers send after it is not sent twice.
//
// It is small and short-lived on purpose: a login's reads and its
// completion are milliseconds apart, and the records hold claims.
type recent struct {
	now func() time.Time

	mu      sync.Mutex
	records map[string]recentRecord
	pubs    map[string]time.Time // id → when its Update published it
}

type recentRecord struct {
	s  session.Session // private: put and take clone
	at time.Time
}

const (
	recentTTL   = 5 * time.Second
	recentLimit = 4096
)

func (r *recent) init(now func() time.Time) {
	r.now = now
	r.records = make(map[string]recentRecord)
	r.pubs = make(map[string]time.Time)
}

// put remembers s, replacing an older version of it.
func (r *recent) put(s session.Session) {
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	if old, ok := r.records[s.ID]; ok && old.s.Version > s.Version {
		return
	}
	if len(r.records) >= recentLimit {
		r.prune(now)
	}
	r.records[s.ID] = recentRecord{s: s.Clone(), at: now}
}

// take returns (and forgets) the remembered record of id, if it is fresh
// and alive.
func (r *recent) take(id string) (session.Session, bool) {
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	rec, ok := r.records[id]
	if !ok {
		return session.Session{}, false
	}
	delete(r.records, id)
	if now.Sub(rec.at) > recentTTL || !now.Before(rec.s.DeleteAt) {
		return session.Session{}, false
	}
	return rec.s, true
}

// published notes that an Update of id announced it.
func (r *recent) published(id string) {
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.pubs) >= recentLimit {
		r.prune(now)
	}
	r.pubs[id] = now
}

// announced reports (once) whether an Update of id announced it just now.
func (r *recent) announced(id string) bool {
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	at, ok := r.pubs[id]
	delete(r.pubs, id)
	return ok && now.Sub(at) <= recentTTL
}

// prune drops what is stale and, when that is not enough, arbitrary
// entries (map order) down to half the limit: the cache is a hint, a miss
// costs one read. The caller holds mu.
func (r *recent) prune(now time.Time) {
	for id, rec := range r.records {
		if now.Sub(rec.at) > recentTTL || len(r.records) > recentLimit/2 {
			delete(r.records, id)
		}
	}
	for id, at := range r.pubs {
		if now.Sub(at) > recentTTL || len(r.pubs) > recentLimit/2 {
			delete(r.pubs, id)
		}
	}
}
