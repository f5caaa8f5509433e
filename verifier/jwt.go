package verifier

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/loginwithiota/verifier/jwtvc"
)

// jwtOptions are jwtvc's options for a presentation (vp) or a credential
// under params p.
func (v *Verifier) jwtOptions(p checkParams, vp bool) jwtvc.Options {
	skew := v.cfg.ClockSkew
	if skew == 0 {
		skew = -1 // jwtvc reads 0 as its default; ours is none
	}
	now := p.now
	o := jwtvc.Options{Algorithms: p.def.jwtAlgorithms(vp), Now: func() time.Time { return now }, ClockSkew: skew}
	if vp {
		o.Nonce, o.Audience = p.challenge, p.domain
		o.SkipNonce, o.SkipAudience = p.challenge == "", p.domain == ""
	}
	return o
}

// checkJWTPresentation is step 4 for a jwt_vp_json presentation: its
// signature by a key of its holder (authentication), nonce (payload or
// protected header) = the session's nonce, aud = client_id, validity
// window. Its credentials are listed for step 5. It reports whether to stop.
func (v *Verifier) checkJWTPresentation(ctx context.Context, c *checker, p checkParams, pc *presentationCheck, token string) bool {
	pres, err := jwtvc.VerifyEnvelope(ctx, token, jwtKeys{v.keys}, v.jwtOptions(p, true))
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
	for j, t := range pres.CredentialTokens {
		pc.vcs = append(pc.vcs, &credentialCheck{target: fmt.Sprintf("%s credential %d", pc.target, j), format: jwtvc.FormatJWTVC, token: t})
	}
	return false
}

// checkJWTCredential is step 5 for a credential JWT: its signature by a
// key of its issuer (assertionMethod) and its validity window; on success
// cr.vc is the decoded credential. It reports whether to stop.
func (v *Verifier) checkJWTCredential(ctx context.Context, c *checker, p checkParams, cr *credentialCheck) bool {
	cred, err := jwtvc.VerifyCredential(ctx, cr.token, jwtKeys{v.keys}, v.jwtOptions(p, false))
	if err != nil {
		step, check, e := jwtFailure(err, cr.target, true)
		return c.fail(step, cr.target, check, e)
	}
	cr.vc, cr.format = cred.VC, cred.Format
	c.pass(StepVCProof, cr.target, "signature", fmt.Sprintf("valid %s JWS (%s) by key %s", cred.Algorithm, cred.Format, cred.Key.ID))
	if cred.Key.Controller != cred.Issuer {
		e := invalidRequest(ReasonIssuerKey, "%s: signed by %s, which is not a key of the issuer %s", cr.target, cred.Key.ID, cred.Issuer)
		return c.fail(StepIssuer, cr.target, "issuer_is_signer", e)
	}
	c.pass(StepIssuer, cr.target, "issuer_is_signer", "signed by the issuer "+cred.Issuer)
	return false
}

// jwtFailure maps a jwtvc failure to the report's step and check and the
// service's reason: a replayed or relayed token (nonce, audience) is not a
// forgery, a token signed by someone else than its iss is a binding
// failure, an expired credential is a validity failure.
func jwtFailure(err error, target string, credential bool) (step, check string, e *Error) {
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
	var je *jwtvc.Error
	if !errors.As(err, &je) {
		// Not jwtvc's verdict (a cancelled context): nothing about the token.
		return step, check, &Error{Code: CodeServerError, Description: "internal error", cause: err}
	}
	return step, check, &Error{Code: CodeInvalidRequest, Reason: reason, Description: target + ": " + err.Error()}
}
