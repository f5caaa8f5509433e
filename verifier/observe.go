package verifier

import (
	"context"
	"time"

	"github.com/loginwithiota/verifier/session"
)

// Observer is told what the core does, for metrics and the audit log
// (Config.Observer). The core imports no metrics library: cmd wires one in.
// Methods are called on the request's goroutine and must return quickly;
// what they are given holds no claims, tokens or secrets unless a field
// says otherwise.
type Observer interface {
	// SessionStarted: a login was created for definition and flow.
	SessionStarted(ctx context.Context, definition string, flow session.Flow)
	// SessionCompleted: a login ended, verified, failed or declined by
	// the wallet, once per session.
	SessionCompleted(ctx context.Context, c Completion)
	// StageDone: one stage of one answer's verification took d.
	StageDone(ctx context.Context, stage Stage, d time.Duration)
}

// Stage names a part of the verification pipeline whose time is observed.
type Stage string

const (
	// StageQuery: the answer decoded, the cheap checks, and the query
	// (Presentation Exchange) matched.
	StageQuery Stage = "query"
	// StageProofs: the matched presentations' and credentials' proofs,
	// DID resolution included.
	StageProofs Stage = "proofs"
	// StageStatus: the matched credentials' status checks.
	StageStatus Stage = "status"
	// StageDID: one DID resolution (observed by whoever wraps the
	// resolver, not by the pipeline: cmd does).
	StageDID Stage = "did"
)

// Outcomes of Completion.
const (
	OutcomeVerified = "verified"
	OutcomeFailed   = "failed"
	OutcomeDeclined = "declined" // the wallet answered with an error
)

// Completion is one completed login as an observer sees it.
type Completion struct {
	SessionID  string
	Definition string
	Flow       session.Flow
	Outcome    string
	// Reason is the verifier's reason of a failure, or the wallet's error
	// code of a decline ("" when verified).
	Reason string
	// Issuers and Types are those of the verified credentials, in order
	// (one entry per credential); empty unless verified.
	Issuers []string
	Types   [][]string
	// Holder is the holder's DID when verified: personal data, which an
	// audit log leaves out unless its operator asks for it.
	Holder string
	// Duration is from the session's creation to its completion.
	Duration time.Duration
}

// nopObserver is the Observer of a Config without one.
type nopObserver struct{}

func (nopObserver) SessionStarted(context.Context, string, session.Flow) {}
func (nopObserver) SessionCompleted(context.Context, Completion)         {}
func (nopObserver) StageDone(context.Context, Stage, time.Duration)      {}

// Observers fans every call out to each of obs, in order.
func Observers(obs ...Observer) Observer { return observers(obs) }

type observers []Observer

func (os observers) SessionStarted(ctx context.Context, d string, f session.Flow) {
	for _, o := range os {
		o.SessionStarted(ctx, d, f)
	}
}

func (os observers) SessionCompleted(ctx context.Context, c Completion) {
	for _, o := range os {
		o.SessionCompleted(ctx, c)
	}
}

func (os observers) StageDone(ctx context.Context, s Stage, d time.Duration) {
	for _, o := range os {
		o.StageDone(ctx, s, d)
	}
}

// observer is the configured Observer, never nil.
func (v *Verifier) observer() Observer {
	if v.cfg.Observer == nil {
		return nopObserver{}
	}
	return v.cfg.Observer
}

// observeCompletion tells the observer how session done ended; declined:
// by the wallet's error response.
func (v *Verifier) observeCompletion(ctx context.Context, done session.Session, declined bool) {
	c := Completion{SessionID: done.ID, Definition: done.DefinitionID, Flow: done.Flow, Outcome: OutcomeVerified,
		Duration: done.CompletedAt.Sub(done.CreatedAt)}
	switch {
	case declined:
		c.Outcome = OutcomeDeclined
		if done.Error != nil {
			c.Reason = done.Error.Code
		}
	case done.Error != nil || done.Status == session.StatusFailed:
		c.Outcome = OutcomeFailed
		if done.Error != nil {
			c.Reason = done.Error.Reason
		}
	case done.Result != nil:
		c.Holder = done.Result.Holder
		for _, cr := range done.Result.Credentials {
			c.Issuers = append(c.Issuers, cr.Issuer)
			c.Types = append(c.Types, cr.Type)
		}
	}
	v.observer().SessionCompleted(ctx, c)
}

// laps times the stages of one answer's verification: each lap records
// the time since the previous one under its stage, and report hands the
// sums to the observer once. A nil *laps (offline reports) does nothing.
type laps struct {
	obs   Observer
	ctx   context.Context
	last  time.Time
	spent map[Stage]time.Duration
	order []Stage
}

// newLaps starts timing an answer.
func (v *Verifier) newLaps(ctx context.Context) *laps {
	return &laps{obs: v.observer(), ctx: ctx, last: time.Now()}
}

// lap adds the time since the previous lap to stage ("" discards it).
func (l *laps) lap(stage Stage) {
	if l == nil {
		return
	}
	now := time.Now()
	if stage != "" {
		if l.spent == nil {
			l.spent = make(map[Stage]time.Duration, 3)
		}
		if _, seen := l.spent[stage]; !seen {
			l.order = append(l.order, stage)
		}
		l.spent[stage] += now.Sub(l.last)
	}
	l.last = now
}

// report hands each stage's time to the observer.
func (l *laps) report() {
	if l == nil {
		return
	}
	for _, s := range l.order {
		l.obs.StageDone(l.ctx, s, l.spent[s])
	}
}
