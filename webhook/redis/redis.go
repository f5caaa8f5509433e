// Package redis is the webhook.Log of several instances on one Redis
// (standalone, Sentinel or Cluster), beside the session store's keys:
//
//	{prefix}webhook:{<event id>}           HASH: the record without its attempts
//	{prefix}webhook:{<event id>}:attempts  LIST: the attempts, in order
//	{prefix}webhooks                       ZSET: event id → the event's time (ms), for List
//
// A record's two keys share a hash tag, so they are written together
// (MULTI) on Cluster too, and expire a retention period after their last
// write. The index is trimmed to MaxRecords on every write, and List
// drops the entries of records that expired.
package redis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/loginwithiota/verifier/webhook"
)

var _ webhook.Log = (*Log)(nil)

// MaxRecords bounds the index: the oldest events' records leave it first.
const MaxRecords = 100000

// Log keeps delivery records in Redis.
type Log struct {
	client    goredis.UniversalClient
	prefix    string
	retention time.Duration
}

// New returns a Log under prefix (the session store's) keeping records
// for retention after their last write (0: a week; Redis expires them).
func New(client goredis.UniversalClient, prefix string, retention time.Duration) *Log {
	if retention <= 0 {
		retention = 7 * 24 * time.Hour
	}
	return &Log{client: client, prefix: prefix, retention: retention}
}

func (l *Log) recordKey(id string) string   { return l.prefix + "webhook:{" + id + "}" }
func (l *Log) attemptsKey(id string) string { return l.prefix + "webhook:{" + id + "}:attempts" }
func (l *Log) indexKey() string             { return l.prefix + "webhooks" }

// Record stores d's description and state and appends a.
func (l *Log) Record(ctx context.Context, d webhook.Delivery, a *webhook.Attempt) error {
	d.Attempts = nil
	rec, err := json.Marshal(d)
	if err != nil {
		return err
	}
	var att []byte
	if a != nil {
		if att, err = json.Marshal(a); err != nil {
			return err
		}
	}
	rk, ak := l.recordKey(d.EventID), l.attemptsKey(d.EventID)
	_, err = l.client.TxPipelined(ctx, func(p goredis.Pipeliner) error {
		p.HSet(ctx, rk, "d", rec)
		if att != nil {
			p.RPush(ctx, ak, att)
			p.PExpire(ctx, ak, l.retention)
		}
		p.PExpire(ctx, rk, l.retention)
		return nil
	})
	if err != nil {
		return fmt.Errorf("redis: webhook log: %w", err)
	}
	_, err = l.client.Pipelined(ctx, func(p goredis.Pipeliner) error {
		p.ZAdd(ctx, l.indexKey(), goredis.Z{Score: float64(d.CreatedAt.UnixMilli()), Member: d.EventID})
		p.ZRemRangeByRank(ctx, l.indexKey(), 0, -MaxRecords-1)
		return nil
	})
	if err != nil {
		return fmt.Errorf("redis: webhook log index: %w", err)
	}
	return nil
}

// Get returns the event's record with its attempts.
func (l *Log) Get(ctx context.Context, eventID string) (webhook.Delivery, error) {
	recs, err := l.get(ctx, []string{eventID})
	if err != nil {
		return webhook.Delivery{}, err
	}
	if len(recs) == 0 {
		return webhook.Delivery{}, fmt.Errorf("redis: %w", webhook.ErrNotFound)
	}
	return recs[0], nil
}

// List returns up to limit records, the latest events first.
func (l *Log) List(ctx context.Context, limit int) ([]webhook.Delivery, error) {
	if limit <= 0 {
		return []webhook.Delivery{}, nil
	}
	ids, err := l.client.ZRevRange(ctx, l.indexKey(), 0, int64(limit-1)).Result()
	if err != nil {
		return nil, fmt.Errorf("redis: webhook log index: %w", err)
	}
	recs, err := l.get(ctx, ids)
	if err == nil && len(recs) < len(ids) {
		l.dropExpired(ctx, ids, recs)
	}
	return recs, err
}

// dropExpired takes the ids whose records expired off the index.
func (l *Log) dropExpired(ctx context.Context, ids []string, found []webhook.Delivery) {
	live := make(map[string]bool, len(found))
	for _, d := range found {
		live[d.EventID] = true
	}
	var gone []any
	for _, id := range ids {
		if !live[id] {
			gone = append(gone, id)
		}
	}
	_ = l.client.ZRem(ctx, l.indexKey(), gone...).Err() // best effort: the next List tries again
}

// get reads records in one pipeline; missing ones (expired) are skipped.
func (l *Log) get(ctx context.Context, ids []string) ([]webhook.Delivery, error) {
	recs := make([]*goredis.StringCmd, len(ids))
	atts := make([]*goredis.StringSliceCmd, len(ids))
	_, err := l.client.Pipelined(ctx, func(p goredis.Pipeliner) error {
		for i, id := range ids {
			recs[i] = p.HGet(ctx, l.recordKey(id), "d")
			atts[i] = p.LRange(ctx, l.attemptsKey(id), 0, -1)
		}
		return nil
	})
	if err != nil && !errors.Is(err, goredis.Nil) {
		return nil, fmt.Errorf("redis: webhook log: %w", err)
	}
	out := make([]webhook.Delivery, 0, len(ids))
	for i := range ids {
		raw, err := recs[i].Bytes()
		if errors.Is(err, goredis.Nil) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("redis: webhook log: %w", err)
		}
		var d webhook.Delivery
		if err := json.Unmarshal(raw, &d); err != nil {
			return nil, fmt.Errorf("redis: webhook log record %s: %w", ids[i], err)
		}
		d.Attempts = []webhook.Attempt{}
		for _, a := range atts[i].Val() {
			var at webhook.Attempt
			if err := json.Unmarshal([]byte(a), &at); err != nil {
				return nil, fmt.Errorf("redis: webhook log attempt of %s: %w", ids[i], err)
			}
			d.Attempts = append(d.Attempts, at)
		}
		out = append(out, d)
	}
	return out, nil
}
