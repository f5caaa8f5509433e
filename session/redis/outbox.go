package redis

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/loginwithiota/verifier/session"
)

var (
	_ session.Store    = (*Outbox)(nil)
	_ session.Notifier = (*Outbox)(nil)
	_ session.Outbox   = (*Outbox)(nil)
)

// DefaultResync is OutboxOptions.Resync when unset.
const DefaultResync = 10 * time.Second

// OutboxOptions configure an Outbox.
type OutboxOptions struct {
	// Resync is how often this instance reads every index again to learn
	// of what other instances wrote (an orphaned claim of a crashed
	// instance, a session it created). What this instance writes, it
	// knows at once. Default DefaultResync.
	Resync time.Duration
}

// Outbox is the Store with completion events (session.Outbox): Create
// also lists a pending session for its expiry, UpdateEmit writes events in
// the completion's script. Layout (slots.go for <slot-tag>):
//
//	{prefix}outbox:{<slot-tag>}    ZSET event id → due (unix ms): written, deferred to, or leased until
//	{prefix}events:{<slot-tag>}    HASH event id → the event (JSON)
//	{prefix}expiries:{<slot-tag>}  ZSET session id → ExpiresAt (unix ms), pending sessions only
//
// An event id is "<session id>.<random>", so it names its slot. Every
// instance of the service must use an Outbox on a prefix, or none: one
// without it completes sessions without events.
type Outbox struct {
	*Store
	cluster bool
	events  *schedule
	expiry  *schedule
}

// NewOutbox returns s with the outbox. The Store is still s's to close.
func NewOutbox(s *Store, o OutboxOptions) *Outbox {
	if o.Resync <= 0 {
		o.Resync = DefaultResync
	}
	_, cluster := s.client.(*goredis.ClusterClient)
	return &Outbox{Store: s, cluster: cluster, events: newSchedule(o.Resync), expiry: newSchedule(o.Resync)}
}

// tag is the hash tag of the indexes of session id's slot.
func (o *Outbox) tag(id string) string {
	if !o.cluster {
		return "all"
	}
	return slotTags()[slotOf(o.sessionKey(id))]
}

// allTags are the tags of every index.
func (o *Outbox) allTags() []string {
	if !o.cluster {
		return []string{"all"}
	}
	return slotTags()
}

func (o *Outbox) outboxKey(tag string) string   { return o.prefix + "outbox:{" + tag + "}" }
func (o *Outbox) eventsKey(tag string) string   { return o.prefix + "events:{" + tag + "}" }
func (o *Outbox) expiriesKey(tag string) string { return o.prefix + "expiries:{" + tag + "}" }

// sessionOfEvent is the session id an event id names.
func sessionOfEvent(eventID string) (string, bool) {
	id, _, ok := strings.Cut(eventID, ".")
	return id, ok && id != ""
}

// Create is the Store's, and a pending session is listed for its expiry
// in the same script.
func (o *Outbox) Create(ctx context.Context, sess session.Session) error {
	if sess.Status != session.StatusPending || !strings.HasPrefix(sess.State, sess.ID+".") {
		return o.Store.Create(ctx, sess) // nothing to expire, or refused as the Store refuses it
	}
	if err := validate(sess, o.now()); err != nil {
		return err
	}
	key, tag := o.sessionKey(sess.ID), o.tag(sess.ID)
	res, err := o.runScript(ctx, key, createIndexedScript, []string{key, o.expiriesKey(tag)},
		encode(sess), sess.DeleteAt.UnixMilli(), sess.ExpiresAt.UnixMilli(), sess.ID)
	if err != nil {
		return o.unavailable(ctx, "create", err)
	}
	if n, _ := res.(int64); n != 1 {
		return fmt.Errorf("redis: create: %w", session.ErrExists)
	}
	o.expiry.lower(tag, sess.ExpiresAt.UnixMilli())
	return nil
}

