package verifier

import (
	"context"
	"fmt"

	"github.com/loginwithiota/verifier/internal/jsonx"
	"github.com/loginwithiota/verifier/ldproof"
	"github.com/loginwithiota/verifier/oauth"
)

// ldpAdapter verifies ldp_vp presentations and ldp_vc credentials (and,
// offline, other signed JSON-LD documents) with ldproof.
type ldpAdapter struct{ v *Verifier }

func (a ldpAdapter) presentation(ctx context.Context, c *checker, p *checkParams, pc *presentationCheck) bool {
	vp := pc.p.ldp
	pc.holder = jsonx.ID(vp["holder"])
	results, err := ldproof.Inspect(ctx, vp, p.keys, a.v.proofOptions(p.def, true, p.challenge, p.domain, p.now, p.precheck))
	c.proofChecks(StepVPProof, pc.target, results, err, vpReason)
	if err != nil && c.failed(proofError(vpReason, pc.target, err, true)) {
		return true
	}
	pc.proofOK = err == nil
	for _, r := range results {
		if r.Err == nil {
			pc.signers = append(pc.signers, r.Controller)
		}
	}
	return false
}

// credential is step 5 for a JSON-LD credential: its proofs, then that
// every proof was made by a key of its issuer.
func (a ldpAdapter) credential(ctx context.Context, c *checker, p *checkParams, cr *credentialCheck) bool {
	vc, target := cr.ldp, cr.target
	results, err := ldproof.Inspect(ctx, vc, p.keys, a.v.proofOptions(p.def, false, "", "", p.now, p.precheck))
	c.proofChecks(StepVCProof, target, results, err, vcReason)
	if err != nil && c.failed(proofError(vcReason, target, err, false)) {
		return true
	}
	issuer := jsonx.ID(vc["issuer"])
	if issuer == "" && bareDocument(vc) {
		c.skip(StepIssuer, target, "issuer_is_signer", "not a credential: a signed document with no issuer")
		return false
	}
	if issuer == "" {
		return c.fail(StepIssuer, target, "issuer", invalidRequest(ReasonVCProof, "%s: no issuer", target))
	}
	checked := false
	for _, r := range results {
		if r.Err != nil {
			continue
		}
		checked = true
		if r.Controller != issuer {
			// A valid signature by someone else is its own failure, not a pass.
			e := invalidRequest(ReasonIssuerKey, "%s: signed by %s, which is not a key of the issuer %s "+
				"(the signature is valid: %s controls that key, not the issuer)", target, truncate(r.VerificationMethod), truncate(issuer), truncate(r.Controller))
			if c.fail(StepIssuer, target, "issuer_is_signer", e) {
				return true
			}
			continue
		}
		c.pass(StepIssuer, target, "issuer_is_signer", fmt.Sprintf("proof %d signed by the issuer %s", r.Index, issuer))
	}
	if !checked {
		c.skip(StepIssuer, target, "issuer_is_signer", "no proof of the credential verified")
	}
	return false
}

// vpReason maps a VP proof failure to the service's reason: a wrong
// challenge or domain means a replay or a relay, not a forgery.
func vpReason(code string) string {
	switch code {
	case ldproof.CodeChallengeMismatch:
		return ReasonNonce
	case ldproof.CodeDomainMismatch:
		return ReasonDomain
	}
	return ReasonVPProof
}

func vcReason(string) string { return ReasonVCProof }

// proofError turns an ldproof failure into the service's error: a fixed
// text by code, the chain kept as the cause.
func proofError(reasonOf func(string) string, where string, err error, vp bool) *oauth.Error {
	if ctxErr := contextError(err); ctxErr != nil {
		return ctxErr
	}
	return invalidRequest(reasonOf(ldproof.Code(err)), "%s: %s", where, proofText(err, vp)).WithCause(err)
}
