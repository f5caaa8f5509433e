package verifier

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"runtime/debug"
	"strings"

	"github.com/loginwithiota/verifier/ldproof/jsonld"
	"github.com/loginwithiota/verifier/oauth"
	"github.com/loginwithiota/verifier/session"
)

// Response is a wallet's authorization response as posted to us.
type Response struct {
	VPToken                string
	PresentationSubmission string
	State                  string
	// Error and ErrorDescription are set when the holder declined.
	Error, ErrorDescription string
	// Encrypted is a direct_post.jwt response's JWE (OID4VP 1.0 §8.3.1),
	// the other parameters inside it.
	Encrypted string

	// encrypted: the parameters came out of Encrypted.
	encrypted bool
}

// Outcome is what a handler needs to answer the wallet.
type Outcome struct {
	Session session.Session
	// RedirectURI is set for same-device flows: where the browser goes next.
	RedirectURI string
	// Declined: the wallet sent an error response, which was processed (the
	// session failed with the wallet's code). OID4VP 1.0 §8.5 / draft 20
	// §6.2: the verifier answers such a response 200.
	Declined bool
}

// errorCode is RFC 6749's error syntax: NQSCHAR without quote/backslash; we
// are stricter so a wallet cannot inject text into our answers.
var errorCode = regexp.MustCompile(`^[a-z0-9_]{1,64}$`)

// HandleResponse runs the verification pipeline on r and completes its
// session, verified or failed, exactly once. A returned *oauth.Error is the
// answer to the wallet; when the state named a pending session and the
// answer was verified, that session is now failed with the same error.
// Refusals that come before verification (another answer in flight, a full
// queue, a wallet that hung up) leave the session pending.
func (v *Verifier) HandleResponse(ctx context.Context, r Response) (Outcome, error) {
	state, e := responseState(r)
	if e != nil {
		return Outcome{}, e
	}
	// One verification in flight per state, checked before anything else.
	release, ok := v.admit.claim(state)
	if !ok {
		return Outcome{}, invalidRequest(ReasonInProgress, "another answer for this session is being verified")
	}
	defer release()

	// The state names a pending session.
	s, err := v.store.GetByState(ctx, state)
	if err != nil {
		if errors.Is(err, session.ErrNotFound) {
			return Outcome{}, invalidRequest(ReasonUnknownState, "state matches no pending session")
		}
		return Outcome{}, storeError(err)
	}
	switch s.Effective(v.now()) {
	case session.StatusPending:
	case session.StatusExpired:
		return Outcome{}, invalidRequest(ReasonExpired, "the session has expired")
	default:
		return Outcome{}, invalidRequest(ReasonNotPending, "the session is already complete")
	}

	if r.Encrypted != "" {
		opened, e := v.openResponse(s, r.Encrypted)
		if e != nil {
			return v.refuse(ctx, s, e)
		}
		r = opened
	}
	if r.Error != "" {
		return v.decline(ctx, s, r)
	}
	done, aerr := v.admit.acquire(ctx)
	if aerr != nil {
		return Outcome{}, aerr
	}
	result, verr := v.verifyGuarded(ctx, s, r)
	done()
	if isCanceled(verr) {
		return Outcome{}, verr // the wallet left: nothing to complete, nobody to answer
	}
	verr = scrub(verr, v.log)
	var code string
	var failure *session.Error
	if verr != nil {
		failure = &session.Error{Code: string(verr.Code()), Description: verr.Description(), Reason: verr.Reason()}
	} else if usesResponseCode(s) {
		code = newSecret(32)
	}
	out, err := v.finish(ctx, s, result, failure, code)
	if err != nil {
		return Outcome{}, err
	}
	v.observeCompletion(ctx, out.Session, false)
	if verr != nil {
		v.log.Log(ctx, verr.Level(), "session failed", "session", s.ID, "error", verr)
		return out, verr
	}
	v.log.InfoContext(ctx, "session verified", "session", s.ID, "credentials", len(result.Credentials))
	return out, nil
}

// decline processes a wallet's error response: the session fails with the
// wallet's own code, which is data here, never our HTTP status.
func (v *Verifier) decline(ctx context.Context, s session.Session, r Response) (Outcome, error) {
	code := r.Error
	if !errorCode.MatchString(code) {
		code = string(oauth.InvalidRequest)
	}
	desc := "the wallet answered " + code
	if d := sanitizeText(r.ErrorDescription); d != "" {
		desc += ": " + d
	}
	out, err := v.finish(ctx, s, nil, &session.Error{Code: code, Reason: ReasonWalletError, Description: desc}, "")
	if err != nil {
		return Outcome{}, err
	}
	out.Declined = true
	v.observeCompletion(ctx, out.Session, true)
	v.log.InfoContext(ctx, "session declined by the wallet", "session", s.ID, "wallet_error", code)
	return out, nil
}

