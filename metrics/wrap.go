package metrics

import (
	"context"
	"errors"
	"time"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/oauth"
	"github.com/loginwithiota/verifier/session"
	"github.com/loginwithiota/verifier/status"
	"github.com/loginwithiota/verifier/verifier"
)

// Store wraps s so each call is timed and its failures counted. The
// result is a session.Notifier when s is one.
func (m *Metrics) Store(s session.Store) session.Store {
	st := &store{inner: s, m: m}
	if n, ok := s.(session.Notifier); ok {
		return &notifyingStore{store: st, n: n}
	}
	return st
}

// Unwrap is the wrapped store (for optional interfaces such as a write
// check that the wrapper does not forward).
func Unwrap(s session.Store) session.Store {
	switch w := s.(type) {
	case *store:
		return w.inner
	case *notifyingStore:
		return w.inner
	}
	return s
}

type store struct {
	inner session.Store
	m     *Metrics
}

var (
	_ session.Store    = (*store)(nil)
	_ session.Notifier = (*notifyingStore)(nil)
)

// done observes one call of op that started at start.
func (s *store) done(op string, start time.Time, err error) {
	s.m.storeSeconds.WithLabelValues(op).Observe(time.Since(start).Seconds())
	if err != nil && !expected(err) {
		s.m.storeErrors.WithLabelValues(op).Inc()
	}
}

// expected errors are answers, not faults: a missing record, a taken id,
// an Update refused by its function, a caller that left.
func expected(err error) bool {
	return errors.Is(err, session.ErrNotFound) || errors.Is(err, session.ErrExists) || oauth.As(err) != nil ||
		errors.Is(err, context.Canceled)
}

func (s *store) Create(ctx context.Context, sess session.Session) error {
	start := time.Now()
	err := s.inner.Create(ctx, sess)
	s.done("create", start, err)
	return err
}

func (s *store) Get(ctx context.Context, id string) (session.Session, error) {
	start := time.Now()
	out, err := s.inner.Get(ctx, id)
	s.done("get", start, err)
	return out, err
}

func (s *store) GetByState(ctx context.Context, state string) (session.Session, error) {
	start := time.Now()
	out, err := s.inner.GetByState(ctx, state)
	s.done("get_by_state", start, err)
	return out, err
}

func (s *store) Update(ctx context.Context, id string, fn func(session.Session) (session.Session, error)) (session.Session, error) {
	start := time.Now()
	out, err := s.inner.Update(ctx, id, fn)
	s.done("update", start, err)
	return out, err
}

func (s *store) Ping(ctx context.Context) error {
	start := time.Now()
	err := s.inner.Ping(ctx)
	s.done("ping", start, err)
	return err
}

type notifyingStore struct {
	*store
	n session.Notifier
}

func (s *notifyingStore) Publish(ctx context.Context, id string) error {
	start := time.Now()
	err := s.n.Publish(ctx, id)
	s.done("publish", start, err)
	return err
}

func (s *notifyingStore) Subscribe(ctx context.Context, id string) (<-chan struct{}, error) {
	start := time.Now()
	ch, err := s.n.Subscribe(ctx, id)
	s.done("subscribe", start, err)
	return ch, err
}

// Resolver wraps r so each resolution is timed (stage "did") and counted
// by method; methods are the registered ones, any other DID is counted
// as "other". It keeps r's metadata (pinned documents) when r has any.
func (m *Metrics) Resolver(r did.Resolver, methods []string) did.Resolver {
	known := make(map[string]bool, len(methods))
	for _, name := range methods {
		known[name] = true
	}
	return &resolver{inner: r, m: m, known: known}
}

type resolver struct {
	inner did.Resolver
	m     *Metrics
	known map[string]bool
}

var _ did.MetadataResolver = (*resolver)(nil)

func (r *resolver) Resolve(ctx context.Context, id string) (*did.Document, error) {
	doc, _, err := r.ResolveWithMetadata(ctx, id)
	return doc, err
}

func (r *resolver) ResolveWithMetadata(ctx context.Context, id string) (*did.Document, did.Metadata, error) {
	start := time.Now()
	var (
		doc *did.Document
		md  did.Metadata
		err error
	)
	if mr, ok := r.inner.(did.MetadataResolver); ok {
		doc, md, err = mr.ResolveWithMetadata(ctx, id)
	} else {
		doc, err = r.inner.Resolve(ctx, id)
	}
	r.m.stages.WithLabelValues(string(verifier.StageDID)).Observe(time.Since(start).Seconds())
	method, _ := did.Method(id)
	if !r.known[method] {
		method = "other"
	}
	result := "ok"
	if err != nil {
		result = "error"
	}
	r.m.didResolutions.WithLabelValues(method, result).Inc()
	return doc, md, err
}

// DIDCacheLookup is did.CacheOptions.OnLookup for the cache named name.
func (m *Metrics) DIDCacheLookup(name string) func(hit bool) {
	hits, misses := m.cacheLookups.WithLabelValues(name, "hit"), m.cacheLookups.WithLabelValues(name, "miss")
	return func(hit bool) {
		if hit {
			hits.Inc()
		} else {
			misses.Inc()
		}
	}
}

// Fetcher wraps a status list fetcher to count its fetches: the status
// checker fetches only what its cache does not hold.
func (m *Metrics) Fetcher(f status.Fetcher) status.Fetcher { return &fetcher{inner: f, m: m} }

type fetcher struct {
	inner status.Fetcher
	m     *Metrics
}

func (f *fetcher) Fetch(ctx context.Context, url string) ([]byte, string, error) {
	body, ct, err := f.inner.Fetch(ctx, url)
	result := "ok"
	if err != nil {
		result = "error"
	}
	f.m.statusFetches.WithLabelValues(result).Inc()
	return body, ct, err
}
