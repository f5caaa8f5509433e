package did

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

// Resolver resolves a DID (no fragment, path or query) to its document.
// A method resolver's errors say what went wrong without naming the DID:
// the Registry names it, once.
type Resolver interface {
	Resolve(ctx context.Context, did string) (*Document, error)
}

// Registry is a Resolver that dispatches on the DID method name and holds
// pinned documents, which win over the methods. It is safe for concurrent
// use; register methods and pin documents before serving.
type Registry struct {
	mu      sync.RWMutex
	methods map[string]Resolver
	pinned  map[string]pin
}

type pin struct {
	doc  *Document
	opts PinOptions
}

// PinOptions qualify a pinned document.
type PinOptions struct {
	// AnyRelationship lets every method the document defines be used for
	// every verification relationship. identity.rs documents from before
	// 2023 list keys only under verificationMethod; pinning one this way
	// is the operator vouching for it.
	AnyRelationship bool
}

// Metadata says how a DID was resolved.
type Metadata struct {
	// Pinned: the document is an operator-pinned one, not a resolution.
	Pinned bool
	// AnyRelationship: see PinOptions.
	AnyRelationship bool
}

// MetadataResolver is a Resolver that can also say how it resolved.
type MetadataResolver interface {
	Resolver
	ResolveWithMetadata(ctx context.Context, did string) (*Document, Metadata, error)
}

var _ MetadataResolver = (*Registry)(nil)

// NewRegistry returns a registry with no methods and no pinned documents.
func NewRegistry() *Registry {
	return &Registry{methods: make(map[string]Resolver), pinned: make(map[string]pin)}
}

// Register makes res resolve DIDs of the given method ("key", "iota", …),
// replacing any resolver registered for it before.
func (r *Registry) Register(method string, res Resolver) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.methods[method] = res
}

// Pin makes Resolve return doc for doc.ID, whatever its method.
func (r *Registry) Pin(doc *Document) { r.PinWith(doc, PinOptions{}) }

// PinWith pins doc with options.
func (r *Registry) PinWith(doc *Document, opts PinOptions) {
	if doc == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pinned[doc.ID] = pin{doc: doc, opts: opts}
}

// Pinned lists the pinned DIDs.
func (r *Registry) Pinned() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]string, 0, len(r.pinned))
	for id := range r.pinned {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// Resolve resolves did (a DID URL's fragment, path and query are ignored).
// Errors wrap ErrInvalidDID, ErrUnsupportedMethod, ErrNotFound or whatever
// the method's resolver returned, and name did once.
func (r *Registry) Resolve(ctx context.Context, did string) (*Document, error) {
	doc, _, err := r.ResolveWithMetadata(ctx, did)
	return doc, err
}

// ResolveWithMetadata is Resolve, also saying whether a pinned document
// answered.
func (r *Registry) ResolveWithMetadata(ctx context.Context, did string) (*Document, Metadata, error) {
	if err := ctx.Err(); err != nil {
		return nil, Metadata{}, err
	}
	did, _ = Split(did)
	method, err := Method(did)
	if err != nil {
		return nil, Metadata{}, err
	}
	r.mu.RLock()
	p, pinned := r.pinned[did]
	res := r.methods[method]
	r.mu.RUnlock()
	if pinned {
		return p.doc, Metadata{Pinned: true, AnyRelationship: p.opts.AnyRelationship}, nil
	}
	if res == nil {
		return nil, Metadata{}, fmt.Errorf("%w: %q (resolving %s)", ErrUnsupportedMethod, method, clip(did))
	}
	doc, err := res.Resolve(ctx, did)
	if err != nil {
		return nil, Metadata{}, fmt.Errorf("resolve %s: %w", clip(did), err)
	}
	if doc == nil {
		return nil, Metadata{}, fmt.Errorf("%w: %s", ErrNotFound, clip(did))
	}
	// A resolver answering for another DID would let that DID's keys speak
	// for this one (DID Resolution: the document id MUST match).
	if doc.ID != did {
		return nil, Metadata{}, fmt.Errorf("%w: resolving %s returned the document of %s", ErrInvalidDocument, clip(did), clip(doc.ID))
	}
	return doc, Metadata{}, nil
}