// finish completes s and tells followers; it says where a same-device
// browser goes next.
func (v *Verifier) finish(ctx context.Context, s session.Session, result *session.Result, failure *session.Error, code string) (Outcome, error) {
	done, err := v.complete(ctx, s.ID, result, failure, code)
	if err != nil {
		return Outcome{}, err
	}
	v.publish(ctx, done.ID)
	out := Outcome{Session: done}
	switch {
	case code != "":
		out.RedirectURI = v.returnURLWithCode(done.ID, code)
	case done.Flow == session.FlowSameDevice:
		out.RedirectURI = v.ReturnURL(done.ID)
	}
	return out, nil
}

// sanitizeText keeps a wallet's free text printable and short.
func sanitizeText(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

// complete stores the outcome with compare-and-set: only a pending,
// unexpired session changes, so parallel answers complete it once. A
// non-empty responseCode is bound to a verified session in the same write.
func (v *Verifier) complete(ctx context.Context, id string, result *session.Result, failure *session.Error, responseCode string) (session.Session, error) {
	now := v.now().UTC()
	// The verification is done: store it even if the wallet hangs up now.
	ctx = context.WithoutCancel(ctx)
	done, err := v.completeUpdate(ctx, id, func(s session.Session) (session.Session, error) { // with its events (events.go)
		switch s.Effective(now) {
		case session.StatusPending:
		case session.StatusExpired:
			return s, invalidRequest(ReasonExpired, "the session has expired")
		default:
			return s, invalidRequest(ReasonNotPending, "the session is already complete")
		}
		s.CompletedAt = now
		s.ResponseKey = nil // one request's, and the request is answered
		if failure != nil {
			s.Status = session.StatusFailed
			s.Error = failure
			return s, nil
		}
		s.Status = session.StatusVerified
		s.Result = result
		if responseCode != "" {
			s = withResponseCode(s, responseCode, now)
		}
		return s, nil
	})
	if err != nil {
		return session.Session{}, storeError(err)
	}
	return done, nil
}

// verifyGuarded is verify under the per-answer deadline, with any panic
// of a library (json-gold, go-jose, jsonpath) on wallet input turned into
// a refusal of that input: logged with its stack, never a 500.
func (v *Verifier) verifyGuarded(ctx context.Context, s session.Session, r Response) (res *session.Result, e *oauth.Error) {
	vctx, cancel := context.WithTimeout(ctx, v.cfg.Limits.Timeout)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			v.log.ErrorContext(ctx, "panic while verifying an answer", "session", s.ID, "panic", p, "stack", string(debug.Stack()))
			res, e = nil, invalidRequest(ReasonVPProof, "the presentation could not be processed")
		}
	}()
	res, e = v.verify(vctx, s, r)
	switch {
	case e == nil:
	case ctx.Err() != nil: // the wallet hung up
		return nil, errCanceled.WithCause(ctx.Err())
	case vctx.Err() != nil: // our own deadline
		return nil, contextError(context.DeadlineExceeded)
	}
	return res, e
}

// isCanceled reports whether e is work abandoned because the caller left.
func isCanceled(e *oauth.Error) bool { return e != nil && e.Reason() == errCanceled.Reason() }

// verify runs the pipeline on a pending session: the answer decoded once
// and its counts bounded; the cheap checks of every presentation; the
// query's matches; then the proofs, holder binding, validity, policy and
// status of exactly the matched credentials.
func (v *Verifier) verify(ctx context.Context, s session.Session, r Response) (*session.Result, *oauth.Error) {
	def, ok := v.defs[s.DefinitionID]
	if !ok {
		return nil, serverError(errors.New("the session's definition is no longer configured"))
	}
	if r.VPToken == "" {
		return nil, invalidRequest(ReasonMissingParameter, "vp_token is required")
	}
	q, dcqlAnswer, e := v.queryOf(s, def, r)
	if e != nil {
		return nil, e
	}
	var a *answer
	if dcqlAnswer {
		a, e = decodeDCQLAnswer(r.VPToken, v.cfg.Limits, v.cfg.SDJWT.Limits)
	} else {
		a, e = decodeAnswer(r.VPToken, v.cfg.Limits)
	}
	if e != nil {
		return nil, e
	}
	// The answer's documents share one canonicalization budget, so many
	// documents each under the per-document limits cannot add up.
	ctx = jsonld.WithBudget(ctx, v.jsonld().NewBudget())
	p := checkParams{challenge: s.Nonce, domain: v.clientID(s), def: def, now: v.now(), keys: v.answerKeys(), precheck: true}
	p.status = v.newStatusMemo(p.keys)
	p.laps = v.newLaps(ctx)
	defer p.laps.report()
	// Cheap checks first, on every presentation: a replayed or relayed
	// answer costs no evaluation, signature or fetch.
	for _, pr := range a.presentations {
		if e := v.precheck(p, &presentationCheck{target: fmt.Sprintf("presentation %d", pr.index), p: pr}); e != nil {
			return nil, e
		}
	}
	matches, e := q.match(ctx, a, queryInput{submission: r.PresentationSubmission, status: p.status})
	p.laps.lap(StageQuery)
	if e != nil {
		return nil, e
	}
	pcs, e := checksFor(a, matches)
	if e != nil {
		return nil, e
	}
	c := &checker{failFast: true}
	result := v.runChecks(ctx, c, p, pcs, nil)
	if c.first != nil {
		return nil, c.first
	}
	return result, nil
}
