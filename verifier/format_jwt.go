package verifier

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/loginwithiota/verifier/jwtvc"
	"github.com/loginwithiota/verifier/oauth"
)

// jwtAdapter verifies jwt_vp_json presentations and credential JWTs
// (jwt_vc_json, vc+jwt) with jwtvc, on the answer's own parse of each.
type jwtAdapter struct{ v *Verifier }

// presentation is step 4 for a jwt_vp_json presentation: its signature
// by a key of its holder (authentication), nonce (payload or protected
// header) = the session's nonce, aud = client_id, validity window.
func (a jwtAdapter) presentation(ctx context.Context, c *checker, p *checkParams, pc *presentationCheck) bool {
	pres, err := jwtvc.VerifyEnvelopeToken(ctx, pc.p.jwt, jwtKeys{p.keys}, a.v.jwtOptions(*p, true))
	if err != nil {
		step, check, e := jwtFailure(err, pc.target, false)
		return c.fail(step, pc.target, check, e)
	}
	pc.holder, pc.proofOK = pres.Holder, true
	pc.signers = []string{pres.Key.Controller}
	c.pass(StepVPProof, pc.target, "signature", fmt.Sprintf("valid %s JWS (%s) by key %s of %s", pres.Algorithm, FormatJWTVP, pres.Key.ID, pres.Key.Controller))
	if p.challenge != "" {
		c.pass(StepVPProof, pc.target, "nonce", "the nonce of this request")
	}
	if p.domain != "" {
		c.pass(StepVPProof, pc.target, "audience", "aud names "+p.domain)
	}
	c.pass(StepVPProof, pc.target, "validity_period", "")
	return false
}

// credential is step 5 for a credential JWT: its signature by a key of
// its issuer (assertionMethod) and its validity window; on success cr.vc
// is the decoded credential.
func (a jwtAdapter) credential(ctx context.Context, c *checker, p *checkParams, cr *credentialCheck) bool {
	cred, err := jwtvc.VerifyCredentialToken(ctx, cr.jwt, jwtKeys{p.keys}, a.v.jwtOptions(*p, false))
	if err != nil {
		step, check, e := jwtFailure(err, cr.target, true)
		return c.fail(step, cr.target, check, e)
	}
	cr.vc, cr.format = cred.VC, cred.Format
	c.pass(StepVCProof, cr.target, "signature", fmt.Sprintf("valid %s JWS (%s) by key %s", cred.Algorithm, cred.Format, cred.Key.ID))
	if cred.Key.Controller != cred.Issuer {
		e := invalidRequest(ReasonIssuerKey, "%s: signed by %s, which is not a key of the issuer %s", cr.target, truncate(cred.Key.ID), truncate(cred.Issuer))
		return c.fail(StepIssuer, cr.target, "issuer_is_signer", e)
	}
	c.pass(StepIssuer, cr.target, "issuer_is_signer", "signed by the issuer "+cred.Issuer)
	return false
}

// jwtOptions are jwtvc's options for a presentation (vp) or a credential
// under params p.
func (v *Verifier) jwtOptions(p checkParams, vp bool) jwtvc.Options {
	skew := v.cfg.ClockSkew
	if skew == 0 {
		skew = -1 // jwtvc reads 0 as its default; ours is none
	}
	now := p.now
	o := jwtvc.Options{Algorithms: p.def.jwtAlgorithms(vp), Now: func() time.Time { return now }, ClockSkew: skew,
		MaxCredentials: v.cfg.Limits.MaxCredentials, Precheck: p.precheck}
	if vp {
		o.Nonce, o.Audience = p.challenge, p.domain
		o.SkipNonce, o.SkipAudience = p.challenge == "", p.domain == ""
	}
	return o
}

// jwtFailure maps a jwtvc failure to the report's step and check and the
// service's reason: a replayed or relayed token (nonce, audience) is not a
// forgery, a token signed by someone else than its iss is a binding
// failure, an expired credential is a validity failure.
func jwtFailure(err error, target string, credential bool) (step, check string, e *oauth.Error) {
	code := jwtvc.Code(err)
	step, check, reason := StepVPProof, "signature", ReasonVPProof
	if credential {
		step, reason = StepVCProof, ReasonVCProof
	}
	switch code {
	case jwtvc.CodeMalformed:
		check, reason = "well_formed", ReasonMalformedVPToken
	case jwtvc.CodeAlgNotAllowed:
		check = "alg"
	case jwtvc.CodeKeyResolution:
		check = "verification_method"
	case jwtvc.CodeNonceMismatch:
		check, reason = "nonce", ReasonNonce
	case jwtvc.CodeAudienceMismatch:
		check, reason = "audience", ReasonAudience
	case jwtvc.CodeIssuerMismatch:
		if credential {
			step, check, reason = StepIssuer, "issuer_is_signer", ReasonIssuerKey
		} else {
			step, check, reason = StepHolderBinding, "holder_is_signer", ReasonHolderBinding
		}
	case jwtvc.CodeExpired, jwtvc.CodeNotYetValid:
		check = "validity_period"
		if credential {
			step, reason = StepValidity, ReasonExpiredCredential
			if code == jwtvc.CodeNotYetValid {
				reason = ReasonNotYetValid
			}
		}
	}
	if !errors.As(err, new(*jwtvc.Error)) {
		// Not jwtvc's verdict (a cancelled context): nothing about the token.
		if ctxErr := contextError(err); ctxErr != nil {
			return step, check, ctxErr
		}
		return step, check, serverError(err)
	}
	return step, check, invalidRequest(reason, "%s: %s", target, jwtText(err, !credential)).WithCause(err)
}

// contextError is the error of work stopped by its context: the
// per-answer deadline (the answer took too long) or the caller leaving.
func contextError(err error) *oauth.Error {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return invalidRequest(ReasonTimeout, "the answer took longer to verify than this verifier allows").WithCause(err)
	case errors.Is(err, context.Canceled):
		return errCanceled.WithCause(err)
	}
	return nil
}

// errCanceled marks work abandoned because the wallet hung up: nothing is
// completed, nobody is answered.
var errCanceled = oauth.New(oauth.ServerError, "canceled", "the request was canceled")
