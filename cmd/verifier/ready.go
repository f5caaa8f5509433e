package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/loginwithiota/verifier/metrics"
	"github.com/loginwithiota/verifier/session"
)

// writeChecker is what a session store implements to tell /readyz whether
// it takes writes now, as cheaply as it can (the Redis store: a SET of a
// key with a short TTL). A store without it is probed through Update of a
// record of its own.
type writeChecker interface {
	CheckWrite(ctx context.Context) error
}

// readiness is /readyz's question: the store answers a ping and takes a
// write. Answers are kept for readyCacheFor, so a visitor hammering
// /readyz costs at most one write a second.
type readiness struct {
	store session.Store
	now   func() time.Time
	group singleflight.Group

	mu      sync.Mutex
	checked time.Time
	last    error
	probeID string
}

const (
	readyCacheFor = time.Second
	// probeLife is how long the probe record outlives its last write.
	probeLife = time.Minute
)

func newReadiness(store session.Store) *readiness {
	return &readiness{store: store, now: time.Now, probeID: "readyz-probe-" + randomID()}
}

// Ready is web.Options.Ready.
func (r *readiness) Ready(ctx context.Context) error {
	r.mu.Lock()
	if !r.checked.IsZero() && r.now().Sub(r.checked) < readyCacheFor {
		err := r.last
		r.mu.Unlock()
		return err
	}
	r.mu.Unlock()
	_, err, _ := r.group.Do("ready", func() (any, error) {
		err := r.check(context.WithoutCancel(ctx))
		r.mu.Lock()
		r.checked, r.last = r.now(), err
		r.mu.Unlock()
		return nil, err
	})
	return err
}

func (r *readiness) check(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := r.store.Ping(ctx); err != nil {
		return fmt.Errorf("store ping: %w", err)
	}
	if wc, ok := metrics.Unwrap(r.store).(writeChecker); ok {
		if err := wc.CheckWrite(ctx); err != nil {
			return fmt.Errorf("store write check: %w", err)
		}
		return nil
	}
	return r.probe(ctx)
}

// probe rewrites this instance's probe record, creating it when the store
// does not have it (first use, or a store that lost its data). The record
// is a completed session nobody can read: its id, state and token hash are
// random, and it is never pending, so it counts against no cap.
func (r *readiness) probe(ctx context.Context) error {
	now := r.now().UTC()
	_, err := r.store.Update(ctx, r.probeID, func(s session.Session) (session.Session, error) {
		s.DeleteAt = now.Add(probeLife)
		return s, nil
	})
	if errors.Is(err, session.ErrNotFound) {
		err = r.store.Create(ctx, session.Session{ID: r.probeID, State: r.probeID + "." + randomID(), Nonce: randomID(),
			StatusTokenHash: []byte(randomID()), DefinitionID: "readyz-probe", Flow: session.FlowCrossDevice,
			CreatedAt: now, ExpiresAt: now, DeleteAt: now.Add(probeLife), Status: session.StatusFailed,
			Error: &session.Error{Code: "server_error", Description: "readiness probe record"}, CompletedAt: now})
	}
	if err != nil {
		return fmt.Errorf("store write probe: %w", err)
	}
	return nil
}

func randomID() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
