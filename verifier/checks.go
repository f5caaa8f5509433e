package verifier

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/loginwithiota/verifier/dcql"
	"github.com/loginwithiota/verifier/internal/jsonx"
	"github.com/loginwithiota/verifier/jwtvc"
	"github.com/loginwithiota/verifier/oauth"
	"github.com/loginwithiota/verifier/sdjwt"
	"github.com/loginwithiota/verifier/session"
)

// checkParams are what one run of the checks is checked against.
type checkParams struct {
	// challenge and domain the VP proofs must carry; empty: not checked
	// (only offline, when the operator did not say).
	challenge, domain string
	// def is the presentation definition; nil offline without one.
	def *compiled
	now time.Time
	// status checks credential status once per verification, for
	// Presentation Exchange and the status step alike (nil: a fresh one).
	status *statusMemo
	// keys resolves each DID once for this verification.
	keys didKeys
	// precheck (the service) has ldproof and jwtvc compare challenges,
	// domains, nonces and audiences before any signature or key
	// resolution; verify also runs precheck on every presentation first.
	precheck bool
	laps     *laps // stage timings for the observer; nil offline
}

// presentationCheck is one presentation on its way through the checks.
type presentationCheck struct {
	target  string
	p       *presented
	holder  string
	signers []string // controllers of the presentation's verified proofs
	// vcs are the credentials checked with it: the ones a query selected
	// (the service), or all of them (a report).
	vcs     []*credentialCheck
	proofOK bool
	// requireKB: its DCQL credential query requires cryptographic holder
	// binding (an SD-JWT VC's KB-JWT is then required).
	requireKB bool
	// unbound: nothing binds a holder to it (a credential presented bare,
	// an SD-JWT VC without KB-JWT where the query allows it); keyBound:
	// an SD-JWT VC's KB-JWT, signed by its cnf key, binds the holder.
	unbound, keyBound bool
}

// credentialCheck is one credential on its way through the checks.
type credentialCheck struct {
	target string
	format string
	// ldp is a JSON-LD credential (or, offline, another signed document);
	// jwt a credential JWT.
	ldp map[string]any
	jwt *jwtvc.Token
	// sd is an enveloped vc+sd-jwt; pres the presentation it is in (an
	// SD-JWT VC presentation is its own credential: pres.sd), and sdCred
	// the verified SD-JWT VC.
	sd     *sdjwt.Token
	pres   *presented
	sdCred *sdjwt.Credential
	// vc is the credential as a JSON object once read: ldp itself, or the
	// verified JWT's credential (nil until then).
	vc map[string]any
	// cq and claimSet: the DCQL credential query it answers (nil for PEX)
	// and the claim set, which decide what the website is told.
	cq       *dcql.CredentialQuery
	claimSet int
}

// newCredentialCheck reads one verifiableCredential item.
func newCredentialCheck(a *answer, target string, it any) (*credentialCheck, error) {
	if raw, ok := envelopedSDJWT(it); ok {
		t, err := a.parseSDJWT(raw)
		if err != nil {
			return nil, fmt.Errorf("%s is not a well-formed SD-JWT", target)
		}
		return &credentialCheck{target: target, format: "vc+sd-jwt", sd: t}, nil
	}
	if tok, ok := credentialJWT(it); ok {
		t, err := a.parseJWT(tok)
		if err != nil {
			return nil, fmt.Errorf("%s is not a well-formed JWT", target)
		}
		return &credentialCheck{target: target, format: jwtvc.FormatJWTVC, jwt: t}, nil
	}
	if m, ok := it.(map[string]any); ok {
		return &credentialCheck{target: target, format: FormatLDPVC, ldp: m, vc: m}, nil
	}
	return nil, fmt.Errorf("%s is neither a JSON-LD credential (ldp_vc) nor a JWT", target)
}

