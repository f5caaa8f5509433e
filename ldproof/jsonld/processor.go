package jsonld

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/piprate/json-gold/ld"
)

// Config tunes a Processor. The zero value serves the built-in contexts only.
type Config struct {
	// Contexts adds offline contexts: URL → the JSON context document
	// (operator files, test contexts). They win over built-in ones.
	Contexts map[string][]byte
	// AllowRemote lists context URLs that may be fetched when a document
	// names them; an entry ending in "/" allows every URL under it. Empty:
	// nothing is ever fetched.
	AllowRemote []string
	// Timeout bounds one fetch (default 5s), MaxBytes its body (default
	// 256 KiB); fetched contexts are kept for CacheTTL (default 24h).
	Timeout  time.Duration
	MaxBytes int64
	CacheTTL time.Duration
	// Client fetches remote contexts; nil means a plain client with Timeout.
	Client *http.Client
	// Now is the clock of the remote cache; nil means time.Now.
	Now func() time.Time

	// Budgets of one Canonicalize call (zero or less: the Default*
	// constants of budget.go). A document over one is refused with
	// ErrTooComplex before the work it would cost. MaxNodes and MaxValues
	// bound the JSON objects and the other JSON values (strings, numbers,
	// booleans, nulls, arrays) outside @context, checked before expansion;
	// MaxBlankNodes the blank nodes of the RDF form, checked before any
	// hashing; MaxWork the URDNA2015 hashing work, in quads hashed plus
	// identifiers copied.
	MaxNodes      int
	MaxValues     int
	MaxBlankNodes int
	MaxWork       int
}

// Processor canonicalizes JSON-LD documents. It is safe for concurrent use;
// make one per configuration and keep it: it caches processed contexts.
type Processor struct {
	loader *Loader
	opts   *ld.JsonLdOptions
	limits limits

	mu       sync.RWMutex
	contexts map[string]*ld.Context
}

// maxContextsCached bounds the processed-context cache. Only @context values
// made of URLs are cached, and those are limited to what the loader serves,
// but their combinations are not.
const maxContextsCached = 512

// New returns a Processor for cfg.
func New(cfg Config) (*Processor, error) {
	l, err := newLoader(cfg)
	if err != nil {
		return nil, err
	}
	opts := ld.NewJsonLdOptions("")
	opts.DocumentLoader = l
	opts.ProcessingMode = ld.JsonLd_1_1
	opts.SafeMode = true
	return &Processor{loader: l, opts: opts, limits: newLimits(cfg), contexts: make(map[string]*ld.Context)}, nil
}

// Default returns the shared Processor with the built-in contexts and no
// network access.
var Default = sync.OnceValue(func() *Processor {
	p, err := New(Config{})
	if err != nil {
		panic(err) // the embedded files are part of the build
	}
	return p
})

// LoadContext loads one context URL the way a document naming it would,
// and processes it: a check that it is available (tests, start-up checks).
func (p *Processor) LoadContext(url string) (err error) {
	defer recoverInto(&err)
	_, err = ld.NewContext(nil, p.opts).Parse(url)
	return classify(err)
}

// Canonicalize returns the RDF Dataset Canonicalization of doc as N-Quads,
// escaped as alg says. doc is not modified. Errors wrap ErrTooComplex,
// ErrUnsafe, ErrContextNotAllowed, ErrContextFetch or ErrInvalid (a panic
// of json-gold's is reported as ErrInvalid), or ctx's error once ctx is
// done.
//
// ctx is checked between the phases (size check, expansion, node map, RDF
// conversion, hashing, sorting) and within the node map and the hashing.
// json-gold's expansion takes no context and is not interrupted; the size
// budgets checked before it keep it to milliseconds.
func (p *Processor) Canonicalize(ctx context.Context, doc map[string]any, alg Algorithm) ([]byte, error) {
	return p.canonicalize(ctx, doc, alg, &stats{})
}

