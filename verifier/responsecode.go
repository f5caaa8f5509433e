package verifier

import (
	"context"
	"net/url"
	"time"

	"github.com/loginwithiota/verifier/session"
)

// Same-device direct_post (OID4VP 1.0, "Response Mode direct_post"): the
// Response Endpoint answers the wallet 200 with a redirect_uri that sends
// the browser back, carrying a fresh response_code; the result goes only to
// whoever presents that code (Security Considerations, "Session Fixation").
// We bind it tighter still: the code is redeemed once, and only together
// with the session cookie of the browser that started the login, so a login
// link forwarded to a victim yields nothing to the attacker who started it.

// ReasonResponseCode: an unknown, used or expired response_code — the same
// answer for each, so a guess learns nothing.
const ReasonResponseCode = "invalid_response_code"

// ResponseCodeLifetime is how long the browser has, from the wallet's
// answer, to come back and redeem the code. The session's expires_at is
// pushed out to at least this, so a wallet answering in the last second
// does not strand the holder.
const ResponseCodeLifetime = 2 * time.Minute

// usesResponseCode reports whether a verified s must be redeemed before its
// result is shown.
func usesResponseCode(s session.Session) bool {
	return s.Flow == session.FlowSameDevice && s.ResponseMode == ModeDirectPost
}

// withResponseCode binds a fresh code (its hash) to a session that has just
// been verified, keeping it alive long enough to redeem.
func withResponseCode(s session.Session, code string, now time.Time) session.Session {
	s.ResponseCodeHash = hashToken(code)
	if until := now.Add(ResponseCodeLifetime); s.ExpiresAt.Before(until) {
		s.DeleteAt = s.DeleteAt.Add(until.Sub(s.ExpiresAt))
		s.ExpiresAt = until
	}
	return s
}

// returnURLWithCode is the redirect_uri the wallet gets for the browser.
func (v *Verifier) returnURLWithCode(id, code string) string {
	return v.ReturnURL(id) + "&response_code=" + url.QueryEscape(code)
}

// Redeem exchanges session id's one-time response code for its result.
// browserToken must come from the session cookie of the browser that
// started the login — never from an Authorization header, which whoever
// started the login holds. It succeeds once; a second call, a wrong code, a
// wrong or missing cookie, an expired code all fail and change nothing.
func (v *Verifier) Redeem(ctx context.Context, id, browserToken, code string) (session.Session, error) {
	if _, err := v.Status(ctx, id, browserToken); err != nil {
		return session.Session{}, err
	}
	if code == "" {
		return session.Session{}, invalidRequest(ReasonMissingParameter, "response_code is required")
	}
	now := v.now()
	bad := invalidRequest(ReasonResponseCode, "the response code is unknown, already used or expired")
	done, err := v.store.Update(ctx, id, func(s session.Session) (session.Session, error) {
		if !tokenMatches(browserToken, s.StatusTokenHash) {
			return s, errUnauthorized()
		}
		if s.Status != session.StatusVerified || s.Released() || !now.Before(s.ExpiresAt) || !tokenMatches(code, s.ResponseCodeHash) {
			return s, bad
		}
		s.RedeemedAt = now.UTC()
		return s, nil
	})
	if err != nil {
		return session.Session{}, storeError(err)
	}
	v.log.InfoContext(ctx, "response code redeemed", "session", id)
	v.publish(ctx, id)
	return done, nil
}
