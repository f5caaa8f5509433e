package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/loginwithiota/verifier/session"
	"github.com/loginwithiota/verifier/verifier"
)

// Record is one line of the audit log.
type Record struct {
	Time  time.Time `json:"time"`
	Event string    `json:"event"` // "login"
	// SessionHash is the first 16 bytes of SHA-256 of the session id, in
	// hex: it lets an operator find a login they know the id of, and
	// names no login to anyone else.
	SessionHash string       `json:"session_hash"`
	Definition  string       `json:"definition"`
	Flow        session.Flow `json:"flow"`
	Outcome     string       `json:"outcome"`
	Reason      string       `json:"reason,omitempty"`
	Issuers     []string     `json:"issuers,omitempty"`
	Types       [][]string   `json:"credential_types,omitempty"`
	// Holder is set only with Options.IncludeHolder.
	Holder     string `json:"holder,omitempty"`
	DurationMS int64  `json:"duration_ms"`
}

// Options tune a Log.
type Options struct {
	// IncludeHolder adds the verified holder's DID to each record.
	IncludeHolder bool
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// Logger hears of a sink that fails (nil: slog.Default()).
	Logger *slog.Logger
}

// Log writes records to a sink, one Write per line; it is safe for
// concurrent use.
type Log struct {
	opts Options
	mu   sync.Mutex
	w    io.Writer
	// failing is set after a failed write, so a broken sink is reported
	// once, not on every login.
	failing bool
}

var _ verifier.Observer = (*Log)(nil)

// New writes to w.
func New(w io.Writer, opts Options) *Log {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &Log{opts: opts, w: w}
}

// HashID is what a record names session id by.
func HashID(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:16])
}

// SessionCompleted writes the login's record.
func (l *Log) SessionCompleted(ctx context.Context, c verifier.Completion) {
	r := Record{
		Time:        l.opts.Now().UTC(),
		Event:       "login",
		SessionHash: HashID(c.SessionID),
		Definition:  c.Definition,
		Flow:        c.Flow,
		Outcome:     c.Outcome,
		Reason:      c.Reason,
		Issuers:     c.Issuers,
		Types:       c.Types,
		DurationMS:  c.Duration.Milliseconds(),
	}
	if l.opts.IncludeHolder {
		r.Holder = c.Holder
	}
	line, err := json.Marshal(r)
	if err != nil {
		return // a Record always marshals
	}
	line = append(line, '\n')
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, err := l.w.Write(line); err != nil {
		if !l.failing {
			l.opts.Logger.ErrorContext(ctx, "audit log write failed; records are being lost", "err", err)
		}
		l.failing = true
		return
	}
	l.failing = false
}

// SessionStarted is not audited: starts cost nothing and prove nothing
// (the metrics count them).
func (l *Log) SessionStarted(context.Context, string, session.Flow) {}

// StageDone is not audited.
func (l *Log) StageDone(context.Context, verifier.Stage, time.Duration) {}
