package web

import (
	"sync"
	"time"

	"github.com/loginwithiota/verifier/oauth"
)

// streamLimit bounds the open event streams, in total and per session:
// each holds a goroutine, a subscription and a connection for minutes.
type streamLimit struct {
	max, perSession int

	mu    sync.Mutex
	total int
	per   map[string]int
}

// streamsRetryAfter is what a client refused a stream is asked to wait;
// the button script falls back on polling meanwhile.
const streamsRetryAfter = 5 * time.Second

func newStreamLimit(max, perSession int) *streamLimit {
	return &streamLimit{max: max, perSession: perSession, per: make(map[string]int)}
}

// acquire takes a place for a stream of session id; release gives it
// back. A refusal names the limit it hit.
func (l *streamLimit) acquire(id string) (release func(), limit string, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.max > 0 && l.total >= l.max {
		return nil, LimitStreams, oauth.Unavailable("too many event streams are open; poll the status instead", streamsRetryAfter, nil)
	}
	if l.perSession > 0 && l.per[id] >= l.perSession {
		return nil, LimitStreamsPerSession, oauth.New(oauth.RateLimited, "", "too many event streams are open for this session").WithRetryAfter(streamsRetryAfter)
	}
	l.total++
	l.per[id]++
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.total--
			if l.per[id]--; l.per[id] <= 0 {
				delete(l.per, id)
			}
		})
	}, "", nil
}
