package did

import (
	"context"
	"fmt"
	"sync"
)

// Resolver resolves a DID (no fragment, path or query) to its document.
type Resolver interface {
	Resolve(ctx context.Context, did string) (*Document, error)
}

// Registry is a Resolver that dispatches on the DID method name and holds
// pinned documents, which win over the methods. It is safe for concurrent
// use; register methods and pin documents before serving.
type Registry struct {
	mu      sync.RWMutex
	methods map[string]Resolver
	pinned  map[string]*Document
}

var _ Resolver = (*Registry)(nil)

// NewRegistry returns a registry with no methods and no pinned documents.
func NewRegistry() *Registry {
	return &Registry{methods: make(map[string]Resolver), pinned: make(map[string]*Document)}
}

// Register makes res resolve DIDs of the given method ("key", "iota", …),
// replacing any resolver registered for it before.
func (r *Registry) Register(method string, res Resolver) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.methods[method] = res
}

// Pin makes Resolve return doc for doc.ID, whatever its method.
func (r *Registry) Pin(doc *Document) {
	if doc == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pinned[doc.ID] = doc
}

// Resolve resolves did (a DID URL's fragment, path and query are ignored).
// Errors wrap ErrInvalidDID, ErrUnsupportedMethod, ErrNotFound or whatever
// the method's resolver returned.
func (r *Registry) Resolve(ctx context.Context, did string) (*Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	did, _ = Split(did)
	method, err := Method(did)
	if err != nil {
		return nil, err
	}
	r.mu.RLock()
	doc, pinned := r.pinned[did]
	res := r.methods[method]
	r.mu.RUnlock()
	if pinned {
		return doc, nil
	}
	if res == nil {
		return nil, fmt.Errorf("%w: %q (resolving %s)", ErrUnsupportedMethod, method, clip(did))
	}
	doc, err = res.Resolve(ctx, did)
	if err != nil {
		return nil, fmt.Errorf("resolve %s: %w", clip(did), err)
	}
	if doc == nil {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, clip(did))
	}
	// A resolver answering for another DID would let that DID's keys speak
	// for this one (DID Resolution: the document id MUST match).
	if doc.ID != did {
		return nil, fmt.Errorf("%w: resolving %s returned the document of %s", ErrInvalidDocument, clip(did), clip(doc.ID))
	}
	return doc, nil
}
