package redis

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/loginwithiota/verifier/session"
	"github.com/loginwithiota/verifier/session/internal/fanout"
)

var _ session.Store = (*Store)(nil)

// DefaultPrefix starts every key when Options.Prefix is empty.
const DefaultPrefix = "liota:"

// Options configures a Store.
type Options struct {
	// Prefix starts every key; empty means DefaultPrefix.
	Prefix string
	// Now is the clock used to check DeleteAt; nil means time.Now. Expiry
	// itself runs on the Redis server's clock.
	Now func() time.Time
	// WaitReplicas > 0 makes every write wait (WAIT, in the same round
	// trip) until that many replicas have it, or fail with ErrUnavailable
	// after WaitTimeout (default 1s). Redis replicates asynchronously, and a
	// Sentinel failover promotes a replica without pausing the old master:
	// without this, a completion the wallet was told about may be lost.
	// On Cluster it is the one protection against a master's crash (a
	// manual CLUSTER FAILOVER is coordinated and loses nothing anyway).
	WaitReplicas int
	WaitTimeout  time.Duration
}

// Store is a Redis-backed session.Store, safe for concurrent use.
type Store struct {
	client goredis.UniversalClient
	prefix string
	now    func() time.Time
	wait   int // replicas every write waits for
	waitT  time.Duration

	recent recent // records this instance read or wrote lately (update.go)

	hub    fanout.Hub // Notifier subscribers of this instance
	mu     sync.Mutex // guards pubsub and closed
	pubsub *goredis.PubSub
	closed bool
}

// New returns a Store on client (standalone, Sentinel or Cluster). The
// client is the caller's to close.
func New(client goredis.UniversalClient, opts Options) *Store {
	s := &Store{client: client, prefix: opts.Prefix, now: opts.Now, wait: opts.WaitReplicas, waitT: opts.WaitTimeout}
	if s.waitT <= 0 {
		s.waitT = time.Second
	}
	if s.prefix == "" {
		s.prefix = DefaultPrefix
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.recent.init(s.now)
	return s
}

// sessionKey is the record's key; the braces make the id its hash tag.
func (s *Store) sessionKey(id string) string { return s.prefix + "session:{" + id + "}" }

// idOfState is the session id a wallet-facing state names: the text before
// its first dot (the service mints states as "<id>.<secret>").
func idOfState(state string) (string, bool) {
	id, _, ok := strings.Cut(state, ".")
	return id, ok && id != ""
}

// Create stores sess; session.ErrExists if its ID or State is taken.
func (s *Store) Create(ctx context.Context, sess session.Session) error {
	if err := validate(sess, s.now()); err != nil {
		return err
	}
	if len(sess.State) <= len(sess.ID)+1 || !strings.HasPrefix(sess.State, sess.ID+".") {
		return s.refuseForeignState(ctx, sess)
	}
	// The state holds the id, so the record is the only key: SET NX is the
	// whole create, on one node.
	var set *goredis.StatusCmd
	key := s.sessionKey(sess.ID)
	err := s.write(ctx, key, func(c goredis.Cmdable) {
		set = c.SetArgs(ctx, key, encode(sess), goredis.SetArgs{Mode: "NX", ExpireAt: sess.DeleteAt})
	})
	if err == nil || errors.Is(err, goredis.Nil) {
		err = set.Err()
	}
	if errors.Is(err, goredis.Nil) {
		return fmt.Errorf("redis: create: %w", session.ErrExists)
	}
	if err != nil {
		return s.unavailable(ctx, "create", err)
	}
	return nil
}

// write sends the commands cmds queues (on key), followed by WAIT when the
// store waits for replicas, in one round trip on one connection: WAIT
// counts the writes of its own connection. On Cluster that connection is
// one to the master of key's slot (a pipeline of the cluster client would
// route WAIT to every shard, which it refuses); if the slot moves
// meanwhile, Redis answers MOVED and the write is reported unavailable.
func (s *Store) write(ctx context.Context, key string, cmds func(goredis.Cmdable)) error {
	if s.wait <= 0 {
		cmds(s.client)
		return nil
	}
	var conn goredis.Cmdable = s.client
	if cc, ok := s.client.(*goredis.ClusterClient); ok {
		node, err := cc.MasterForKey(ctx, key)
		if err != nil {
			return err
		}
		conn = node
	}
	var wait *goredis.Cmd
	_, err := conn.Pipelined(ctx, func(p goredis.Pipeliner) error {
		cmds(p)
		wait = p.Do(ctx, "WAIT", s.wait, s.waitT.Milliseconds())
		return nil
	})
	if err != nil {
		return err
	}
	if n, _ := wait.Int64(); n < int64(s.wait) {
		return fmt.Errorf("%d of %d replicas have the write after %v", n, s.wait, s.waitT)
	}
	return nil
}

// refuseForeignState answers a Create whose state does not start with its
// id: ErrExists when its id or its state is taken (as the contract says),
// otherwise the caller's bug. Nothing is stored either way, so the two
// reads need not be atomic.
func (s *Store) refuseForeignState(ctx context.Context, sess session.Session) error {
	for _, taken := range []func() error{
		func() error { _, err := s.get(ctx, sess.ID); return err },
		func() error { _, err := s.GetByState(ctx, sess.State); return err },
	} {
		if err := taken(); err == nil {
			return fmt.Errorf("redis: create: %w", session.ErrExists)
		} else if !errors.Is(err, session.ErrNotFound) {
			return err
		}
	}
	return errors.New(`redis: a session's State must be its ID, a dot and a secret ("<id>.<secret>")`)
}

// Get returns the session with the website-facing id.
func (s *Store) Get(ctx context.Context, id string) (session.Session, error) {
	return s.get(ctx, id)
}

// GetByState returns the session with the wallet-facing state: one read,
// since the state names the record's key, then a constant-time comparison
// of the whole state with the stored one (the id part is no secret, the
// rest is).
func (s *Store) GetByState(ctx context.Context, state string) (session.Session, error) {
	id, ok := idOfState(state)
	if !ok {
		return session.Session{}, fmt.Errorf("redis: get by state: %w", session.ErrNotFound)
	}
	sess, err := s.get(ctx, id)
	if err != nil {
		return session.Session{}, err
	}
	if subtle.ConstantTimeCompare([]byte(sess.State), []byte(state)) != 1 {
		return session.Session{}, fmt.Errorf("redis: get by state: %w", session.ErrNotFound)
	}
	// The wallet's answer reads the session, then completes it: remember
	// the record so the completion is one round trip.
	s.recent.put(sess)
	return sess, nil
}

// get reads and decodes one record.
func (s *Store) get(ctx context.Context, id string) (session.Session, error) {
	data, err := s.client.Get(ctx, s.sessionKey(id)).Bytes()
	if errors.Is(err, goredis.Nil) {
		return session.Session{}, fmt.Errorf("redis: get: %w", session.ErrNotFound)
	}
	if err != nil {
		return session.Session{}, s.unavailable(ctx, "get", err)
	}
	return decode(data)
}

// Ping reports whether Redis answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.client.Ping(ctx).Err(); err != nil {
		return s.unavailable(ctx, "ping", err)
	}
	return nil
}

