package sessiontest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/session"
)

// BenchCreateComplete measures one login's store traffic: Create a pending
// session, then Update it to verified with a result. Records live for ttl
// (from the real clock), so a long run does not pile them up in the store;
// keep ttl well above one operation's latency.
func BenchCreateComplete(b *testing.B, s session.Store, ttl time.Duration) {
	ctx := context.Background()
	errNotPending := errors.New("not pending")
	complete := func(cur session.Session) (session.Session, error) {
		if cur.Status != session.StatusPending {
			return cur, errNotPending
		}
		return newVerified(cur, time.Now()), nil
	}
	one := func() error {
		rec := newPending(time.Now(), ttl)
		if err := s.Create(ctx, rec); err != nil {
			return err
		}
		_, err := s.Update(ctx, rec.ID, complete)
		return err
	}
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := one(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := one(); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}
