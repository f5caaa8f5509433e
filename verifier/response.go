package verifier

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/loginwithiota/verifier/pex"
	"github.com/loginwithiota/verifier/session"
)

// Response is a wallet's authorization response as posted to us.
type Response struct {
	VPToken                string
	PresentationSubmission string
	State                  string
	// Error and ErrorDescription are set when the holder declined.
	Error, ErrorDescription string
}

// Outcome is what a handler needs to answer the wallet.
type Outcome struct {
	Session session.Session
	// RedirectURI is set for same-device flows: where the browser goes next.
	RedirectURI string
}

// errorCode is RFC 6749's error syntax: NQSCHAR without quote/backslash; we
// are stricter so a wallet cannot inject text into our answers.
var errorCode = regexp.MustCompile(`^[a-z0-9_]{1,64}$`)

// HandleResponse runs the verification pipeline on r and completes its
// session, verified or failed, exactly once. A returned *Error is the answer
// to the wallet; when it carries a session (the state named a pending one),
// that session is now failed with the same error.
func (v *Verifier) HandleResponse(ctx context.Context, r Response) (Outcome, error) {
	// 1. The state names a pending session.
	if r.State == "" {
		return Outcome{}, invalidRequest(ReasonMissingParameter, "state is required")
	}
	s, err := v.store.GetByState(ctx, r.State)
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

	var result *session.Result
	verr := v.walletError(r)
	if verr == nil {
		result, verr = v.verify(ctx, s, r)
	}
	var code string
	if verr == nil && usesResponseCode(s) {
		code = newSecret(32)
	}
	done, err := v.complete(ctx, s.ID, result, verr, code)
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
	if verr != nil {
		v.log.InfoContext(ctx, "session failed", "session", s.ID, "error", verr)
		return out, verr
	}
	v.log.InfoContext(ctx, "session verified", "session", s.ID, "credentials", len(result.Credentials))
	return out, nil
}

// walletError turns a declining wallet's error into ours.
func (v *Verifier) walletError(r Response) *Error {
	if r.Error == "" {
		return nil
	}
	code := r.Error
	if !errorCode.MatchString(code) {
		code = CodeInvalidRequest
	}
	desc := "the wallet answered " + code
	if d := sanitizeText(r.ErrorDescription); d != "" {
		desc += ": " + d
	}
	return &Error{Code: code, Reason: ReasonWalletError, Description: desc}
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
func (v *Verifier) complete(ctx context.Context, id string, result *session.Result, verr *Error, responseCode string) (session.Session, error) {
	now := v.now().UTC()
	done, err := v.store.Update(ctx, id, func(s session.Session) (session.Session, error) {
		switch s.Effective(now) {
		case session.StatusPending:
		case session.StatusExpired:
			return s, invalidRequest(ReasonExpired, "the session has expired")
		default:
			return s, invalidRequest(ReasonNotPending, "the session is already complete")
		}
		s.CompletedAt = now
		if verr != nil {
			s.Status = session.StatusFailed
			s.Error = &session.Error{Code: verr.Code, Description: verr.Description, Reason: verr.Reason}
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

// verify runs steps 2–7 of the pipeline on a pending session.
func (v *Verifier) verify(ctx context.Context, s session.Session, r Response) (*session.Result, *Error) {
	def, ok := v.defs[s.DefinitionID]
	if !ok {
		return nil, &Error{Code: CodeServerError, Description: "the session's definition is no longer configured"}
	}
	if r.VPToken == "" {
		return nil, invalidRequest(ReasonMissingParameter, "vp_token is required")
	}
	if r.PresentationSubmission == "" {
		return nil, invalidRequest(ReasonMissingParameter, "presentation_submission is required")
	}
	vpToken, vps, err := parseVPToken(r.VPToken)
	if err != nil {
		return nil, invalidRequest(ReasonMalformedVPToken, "vp_token: %v", err)
	}

	// 2. presentation_submission is well formed and names our definition.
	sub, err := pex.ParseSubmission([]byte(r.PresentationSubmission))
	if err != nil {
		return nil, invalidRequest(ReasonMalformedSubmission, "%s", pexDetail(err))
	}
	if sub.DefinitionID != def.PEX.ID() {
		return nil, invalidRequest(ReasonDefinitionMismatch, "presentation_submission.definition_id %q does not match the requested definition %q", truncate(sub.DefinitionID), def.PEX.ID())
	}

	// 3. Every input descriptor is satisfied by the credential its entry
	// points to (JWTs decoded for it; statuses from the status checks).
	memo := v.newStatusMemo()
	if _, err := def.PEX.EvaluateWith(sub, vpToken, pex.Options{Status: memo.pexStatus(ctx), DecodeJWT: decodeJWT}); err != nil {
		return nil, invalidRequest(ReasonPEX, "%s", pexDetail(err))
	}

	// 4–7: proofs, holder binding, validity, policy, status.
	return v.checkPresentations(ctx, s, def, vps, memo)
}

// pexDetail is a PEX failure's own reason: it already names the input
// descriptor, the field path and why, so no code prefix is added.
func pexDetail(err error) string {
	var pe *pex.Error
	if errors.As(err, &pe) && pe.Reason != "" {
		return pe.Reason
	}
	return err.Error()
}

func truncate(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