// CheckWrite reports whether Redis takes writes now (readiness): a SET of a
// key of its own with a short TTL, which a full Redis (maxmemory with
// noeviction: OOM), a read-only replica or a cluster without the slot
// refuses while PING still answers.
func (s *Store) CheckWrite(ctx context.Context) error {
	if err := s.client.Set(ctx, s.prefix+"readyz:{probe}", time.Now().UnixMilli(), 10*time.Second).Err(); err != nil {
		return s.unavailable(ctx, "write check", err)
	}
	return nil
}

// unavailable wraps a fault of Redis or of the way to it. Every such error
// is reported as session.ErrUnavailable, including server-side errors: the
// store sends only commands it knows to be valid, so a refusal (LOADING,
// READONLY, OOM, CLUSTERDOWN, …) means the backend cannot serve now.
//
// On Cluster a fault also asks the client to reload the slot map: go-redis
// reloads it by itself on MOVED, but not when a master stops answering, so
// without this a crashed master's slots would fail until the next periodic
// reload although a replica took them over (the reload is asynchronous and
// merges concurrent requests).
func (s *Store) unavailable(ctx context.Context, op string, err error) error {
	if cc, ok := s.client.(*goredis.ClusterClient); ok {
		var netErr net.Error
		if errors.As(err, &netErr) || errors.Is(err, io.EOF) || goredis.HasErrorPrefix(err, "CLUSTERDOWN") {
			cc.ReloadState(ctx)
		}
	}
	return fmt.Errorf("redis: %s: %w: %w", op, session.ErrUnavailable, err)
}

func validate(sess session.Session, now time.Time) error {
	switch {
	case sess.ID == "":
		return errors.New("redis: session has no ID")
	case strings.ContainsAny(sess.ID, "{}."):
		// The id is the key's hash tag and the state's first part.
		return errors.New("redis: a session ID may not hold '{', '}' or '.'")
	case sess.State == "":
		return errors.New("redis: session has no State")
	case !sess.DeleteAt.After(now):
		return errors.New("redis: session DeleteAt is not in the future")
	}
	return nil
}
