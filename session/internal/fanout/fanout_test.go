package fanout

import (
	"context"
	"runtime"
	"testing"
)

func TestHub(t *testing.T) {
	var h Hub
	ctxA, cancelA := context.WithCancel(context.Background())
	ctxB, cancelB := context.WithCancel(context.Background())
	defer cancelB()
	a := h.Subscribe(ctxA, "s1")
	b := h.Subscribe(ctxB, "s1")
	other := h.Subscribe(ctxB, "s2")

	h.Notify("s1")
	h.Notify("s1") // coalesces: never blocks the publisher
	for name, ch := range map[string]<-chan struct{}{"a": a, "b": b} {
		select {
		case <-ch:
		default:
			t.Fatalf("subscriber %s was not woken", name)
		}
	}
	select {
	case <-other:
		t.Fatal("a subscriber of another id was woken")
	default:
	}

	cancelA() // AfterFunc removes a's registration in its own goroutine
	for h.count("s1") != 1 {
		runtime.Gosched()
	}
	h.Notify("s1")
	select {
	case <-a:
		t.Fatal("a cancelled subscriber was woken")
	case <-b:
	}
}

func (h *Hub) count(id string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs[id])
}
