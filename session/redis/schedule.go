package redis

import (
	"cmp"
	"slices"
	"sync"
	"time"
)

// schedule is what one instance knows of the outbox's indexes (one per
// slot on Cluster, hence up to 16384): for each, the earliest score seen
// in it (an event's due time, a session's ExpiresAt), so that a Claim or a
// DueExpiries reads only the indexes with something due, and none at all
// while nothing is. Its own writes lower the entries at once; what other
// instances write is learnt by reading every index again (a resync) every
// so often. Nothing is lost by not knowing: the indexes in Redis are the
// truth, the schedule only says when to look.
type schedule struct {
	every time.Duration // between resyncs

	mu       sync.Mutex
	tags     map[string]*slotNext
	gen      uint64    // the last generation given out
	lastFull time.Time // zero: never, so the first look is a resync
}

type slotNext struct {
	at  int64  // unix ms
	gen uint64 // of its last lowering (schedule-wide, increasing), so a read that started before one cannot undo it
}

func newSchedule(every time.Duration) *schedule {
	return &schedule{every: every, tags: make(map[string]*slotNext)}
}

// due returns the tags with something due at now (unix ms), soonest
// first, or every tag when a resync is due (full).
func (sc *schedule) due(now time.Time, nowMs int64, all func() []string) (tags []string, gens map[string]uint64, full bool) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	gens = make(map[string]uint64)
	if sc.lastFull.IsZero() || now.Sub(sc.lastFull) >= sc.every {
		sc.lastFull = now
		tags = all()
		for _, t := range tags {
			if e := sc.tags[t]; e != nil {
				gens[t] = e.gen
			}
		}
		return tags, gens, true
	}
	for t, e := range sc.tags {
		if e.at <= nowMs {
			tags = append(tags, t)
			gens[t] = e.gen
		}
	}
	slices.SortFunc(tags, func(a, b string) int { return cmp.Compare(sc.tags[a].at, sc.tags[b].at) })
	return tags, gens, false
}

// lower records a write of this instance: tag has something due at at.
func (sc *schedule) lower(tag string, at int64) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	e := sc.tags[tag]
	if e == nil {
		e = &slotNext{at: at}
		sc.tags[tag] = e
	}
	e.at = min(e.at, at)
	sc.gen++
	e.gen = sc.gen
}

// saw records a read of tag that began at generation gen: its earliest
// score is at (ok), or it is empty (!ok). A lowering since then wins.
func (sc *schedule) saw(tag string, gen uint64, at int64, ok bool) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	e := sc.tags[tag]
	switch {
	case e != nil && e.gen != gen:
		if ok {
			e.at = min(e.at, at)
		}
	case ok && e == nil:
		sc.tags[tag] = &slotNext{at: at}
	case ok:
		e.at = at
	default:
		delete(sc.tags, tag)
	}
}
