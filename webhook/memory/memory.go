// Package memory is the webhook.Log of a single instance: the delivery
// records in process, the latest MaxRecords of them, for a retention
// period.
package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/loginwithiota/verifier/webhook"
)

var _ webhook.Log = (*Log)(nil)

// MaxRecords bounds the records kept: the oldest events' go first.
const MaxRecords = 10000

// Log keeps delivery records in memory, safe for concurrent use.
type Log struct {
	retention time.Duration
	now       func() time.Time

	mu      sync.Mutex
	records map[string]*webhook.Delivery
}

// New returns an empty log keeping records for retention (0: a week).
// now is the clock (nil: time.Now).
func New(retention time.Duration, now func() time.Time) *Log {
	if retention <= 0 {
		retention = 7 * 24 * time.Hour
	}
	if now == nil {
		now = time.Now
	}
	return &Log{retention: retention, now: now, records: make(map[string]*webhook.Delivery)}
}

// Record stores d's description and state and appends a.
func (l *Log) Record(ctx context.Context, d webhook.Delivery, a *webhook.Attempt) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	rec, ok := l.records[d.EventID]
	if !ok {
		rec = &webhook.Delivery{}
		l.records[d.EventID] = rec
	}
	attempts := rec.Attempts
	*rec = d
	rec.Attempts = attempts
	if a != nil {
		rec.Attempts = append(rec.Attempts, *a)
	}
	if !ok {
		l.prune()
	}
	return nil
}

// Get returns a copy of the event's record.
func (l *Log) Get(ctx context.Context, eventID string) (webhook.Delivery, error) {
	if err := ctx.Err(); err != nil {
		return webhook.Delivery{}, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	rec, ok := l.records[eventID]
	if !ok || l.expired(rec) {
		return webhook.Delivery{}, fmt.Errorf("memory: %w", webhook.ErrNotFound)
	}
	return clone(rec), nil
}

// List returns up to limit records, the latest events first.
func (l *Log) List(ctx context.Context, limit int) ([]webhook.Delivery, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	all := l.sorted()
	out := make([]webhook.Delivery, 0, min(limit, len(all)))
	for _, rec := range all[:min(max(limit, 0), len(all))] {
		out = append(out, clone(rec))
	}
	return out, nil
}

// sorted are the live records, the latest event first. The caller holds l.mu.
func (l *Log) sorted() []*webhook.Delivery {
	all := make([]*webhook.Delivery, 0, len(l.records))
	for _, rec := range l.records {
		if !l.expired(rec) {
			all = append(all, rec)
		}
	}
	slices.SortFunc(all, func(a, b *webhook.Delivery) int {
		return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), cmp.Compare(b.EventID, a.EventID))
	})
	return all
}

// prune drops expired records, and the oldest beyond MaxRecords. The
// caller holds l.mu.
func (l *Log) prune() {
	if len(l.records) <= MaxRecords {
		return
	}
	all := l.sorted()
	keep := make(map[string]*webhook.Delivery, MaxRecords)
	for _, rec := range all[:min(len(all), MaxRecords)] {
		keep[rec.EventID] = rec
	}
	l.records = keep
}

func (l *Log) expired(rec *webhook.Delivery) bool {
	return !l.now().Before(rec.UpdatedAt.Add(l.retention))
}

func clone(rec *webhook.Delivery) webhook.Delivery {
	c := *rec
	c.Attempts = slices.Clone(rec.Attempts)
	if c.Attempts == nil {
		c.Attempts = []webhook.Attempt{}
	}
	return c
}
