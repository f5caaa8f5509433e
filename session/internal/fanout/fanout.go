// Package fanout is the in-process half of session.Notifier that both
// backends share: subscribers per session id, each woken without blocking
// the publisher. The memory store feeds it directly; the Redis store feeds it
// from the one pub/sub connection an instance keeps.
package fanout

import (
	"context"
	"sync"
)

// Hub maps session ids to their subscribers. The zero value is ready to use.
type Hub struct {
	mu   sync.Mutex
	subs map[string]map[chan struct{}]struct{}
}

// Subscribe registers a subscriber of id until ctx is done. The channel has
// room for one wake-up; more publishes before the subscriber reads coalesce.
func (h *Hub) Subscribe(ctx context.Context, id string) <-chan struct{} {
	ch := make(chan struct{}, 1)
	h.mu.Lock()
	if h.subs == nil {
		h.subs = make(map[string]map[chan struct{}]struct{})
	}
	set := h.subs[id]
	if set == nil {
		set = make(map[chan struct{}]struct{})
		h.subs[id] = set
	}
	set[ch] = struct{}{}
	h.mu.Unlock()
	context.AfterFunc(ctx, func() { h.remove(id, ch) })
	return ch
}

func (h *Hub) remove(id string, ch chan struct{}) {
	h.mu.Lock()
	defer h.mu.Unlock()
	set := h.subs[id]
	delete(set, ch)
	if len(set) == 0 {
		delete(h.subs, id)
	}
}

// Notify wakes every subscriber of id; it never blocks.
func (h *Hub) Notify(id string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs[id] {
		select {
		case ch <- struct{}{}:
		default: // a wake-up is already waiting
		}
	}
}

// Len reports how many ids have subscribers (for tests and metrics).
func (h *Hub) Len() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}
