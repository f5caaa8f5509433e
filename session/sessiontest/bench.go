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

// BenchLogin measures a whole login's store traffic as the service makes
// it: Create (the website starts the login), GetByState (the wallet's
// answer arrives), Update to verified and Publish (the answer is stored
// and announced), Get (the website reads the result).
func BenchLogin(b *testing.B, s session.Store, ttl time.Duration) {
	ctx := context.Background()
	errNotPending := errors.New("not pending")
	notifier, _ := s.(session.Notifier)
	one := func() error {
		rec := newPending(time.Now(), ttl)
		if err := s.Create(ctx, rec); err != nil {
			return err
		}
		cur, err := s.GetByState(ctx, rec.State)
		if err != nil {
			return err
		}
		if _, err := s.Update(ctx, cur.ID, func(cur session.Session) (session.Session, error) {
			if cur.Status != session.StatusPending {
				return cur, errNotPending
			}
			return newVerified(cur, time.Now()), nil
		}); err != nil {
			return err
		}
		if notifier != nil {
			if err := notifier.Publish(ctx, rec.ID); err != nil {
				return err
			}
		}
		_, err = s.Get(ctx, rec.ID)
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
