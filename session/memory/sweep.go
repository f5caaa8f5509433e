package memory

import (
	"context"
	"time"
)

// Run removes records past their DeleteAt every interval until ctx is done.
// Expired records are already invisible to readers; the sweep is what frees
// their memory (and the claims in them) when nobody asks for them again.
func (s *Store) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.sweep()
		}
	}
}

// sweep removes every record past its DeleteAt and reports how many.
func (s *Store) sweep() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	n := 0
	for _, rec := range s.byID {
		if !now.Before(rec.DeleteAt) {
			s.remove(rec)
			n++
		}
	}
	return n
}