// checksFor builds the checks of the matched credentials only, grouped by
// the presentation that holds them, in the order the query matched them;
// presentations no match points at are not verified, and a credential two
// matches point at is verified once.
func checksFor(a *answer, matches []match) ([]*presentationCheck, *oauth.Error) {
	byIndex := make([]*presentationCheck, len(a.presentations))
	var pcs []*presentationCheck
	for i, m := range matches {
		pc := byIndex[m.presentation]
		if pc == nil {
			p := a.presentations[m.presentation]
			pc = &presentationCheck{target: fmt.Sprintf("presentation %d", p.index), p: p}
			pc.requireKB = m.cq != nil && m.cq.RequireCryptographicHolderBinding
			byIndex[m.presentation] = pc
			pcs = append(pcs, pc)
		}
		if slices.ContainsFunc(matches[:i], func(o match) bool { return o.presentation == m.presentation && o.credential == m.credential }) {
			continue
		}
		target := fmt.Sprintf("%s credential %d", pc.target, m.credential)
		var cr *credentialCheck
		if pc.p.sd != nil {
			cr = &credentialCheck{target: pc.target, format: FormatSDJWT}
		} else {
			var err error
			if cr, err = newCredentialCheck(a, target, pc.p.creds[m.credential]); err != nil {
				return nil, invalidRequest(ReasonMalformedVPToken, "%s", err)
			}
		}
		cr.pres, cr.cq, cr.claimSet = pc.p, m.cq, m.claimSet
		pc.vcs = append(pc.vcs, cr)
	}
	return pcs, nil
}

// allChecks builds the checks of every presentation and every credential
// in it (a report, which has no query to select with).
func allChecks(c *checker, a *answer) []*presentationCheck {
	pcs := make([]*presentationCheck, 0, len(a.presentations))
	for _, p := range a.presentations {
		pc := &presentationCheck{target: fmt.Sprintf("presentation %d", p.index), p: p}
		if p.credErr != nil {
			c.fail(StepInput, pc.target, "verifiableCredential", invalidRequest(ReasonMalformedVPToken, "%s: %s", pc.target, p.credErr))
		}
		for j, it := range p.creds {
			cr, err := newCredentialCheck(a, fmt.Sprintf("%s credential %d", pc.target, j), it)
			if err != nil {
				c.fail(StepInput, pc.target, "verifiableCredential", invalidRequest(ReasonMalformedVPToken, "%s", err))
				continue
			}
			pc.vcs = append(pc.vcs, cr)
		}
		pcs = append(pcs, pc)
	}
	return pcs
}