// stats are what a canonicalization spent of each budget (for tests that
// check the defaults' margins).
type stats struct {
	nodes, values, blankNodes, work int
}

func (p *Processor) canonicalize(ctx context.Context, doc map[string]any, alg Algorithm, st *stats) (out []byte, err error) {
	defer recoverInto(&err)
	if b := budgetFrom(ctx); b != nil {
		if err := b.check(); err != nil {
			return nil, err
		}
		defer b.spend(st)
	}
	if err := p.limits.checkSize(doc, st); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("jsonld: canonicalize: %w", err)
	}
	input, err := p.withProcessedContext(doc)
	if err != nil {
		return nil, classify(err)
	}
	api := ld.NewJsonLdApi()
	expanded, err := api.Expand(ld.NewContext(nil, p.opts), "", input, p.opts, false, nil)
	if err != nil {
		err = classify(err)
		if errors.Is(err, ErrUnsafe) {
			err = p.explainUnsafe(doc, err)
		}
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("jsonld: canonicalize: %w", err)
	}
	quads, err := toQuads(ctx, expanded)
	if err != nil {
		return nil, err
	}
	return canonicalizeStats(ctx, quads, alg, p.limits, st)
}

// recoverInto turns a panic (json-gold panics on some malformed contexts
// and values) into an ErrInvalid error in *err. Nothing json-gold panics
// in holds a lock or leaves shared state half-written: the processed
// context cache is only read while it runs.
func recoverInto(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%w: the JSON-LD processor failed on this document: %s", ErrInvalid, clip(fmt.Sprint(r)))
	}
}

// withProcessedContext returns doc, or a shallow copy of it whose @context
// is the already processed active context. json-gold accepts a processed
// context where a local context is expected and then uses it as is, which
// is exactly right at the top level, where the active context before it is
// the empty one.
func (p *Processor) withProcessedContext(doc map[string]any) (map[string]any, error) {
	local, ok := doc["@context"]
	if !ok || !p.cacheable(local) {
		return doc, nil
	}
	active, err := p.activeContext(local)
	if err != nil {
		return nil, err
	}
	out := make(map[string]any, len(doc))
	for k, v := range doc {
		out[k] = v
	}
	// json-gold writes the active context's Values (the processing mode)
	// when handed a processed context, so each use gets its own; the term
	// definitions, only read, stay shared.
	own := *active
	values := *active.Values
	own.Values = &values
	out["@context"] = &own
	return out, nil
}

func (p *Processor) activeContext(local any) (*ld.Context, error) {
	raw, err := json.Marshal(local)
	if err != nil {
		return nil, fmt.Errorf("%w: @context: %v", ErrInvalid, err)
	}
	key := string(raw)
	p.mu.RLock()
	active, ok := p.contexts[key]
	p.mu.RUnlock()
	if ok {
		return active, nil
	}
	active, err = ld.NewContext(nil, p.opts).Parse(local)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	if len(p.contexts) < maxContextsCached {
		p.contexts[key] = active
	}
	p.mu.Unlock()
	return active, nil
}

// cacheable: a URL of an offline context, or an array of them. Inline
// context objects are processed every time (caching them would let a wallet
// fill the cache), and so are remote ones (they expire).
func (p *Processor) cacheable(local any) bool {
	switch v := local.(type) {
	case string:
		_, ok := p.loader.local[v]
		return ok
	case []any:
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return false
			}
			if _, ok := p.loader.local[s]; !ok {
				return false
			}
		}
		return len(v) > 0
	}
	return false
}

// classify maps json-gold's errors onto ours.
func classify(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, ErrContextNotAllowed) || errors.Is(err, ErrContextFetch) ||
		errors.Is(err, ErrUnsafe) || errors.Is(err, ErrInvalid) {
		return err
	}
	var jerr *ld.JsonLdError
	if errors.As(err, &jerr) && jerr.Code == ld.InvalidProperty {
		return fmt.Errorf("%w", ErrUnsafe)
	}
	return fmt.Errorf("%w: %v", ErrInvalid, err)
}
