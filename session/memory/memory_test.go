package memory_test

import (
	"context"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/session"
	"github.com/loginwithiota/verifier/session/memory"
	"github.com/loginwithiota/verifier/session/sessiontest"
)

func TestConformance(t *testing.T) {
	clock := sessiontest.NewFakeClock(time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC))
	sessiontest.Run(t, func(t *testing.T) session.Store {
		return memory.New(memory.Options{Now: clock.Now})
	}, sessiontest.WithClock(clock))
}

// TestConformanceRealClock runs the suite once more on the default clock, as
// the service runs it.
func TestConformanceRealClock(t *testing.T) {
	sessiontest.Run(t, func(t *testing.T) session.Store {
		return memory.New(memory.Options{})
	})
}

func BenchmarkCreateComplete(b *testing.B) {
	s := memory.New(memory.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Run(ctx, 50*time.Millisecond) // as in the service: the sweep frees expired records
	sessiontest.BenchCreateComplete(b, s, 200*time.Millisecond)
}

func BenchmarkLogin(b *testing.B) {
	s := memory.New(memory.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Run(ctx, 50*time.Millisecond)
	sessiontest.BenchLogin(b, s, 200*time.Millisecond)
}