// UpdateEmit is Update (update.go) whose script also stores fn's events.
// A session found or left other than pending leaves the expiries index.
func (o *Outbox) UpdateEmit(ctx context.Context, id string, fn func(session.Session) (session.Session, []session.Event, error)) (session.Session, error) {
	old, ok := o.recent.take(id)
	if !ok {
		var err error
		if old, err = o.get(ctx, id); err != nil {
			if errors.Is(err, session.ErrNotFound) {
				o.forgetExpiry(ctx, id)
			}
			return session.Session{}, err
		}
	}
	key, tag := o.sessionKey(id), o.tag(id)
	keys := []string{key, o.outboxKey(tag), o.eventsKey(tag), o.expiriesKey(tag)}
	for range maxAttempts {
		next, events, err := fn(old.Clone())
		if err != nil {
			if old.Status != session.StatusPending {
				o.forgetExpiry(ctx, id)
			}
			return session.Session{}, err
		}
		now := o.now()
		if err := checkUpdate(old, next, now); err != nil {
			return session.Session{}, err
		}
		next.Version = old.Version + 1
		next = next.Clone()
		pending := "0"
		if next.Status == session.StatusPending {
			pending = "1"
		}
		args := []any{old.Version, encode(next), next.DeleteAt.UnixMilli(), o.channel(), id, now.UnixMilli(), pending}
		for _, ev := range events {
			ev.SessionID, ev.ID = id, id+"."+rand.Text()[:16]
			body, err := json.Marshal(ev)
			if err != nil {
				return session.Session{}, fmt.Errorf("redis: encode event: %w", err)
			}
			args = append(args, ev.ID, body)
		}
		res, err := o.runScript(ctx, key, emitScript, keys, args...)
		if err != nil {
			return session.Session{}, o.unavailable(ctx, "update", err)
		}
		switch res := res.(type) {
		case int64:
			switch res {
			case scriptStored:
				o.recent.published(id)
				if len(events) > 0 {
					o.events.lower(tag, now.UnixMilli())
				}
				return next.Clone(), nil
			case scriptGone:
				return session.Session{}, fmt.Errorf("redis: update: %w", session.ErrNotFound)
			}
		case string:
			if old, err = decode([]byte(res)); err != nil {
				return session.Session{}, err
			}
			continue
		}
		return session.Session{}, fmt.Errorf("redis: update: unexpected reply %v", res)
	}
	return session.Session{}, fmt.Errorf("redis: update: %w: %d conflicting writes in a row", session.ErrUnavailable, maxAttempts)
}

// forgetExpiry takes id off the expiries index (it is gone, or another
// writer completed it). Best effort: a failure leaves it listed, and the
// next sweep asks again.
func (o *Outbox) forgetExpiry(ctx context.Context, id string) {
	_ = o.client.ZRem(ctx, o.expiriesKey(o.tag(id)), id).Err()
}

// runScript runs script on keys (EVALSHA, loading it when the server does
// not know it), followed by WAIT when the store waits for replicas (write).
func (o *Outbox) runScript(ctx context.Context, key string, script *goredis.Script, keys []string, args ...any) (any, error) {
	var cmd *goredis.Cmd
	run := func(c goredis.Cmdable) { cmd = script.EvalSha(ctx, c, keys, args...) }
	err := o.write(ctx, key, run)
	if err == nil || goredis.HasErrorPrefix(err, "NOSCRIPT") {
		err = cmd.Err()
	}
	if goredis.HasErrorPrefix(err, "NOSCRIPT") {
		if err := script.Load(ctx, o.client).Err(); err != nil {
			return nil, err
		}
		if err := o.write(ctx, key, run); err != nil {
			return nil, err
		}
		err = cmd.Err()
	}
	if err != nil {
		return nil, err
	}
	return cmd.Val(), nil
}

// Defer makes event id due at at; an acknowledged event stays gone (XX).
func (o *Outbox) Defer(ctx context.Context, id string, at time.Time) error {
	sid, ok := sessionOfEvent(id)
	if !ok {
		return nil // no event of ours has such an id
	}
	tag := o.tag(sid)
	err := o.client.ZAddXX(ctx, o.outboxKey(tag), goredis.Z{Score: float64(at.UnixMilli()), Member: id}).Err()
	if err != nil {
		return o.unavailable(ctx, "defer", err)
	}
	o.events.lower(tag, at.UnixMilli())
	return nil
}

// Ack removes the events, one script per slot, in one pipeline.
func (o *Outbox) Ack(ctx context.Context, ids ...string) error {
	bySlot := map[string][]any{}
	for _, id := range ids {
		if sid, ok := sessionOfEvent(id); ok {
			tag := o.tag(sid)
			bySlot[tag] = append(bySlot[tag], id)
		}
	}
	if len(bySlot) == 0 {
		return ctx.Err()
	}
	if err := o.loadScripts(ctx, ackScript); err != nil {
		return o.unavailable(ctx, "ack", err)
	}
	_, err := o.client.Pipelined(ctx, func(p goredis.Pipeliner) error {
		for tag, ids := range bySlot {
			ackScript.EvalSha(ctx, p, []string{o.outboxKey(tag), o.eventsKey(tag)}, ids...)
		}
		return nil
	})
	if err != nil {
		return o.unavailable(ctx, "ack", err)
	}
	return nil
}

// loadScripts makes sure the servers know scripts, so a pipeline of
// EVALSHA does not fail with NOSCRIPT (a restarted server forgets them).
// SCRIPT EXISTS is cheaper than a failed pipeline and is asked once per
// call; on Cluster go-redis asks every master.
func (o *Outbox) loadScripts(ctx context.Context, scripts ...*goredis.Script) error {
	for _, sc := range scripts {
		known, err := sc.Exists(ctx, o.client).Result()
		if err != nil {
			return err
		}
		if len(known) == 0 || !known[0] {
			if err := sc.Load(ctx, o.client).Err(); err != nil {
				return err
			}
		}
	}
	return nil
}