// runChecks is the pipeline shared by the service and reports: the
// presentations' proofs, the credentials' proofs and their issuers, holder
// binding, validity, trusted issuers, credential status. bare holds
// credentials checked on their own (offline), which have no holder to
// bind. It returns the result when c recorded no failure.
func (v *Verifier) runChecks(ctx context.Context, c *checker, p checkParams, pcs []*presentationCheck, bare []*credentialCheck) *session.Result {
	if p.status == nil {
		p.status = v.newStatusMemo(p.keys)
	}
	// 4. Each presentation's proof: authentication, challenge = nonce,
	// domain = client_id (JWT: nonce, aud).
	for _, pc := range pcs {
		c.noteFormat(pc.p.format())
		if v.adapterOf(pc.p).presentation(ctx, c, &p, pc) {
			return nil
		}
	}

	// 5. Each credential's proof: assertionMethod, by a key of its issuer.
	var all []*credentialCheck
	for _, pc := range pcs {
		all = append(all, pc.vcs...)
	}
	all = append(all, bare...)
	for _, cr := range all {
		if v.credentialAdapter(cr).credential(ctx, c, &p, cr) {
			return nil
		}
	}

	p.laps.lap(StageProofs)
	// 6. Holder binding: the presentation is signed by its holder, and
	// every credential is about that holder.
	holder := ""
	for _, pc := range pcs {
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
		if cr.sdCred != nil {
			// An SD-JWT VC's iat, nbf and exp were checked with its signature.
			c.pass(StepValidity, cr.target, "validity_period", "iat, nbf, exp")
		} else if err := v.checkValidity(cr.vc, p.now, cr.target); err != nil {
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
				e := invalidRequest(ReasonUntrustedIssuer, "%s: issuer %s is not trusted for %s", cr.target, truncate(issuer), p.def.id())
				if c.fail(StepTrustedIssuer, cr.target, "trusted_issuers", e) {
					return nil
				}
			} else {
				c.pass(StepTrustedIssuer, cr.target, "trusted_issuers", issuer)
			}
		}
		p.laps.lap("")
		st, stop := v.checkStatus(ctx, c, p.status, cr)
		p.laps.lap(StageStatus)
		if stop {
			return nil
		}
		sum := v.summaryOf(cr, issuer)
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

// precheck compares what a presentation says it was made for with this
// request, reading it unverified: a mismatch fails at once, before any
// key is resolved or any document canonicalized. The adapters check the
// same again on what the signature covers.
func (v *Verifier) precheck(p checkParams, pc *presentationCheck) *oauth.Error {
	switch {
	case pc.p.sd != nil:
		err := pc.p.sd.PrecheckKeyBinding(v.sdjwtOptions(p, false, false))
		if err == nil {
			return nil
		}
		_, _, e := sdjwtFailure(err, pc.target)
		return e
	case pc.p.bare:
		return nil // a credential alone carries no nonce or audience
	}
	if pc.p.jwt != nil {
		err := jwtvc.PrecheckPresentation(pc.p.jwt, v.jwtOptions(p, true))
		if err == nil {
			return nil
		}
		_, _, e := jwtFailure(err, pc.target, false)
		return e
	}
	for i, proof := range jsonx.Items(pc.p.ldp["proof"]) {
		m, ok := proof.(map[string]any)
		if !ok {
			continue // ldproof reports the malformed proof
		}
		where := pc.target
		if proofCount(pc.p.ldp) > 1 {
			where = fmt.Sprintf("%s proof %d", pc.target, i)
		}
		if p.challenge != "" {
			if got, _ := m["challenge"].(string); !constantEqual(got, p.challenge) {
				return invalidRequest(ReasonNonce, "%s: its proof's challenge is not the nonce of this request", where)
			}
		}
		if p.domain != "" && !domainIncludes(m["domain"], p.domain) {
			return invalidRequest(ReasonDomain, "%s: its proof's domain does not name this verifier's client_id %s", where, p.domain)
		}
	}
	return nil
}

// domainIncludes: proof.domain is a string or an array of strings (VC Data
// Integrity §2.1); want must be it or among them.
func domainIncludes(d any, want string) bool {
	switch d := d.(type) {
	case string:
		return constantEqual(d, want)
	case []any:
		for _, e := range d {
			if s, ok := e.(string); ok && constantEqual(s, want) {
				return true
			}
		}
	}
	return false
}

// checkHolderBinding is step 6 for one presentation; holder is the holder
// of the presentations before it ("" for the first). It reports whether to
// stop and this presentation's holder.
func (v *Verifier) checkHolderBinding(c *checker, pc *presentationCheck, holder string) (bool, string) {
	t := pc.target
	if pc.unbound {
		c.skip(StepHolderBinding, t, "holder", "nothing binds a holder to it, and its credential query does not require it")
		return false, holder
	}
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
					"(the signature is valid, but the holder does not control that key)", t, truncate(signer), truncate(pc.holder))
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
		if cr.sdCred != nil {
			c.pass(StepHolderBinding, cr.target, "subject_is_holder", "bound by the key its cnf names (KB-JWT)")
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
				e := invalidRequest(ReasonHolderBinding, "%s: credentialSubject.id %s is not the holder %s", ct, truncate(sub), truncate(pc.holder))
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

func (v *Verifier) checkValidity(vc map[string]any, now time.Time, where string) *oauth.Error {
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
