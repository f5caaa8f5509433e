package verifier

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/loginwithiota/verifier/internal/jsonx"
	"github.com/loginwithiota/verifier/jwtvc"
	"github.com/loginwithiota/verifier/ldproof"
	"github.com/loginwithiota/verifier/session"
)

// checkPresentations runs steps 4–7 and the issuer policy over every VP and
// every credential in them, stopping at the first failure; it returns the
// result a website will see.
func (v *Verifier) checkPresentations(ctx context.Context, s session.Session, def Definition, vps []presentation, memo *statusMemo) (*session.Result, *Error) {
	c := &checker{failFast: true}
	result := v.runChecks(ctx, c, checkParams{challenge: s.Nonce, domain: v.ClientID(), def: &def, now: v.now(), status: memo}, vps, nil)
	if c.first != nil {
		return nil, c.first
	}
	return result, nil
}

// checkParams are what one run of steps 4–7 is checked against.
type checkParams struct {
	// challenge and domain the VP proofs must carry; empty: not checked
	// (only offline, when the operator did not say).
	challenge, domain string
	// def is the presentation definition; nil offline without one.
	def *Definition
	now time.Time
	// status checks credential status once per verification, for
	// Presentation Exchange and step 7 alike (nil: a fresh one).
	status *statusMemo
}

// presentationCheck is what steps 4 and 5 learnt of one presentation.
type presentationCheck struct {
	target  string
	format  string
	holder  string
	signers []string // controllers of the VP's verified proofs
	vcs     []*credentialCheck
	proofOK bool
}

// credentialCheck is one credential on its way through steps 5–7.
type credentialCheck struct {
	target string
	format string
	// vc is the credential as a JSON object; for a JWT credential the
	// decoded vc (issuer, subject, dates filled in from the JWT claims),
	// nil until token verified.
	vc map[string]any
	// token is a JWT credential, verified in step 5.
	token string
}

// runChecks is the pipeline shared by the service and reports: VP proofs,
// VC proofs and their issuers, holder binding, validity, trusted issuers,
// credential status. vps are presentations; bare holds credentials checked
// on their own (offline), which have no holder to bind. It returns the
// result when c recorded no failure.
func (v *Verifier) runChecks(ctx context.Context, c *checker, p checkParams, vps []presentation, bare []*credentialCheck) *session.Result {
	if p.status == nil {
		p.status = v.newStatusMemo()
	}
	// 4. Each VP's proof: authentication, challenge = nonce, domain = client_id.
	checks := make([]presentationCheck, 0, len(vps))
	for i, vp := range vps {
		pc := presentationCheck{target: fmt.Sprintf("presentation %d", i), format: vp.format()}
		c.noteFormat(pc.format)
		if vp.jwt != "" {
			if v.checkJWTPresentation(ctx, c, p, &pc, vp.jwt) {
				return nil
			}
			checks = append(checks, pc)
			continue
		}
		pc.holder = jsonx.ID(vp.ldp["holder"])
		results, err := ldproof.Inspect(ctx, vp.ldp, v.keys, v.proofOptions(p.def, true, p.challenge, p.domain, p.now))
		c.proofChecks(StepVPProof, pc.target, results, err, vpReason)
		if err != nil && c.failed(proofError(vpReason, pc.target, err)) {
			return nil
		}
		pc.proofOK = err == nil
		for _, r := range results {
			if r.Err == nil {
				pc.signers = append(pc.signers, r.Controller)
			}
		}
		vcs, err := credentials(vp.ldp, pc.target)
		if err != nil {
			if c.fail(StepInput, pc.target, "verifiableCredential", invalidRequest(ReasonMalformedVPToken, "%s: %v", pc.target, err)) {
				return nil
			}
		}
		pc.vcs = vcs
		checks = append(checks, pc)
	}

	// 5. Each credential's proof: assertionMethod, by a key of its issuer.
	var all []*credentialCheck
	for _, pc := range checks {
		all = append(all, pc.vcs...)
	}
	all = append(all, bare...)
	for _, cr := range all {
		stop := false
		if cr.token != "" {
			stop = v.checkJWTCredential(ctx, c, p, cr)
		} else {
			stop = v.checkCredentialProof(ctx, c, p, cr.target, cr.vc)
		}
		if stop {
			return nil
		}
	}

	// 6. Holder binding: the VP is signed by its holder, and every credential
	// is about that holder.
	holder := ""
	for _, pc := range checks {
		stop, h := v.checkHolderBinding(c, pc, holder)
		if stop {
			return nil
		}
		if holder == "" {
			holder = h
		}
	}
	c.noteDID(holder)

	// 7. Validity periods, then the definition's issuer policy, then the
	// credential's status (last: it may fetch a status list).
	result := &session.Result{Holder: holder}
	for _, cr := range all {
		if cr.vc == nil { // a JWT credential that did not verify (reports only)
			continue
		}
		if err := v.checkValidity(cr.vc, p.now, cr.target); err != nil {
			if c.fail(StepValidity, cr.target, "validity_period", err) {
				return nil
			}
		} else {
			c.pass(StepValidity, cr.target, "validity_period", "")
		}
		issuer := jsonx.ID(cr.vc["issuer"])
		c.noteDID(issuer)
		if p.def != nil && len(p.def.TrustedIssuers) > 0 {
			if !slices.Contains(p.def.TrustedIssuers, issuer) {
				e := invalidRequest(ReasonUntrustedIssuer, "%s: issuer %s is not trusted for %s", cr.target, issuer, p.def.PEX.ID())
				if c.fail(StepTrustedIssuer, cr.target, "trusted_issuers", e) {
					return nil
				}
			} else {
				c.pass(StepTrustedIssuer, cr.target, "trusted_issuers", issuer)
			}
		}
		st, stop := v.checkStatus(ctx, c, p.status, cr)
		if stop {
			return nil
		}
		sum := summary(cr.vc, issuer)
		sum.Format, sum.Status = cr.format, st
		result.Credentials = append(result.Credentials, sum)
	}
	if c.first != nil {
		return nil
	}
	result.Formats = c.formats
	result.DIDMethods = c.didMethods
	return result
}