// Claim leases up to n due events: it reads the indexes the schedule
// says have something due (all of them on a resync), and claims in them,
// soonest due first, until it has n.
func (o *Outbox) Claim(ctx context.Context, n int, lease time.Duration) ([]session.Event, error) {
	if n <= 0 {
		return nil, ctx.Err()
	}
	now := o.now()
	nowMs := now.UnixMilli()
	tags, gens, full := o.events.due(now, nowMs, o.allTags)
	if full {
		var err error
		if tags, err = o.probe(ctx, o.events, tags, gens, nowMs, o.outboxKey); err != nil {
			return nil, o.unavailable(ctx, "claim", err)
		}
	}
	var out []session.Event
	for _, tag := range tags {
		if len(out) >= n {
			break
		}
		res, err := claimScript.Run(ctx, o.client, []string{o.outboxKey(tag), o.eventsKey(tag)},
			nowMs, now.Add(lease).UnixMilli(), n-len(out)).Slice()
		if err != nil {
			return out, o.unavailable(ctx, "claim", err)
		}
		evs, next, err := claimReply(res)
		if err != nil {
			return out, err
		}
		o.events.saw(tag, gens[tag], next, next >= 0)
		out = append(out, evs...)
	}
	return out, nil
}

// claimReply reads claimScript's answer: the events, and the slot's next
// due time (-1: none).
func claimReply(res []any) ([]session.Event, int64, error) {
	if len(res) != 2 {
		return nil, 0, fmt.Errorf("redis: claim: unexpected reply %v", res)
	}
	pairs, _ := res[0].([]any)
	out := make([]session.Event, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		body, _ := pairs[i+1].(string)
		var ev session.Event
		if err := json.Unmarshal([]byte(body), &ev); err != nil {
			return nil, 0, fmt.Errorf("redis: decode event %v: %w", pairs[i], err)
		}
		out = append(out, ev)
	}
	next := int64(-1)
	if s, _ := res[1].(string); s != "" {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, 0, fmt.Errorf("redis: claim: score %q: %w", s, err)
		}
		next = int64(f)
	}
	return out, next, nil
}

// probe reads the earliest score of each tag's index (key), in one
// pipeline, records it in sc, and returns the tags with something due at
// nowMs, soonest first.
func (o *Outbox) probe(ctx context.Context, sc *schedule, tags []string, gens map[string]uint64, nowMs int64, key func(string) string) ([]string, error) {
	cmds := make([]*goredis.ZSliceCmd, len(tags))
	_, err := o.client.Pipelined(ctx, func(p goredis.Pipeliner) error {
		for i, tag := range tags {
			cmds[i] = p.ZRangeWithScores(ctx, key(tag), 0, 0)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	type dueTag struct {
		tag string
		at  int64
	}
	var due []dueTag
	for i, tag := range tags {
		z := cmds[i].Val()
		if len(z) == 0 {
			sc.saw(tag, gens[tag], 0, false)
			continue
		}
		at := int64(z[0].Score)
		sc.saw(tag, gens[tag], at, true)
		if at <= nowMs {
			due = append(due, dueTag{tag, at})
		}
	}
	slices.SortFunc(due, func(a, b dueTag) int { return cmp.Compare(a.at, b.at) })
	out := make([]string, len(due))
	for i, d := range due {
		out[i] = d.tag
	}
	return out, nil
}

// DueExpiries returns up to n pending sessions whose ExpiresAt is not
// after before, soonest first, from the indexes the schedule says have
// some (all of them on a resync).
func (o *Outbox) DueExpiries(ctx context.Context, before time.Time, n int) ([]string, error) {
	if n <= 0 {
		return nil, ctx.Err()
	}
	bMs := before.UnixMilli()
	tags, gens, full := o.expiry.due(o.now(), bMs, o.allTags)
	if full {
		var err error
		if tags, err = o.probe(ctx, o.expiry, tags, gens, bMs, o.expiriesKey); err != nil {
			return nil, o.unavailable(ctx, "due expiries", err)
		}
	}
	if len(tags) == 0 {
		return nil, nil
	}
	due := make([]*goredis.ZSliceCmd, len(tags))
	first := make([]*goredis.ZSliceCmd, len(tags))
	_, err := o.client.Pipelined(ctx, func(p goredis.Pipeliner) error {
		for i, tag := range tags {
			due[i] = p.ZRangeByScoreWithScores(ctx, o.expiriesKey(tag), &goredis.ZRangeBy{Min: "-inf", Max: strconv.FormatInt(bMs, 10), Count: int64(n)})
			first[i] = p.ZRangeWithScores(ctx, o.expiriesKey(tag), 0, 0)
		}
		return nil
	})
	if err != nil {
		return nil, o.unavailable(ctx, "due expiries", err)
	}
	var all []goredis.Z
	for i, tag := range tags {
		all = append(all, due[i].Val()...)
		if z := first[i].Val(); len(z) > 0 {
			o.expiry.saw(tag, gens[tag], int64(z[0].Score), true)
		} else {
			o.expiry.saw(tag, gens[tag], 0, false)
		}
	}
	slices.SortFunc(all, func(a, b goredis.Z) int {
		return cmp.Or(cmp.Compare(a.Score, b.Score), cmp.Compare(a.Member.(string), b.Member.(string)))
	})
	ids := make([]string, 0, min(n, len(all)))
	for _, z := range all[:min(n, len(all))] {
		ids = append(ids, z.Member.(string))
	}
	return ids, nil
}
