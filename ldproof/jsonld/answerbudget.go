package jsonld

import (
	"context"
	"fmt"
	"sync"
)

// Budget bounds what all the canonicalizations of one request spend
// together. A wallet's answer holds several documents (a presentation and
// each credential in it), each within the per-document limits; without a
// shared bound, an answer of many documents each just under them would
// cost their sum. A canonicalization that finds the budget spent is
// refused (ErrTooComplex) before it starts, so a request costs at most its
// budget plus one document's limits.
type Budget struct {
	mu                sync.Mutex
	limit, spent      limits
	canonicalizations int
}

// NewBudget returns a budget of twice the processor's per-document limits:
// a presentation of ten credentials spends about a tenth of it.
func (p *Processor) NewBudget() *Budget {
	l := p.limits
	return &Budget{limit: limits{nodes: 2 * l.nodes, values: 2 * l.values, blankNodes: 2 * l.blankNodes, work: 2 * l.work}}
}

type budgetKey struct{}

// WithBudget returns ctx carrying b: every Canonicalize with that context
// (or one derived from it) spends from b.
func WithBudget(ctx context.Context, b *Budget) context.Context {
	return context.WithValue(ctx, budgetKey{}, b)
}

func budgetFrom(ctx context.Context) *Budget {
	b, _ := ctx.Value(budgetKey{}).(*Budget)
	return b
}

// check refuses a canonicalization once any part of the budget is spent.
func (b *Budget) check() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	s, l := b.spent, b.limit
	if s.nodes > l.nodes || s.values > l.values || s.blankNodes > l.blankNodes || s.work > l.work {
		return fmt.Errorf("%w: the request's %d documents together exceed twice the per-document limits", ErrTooComplex, b.canonicalizations)
	}
	return nil
}

// spend adds what one canonicalization used.
func (b *Budget) spend(st *stats) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.canonicalizations++
	b.spent.nodes += st.nodes
	b.spent.values += st.values
	b.spent.blankNodes += st.blankNodes
	b.spent.work += st.work
}
