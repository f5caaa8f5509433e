package did

import (
	"context"
	"sync"
)

// Memo is a Resolver that resolves each DID at most once in its lifetime,
// failures included, so one wallet answer that names a DID many times (its
// holder, an issuer of several credentials, a status list's issuer) sees
// one consistent answer and does not retry a DID that failed. Concurrent
// lookups of one DID wait for the first. Make one per answer and drop it:
// it never forgets. It is safe for concurrent use.
type Memo struct {
	inner Resolver

	mu    sync.Mutex
	calls map[string]*memoCall
}

type memoCall struct {
	done chan struct{}
	// Written before done is closed, read after.
	doc   *Document
	md    Metadata
	err   error
	retry bool // the resolution ended with its caller's ctx: no answer about the DID
}

var _ MetadataResolver = (*Memo)(nil)

// NewMemo wraps inner. ResolveWithMetadata passes inner's metadata on when
// inner is a MetadataResolver, and reports none otherwise.
func NewMemo(inner Resolver) *Memo {
	return &Memo{inner: inner, calls: make(map[string]*memoCall)}
}

// Resolve is ResolveWithMetadata without the metadata.
func (m *Memo) Resolve(ctx context.Context, did string) (*Document, error) {
	doc, _, err := m.ResolveWithMetadata(ctx, did)
	return doc, err
}

// ResolveWithMetadata returns the memoized answer for did (a DID URL's
// fragment, path and query are ignored), resolving it if it is the first
// to ask. A caller whose ctx ends while waiting gets ctx.Err(); a
// resolution cut short by its own caller's ctx is not memoized, and those
// waiting on it try again.
func (m *Memo) ResolveWithMetadata(ctx context.Context, did string) (*Document, Metadata, error) {
	did, _ = Split(did)
	for {
		m.mu.Lock()
		c, ok := m.calls[did]
		if !ok {
			c = &memoCall{done: make(chan struct{})}
			m.calls[did] = c
			m.mu.Unlock()
			m.run(ctx, did, c)
			return c.doc, c.md, c.err
		}
		m.mu.Unlock()
		select {
		case <-ctx.Done():
			return nil, Metadata{}, ctx.Err()
		case <-c.done:
		}
		if !c.retry {
			return c.doc, c.md, c.err
		}
	}
}

func (m *Memo) run(ctx context.Context, did string, c *memoCall) {
	answered := false
	defer func() {
		// Cut short by the caller's ctx, or by a panic: nothing to keep.
		if !answered || c.err != nil && ctx.Err() != nil {
			c.retry = true
			m.mu.Lock()
			delete(m.calls, did)
			m.mu.Unlock()
		}
		close(c.done)
	}()
	if mr, ok := m.inner.(MetadataResolver); ok {
		c.doc, c.md, c.err = mr.ResolveWithMetadata(ctx, did)
	} else {
		c.doc, c.err = m.inner.Resolve(ctx, did)
	}
	answered = true
}