// checkCredentialProof is step 5 for one credential: its proofs, then that
// every proof was made by a key of its issuer. It reports whether to stop.
func (v *Verifier) checkCredentialProof(ctx context.Context, c *checker, p checkParams, target string, vc map[string]any) bool {
	results, err := ldproof.Inspect(ctx, vc, v.keys, v.proofOptions(p.def, false, "", "", p.now))
	c.proofChecks(StepVCProof, target, results, err, vcReason)
	if err != nil && c.failed(proofError(vcReason, target, err)) {
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
				"(the signature is valid: %s controls that key, not the issuer)", target, r.VerificationMethod, issuer, r.Controller)
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

// checkHolderBinding is step 6 for one presentation; holder is the holder
// of the presentations before it ("" for the first). It reports whether to
// stop and this presentation's holder.
func (v *Verifier) checkHolderBinding(c *checker, pc presentationCheck, holder string) (bool, string) {
	t := pc.target
	if pc.holder == "" {
		return c.fail(StepHolderBinding, t, "holder", invalidRequest(ReasonHolderBinding, "%s has no holder", t)), ""
	}
	switch {
	case len(pc.signers) == 0:
		c.skip(StepHolderBinding, t, "holder_is_signer", "no proof of the presentation verified")
	default:
		ok := true
		for _, signer := range pc.signers {
			if signer != pc.holder {
				ok = false
				e := invalidRequest(ReasonHolderBinding, "%s is signed by %s, not by its holder %s "+
					"(the signature is valid, but the holder does not control that key)", t, signer, pc.holder)
				if c.fail(StepHolderBinding, t, "holder_is_signer", e) {
					return true, pc.holder
				}
			}
		}
		if ok {
			c.pass(StepHolderBinding, t, "holder_is_signer", "signed by its holder "+pc.holder)
		}
	}
	if holder != "" && pc.holder != holder {
		if c.fail(StepHolderBinding, t, "same_holder", invalidRequest(ReasonHolderBinding, "presentations name different holders")) {
			return true, pc.holder
		}
	}
	for _, cr := range pc.vcs {
		if cr.vc == nil {
			continue
		}
		ct := cr.target
		subjects := subjectIDs(cr.vc["credentialSubject"])
		if len(subjects) == 0 {
			if c.fail(StepHolderBinding, ct, "subject_is_holder", invalidRequest(ReasonHolderBinding, "%s: credentialSubject.id is missing", ct)) {
				return true, pc.holder
			}
			continue
		}
		ok := true
		for _, sub := range subjects {
			if sub != pc.holder {
				ok = false
				e := invalidRequest(ReasonHolderBinding, "%s: credentialSubject.id %s is not the holder %s", ct, sub, pc.holder)
				if c.fail(StepHolderBinding, ct, "subject_is_holder", e) {
					return true, pc.holder
				}
			}
		}
		if ok {
			c.pass(StepHolderBinding, ct, "subject_is_holder", "about the holder "+pc.holder)
		}
	}
	return false, pc.holder
}

func (v *Verifier) checkValidity(vc map[string]any, now time.Time, where string) *Error {
	skew := v.cfg.ClockSkew
	for _, key := range []string{"issuanceDate", "validFrom"} {
		t, ok, err := dateOf(vc, key)
		if err != nil {
			return invalidRequest(ReasonMalformedVPToken, "%s: %v", where, err)
		}
		if ok && t.After(now.Add(skew)) {
			return invalidRequest(ReasonNotYetValid, "%s: %s %s is in the future", where, key, t.Format(time.RFC3339))
		}
	}
	for _, key := range []string{"expirationDate", "validUntil"} {
		t, ok, err := dateOf(vc, key)
		if err != nil {
			return invalidRequest(ReasonMalformedVPToken, "%s: %v", where, err)
		}
		if ok && !t.After(now.Add(-skew)) {
			return invalidRequest(ReasonExpiredCredential, "%s: %s %s has passed", where, key, t.Format(time.RFC3339))
		}
	}
	return nil
}

func dateOf(vc map[string]any, key string) (time.Time, bool, error) {
	raw, ok := vc[key]
	if !ok {
		return time.Time{}, false, nil
	}
	s, ok := raw.(string)
	if !ok {
		return time.Time{}, false, fmt.Errorf("%s is not a date string", key)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("%s %q is not an RFC 3339 date-time", key, truncate(s))
	}
	return t, true, nil
}

// bareDocument: a signed JSON document that is not a credential (a DID
// document, a test vector); only `verifier verify` is given those.
func bareDocument(doc map[string]any) bool {
	return !hasType(doc, "VerifiableCredential") && !hasType(doc, "VerifiablePresentation")
}

// credentials returns the credentials embedded in an ldp_vp: JSON-LD
// credentials (ldp_vc), or credential JWTs, which its proof covers as
// strings and step 5 verifies.
func credentials(vp map[string]any, target string) ([]*credentialCheck, error) {
	raw, ok := vp["verifiableCredential"]
	if !ok || raw == nil {
		return nil, nil
	}
	items, isList := raw.([]any)
	if !isList {
		items = []any{raw}
	}
	out := make([]*credentialCheck, 0, len(items))
	for i, it := range items {
		cr := &credentialCheck{target: fmt.Sprintf("%s credential %d", target, i)}
		switch it := it.(type) {
		case map[string]any:
			cr.vc, cr.format = it, FormatLDPVC
		case string:
			if !looksLikeJWT(it) {
				return nil, fmt.Errorf("verifiableCredential[%d] is a string but not a JWT", i)
			}
			cr.token, cr.format = it, jwtvc.FormatJWTVC
		default:
			return nil, fmt.Errorf("verifiableCredential[%d] is neither a JSON-LD credential (ldp_vc) nor a JWT", i)
		}
		out = append(out, cr)
	}
	return out, nil
}

func subjectIDs(v any) []string {
	items, isList := v.([]any)
	if !isList {
		items = []any{v}
	}
	var ids []string
	for _, it := range items {
		m, ok := it.(map[string]any)
		if !ok {
			return nil
		}
		id, _ := m["id"].(string)
		if id == "" {
			return nil
		}
		ids = append(ids, id)
	}
	return ids
}

func summary(vc map[string]any, issuer string) session.Credential {
	c := session.Credential{Issuer: issuer, Type: stringsOf(vc["type"])}
	subj := vc["credentialSubject"]
	if list, ok := subj.([]any); ok && len(list) > 0 {
		subj = list[0]
	}
	if m, ok := subj.(map[string]any); ok {
		c.CredentialSubject = m
	}
	return c
}

func stringsOf(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case []any:
		out := make([]string, 0, len(t))
		for _, it := range t {
			if s, ok := it.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
