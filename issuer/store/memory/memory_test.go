package memory_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/issuer"
	"github.com/loginwithiota/verifier/issuer/store/memory"
	"github.com/loginwithiota/verifier/issuer/store/storetest"
)

func TestConformance(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	storetest.Run(t, func(*testing.T) issuer.Store { return memory.New(memory.Options{Now: clock.Now}) }, storetest.WithClock(clock))
}

func TestFullAndSweep(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	s := memory.New(memory.Options{Now: clock.Now, MaxRecords: 2})
	ctx := context.Background()
	for _, k := range []string{"a", "b"} {
		if err := s.Create(ctx, issuer.KindNonce, k, []byte("x"), clock.Now().Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Create(ctx, issuer.KindNonce, "c", []byte("x"), clock.Now().Add(time.Minute)); !errors.Is(err, memory.ErrFull) {
		t.Fatalf("third create: %v", err)
	}
	clock.Advance(2 * time.Minute)
	if err := s.Create(ctx, issuer.KindNonce, "c", []byte("x"), clock.Now().Add(time.Minute)); err != nil {
		t.Fatalf("create once the others expired: %v", err)
	}
	if s.Len() != 1 {
		t.Fatalf("%d records after the sweep, want 1", s.Len())
	}
}
