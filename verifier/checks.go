package verifier

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/loginwithiota/verifier/ldproof"
	"github.com/loginwithiota/verifier/session"
)

// checkPresentations runs steps 4–7 and the issuer policy over every VP and
// every credential in them; it returns the result a website will see.
func (v *Verifier) checkPresentations(ctx context.Context, s session.Session, def Definition, vps []map[string]any) (*session.Result, *Error) {
	now := v.now()
	type vpCheck struct {
		holder  string
		signers []string
		vcs     []map[string]any
	}
	checks := make([]vpCheck, 0, len(vps))

	// 4. Each VP's proof: authentication, challenge = nonce, domain = client_id.
	for i, vp := range vps {
		proofs, err := ldproof.Verify(ctx, vp, v.keys, ldproof.Options{
			Purpose:   purposeAuthentication,
			Challenge: s.Nonce,
			Domain:    v.ClientID(),
			Now:       now,
		})
		if err != nil {
			return nil, proofError(ReasonVPProof, fmt.Sprintf("presentation %d", i), err)
		}
		vcs, err := credentials(vp)
		if err != nil {
			return nil, invalidRequest(ReasonMalformedVPToken, "presentation %d: %v", i, err)
		}
		c := vpCheck{holder: idOf(vp["holder"]), vcs: vcs}
		for _, p := range proofs {
			c.signers = append(c.signers, p.Controller)
		}
		checks = append(checks, c)
	}

	// 5. Each credential's proof: assertionMethod, by a key of its issuer.
	for i, c := range checks {
		for j, vc := range c.vcs {
			where := fmt.Sprintf("presentation %d credential %d", i, j)
			proofs, err := ldproof.Verify(ctx, vc, v.keys, ldproof.Options{
				Purpose: purposeAssertionMethod,
				Now:     now,
			})
			if err != nil {
				return nil, proofError(ReasonVCProof, where, err)
			}
			issuer := idOf(vc["issuer"])
			if issuer == "" {
				return nil, invalidRequest(ReasonVCProof, "%s: no issuer", where)
			}
			for _, p := range proofs {
				if p.Controller != issuer {
					return nil, invalidRequest(ReasonIssuerKey, "%s: signed by %s, which is not a key of the issuer %s", where, p.VerificationMethod, issuer)
				}
			}
		}
	}

	// 6. Holder binding: the VP is signed by its holder, and every credential
	// is about that holder.
	holder := ""
	for i, c := range checks {
		if c.holder == "" {
			return nil, invalidRequest(ReasonHolderBinding, "presentation %d has no holder", i)
		}
		for _, signer := range c.signers {
			if signer != c.holder {
				return nil, invalidRequest(ReasonHolderBinding, "presentation %d is signed by %s, not by its holder %s", i, signer, c.holder)
			}
		}
		if holder == "" {
			holder = c.holder
		} else if c.holder != holder {
			return nil, invalidRequest(ReasonHolderBinding, "presentations name different holders")
		}
		for j, vc := range c.vcs {
			subjects := subjectIDs(vc["credentialSubject"])
			if len(subjects) == 0 {
				return nil, invalidRequest(ReasonHolderBinding, "presentation %d credential %d: credentialSubject.id is missing", i, j)
			}
			for _, sub := range subjects {
				if sub != holder {
					return nil, invalidRequest(ReasonHolderBinding, "presentation %d credential %d: credentialSubject.id %s is not the holder %s", i, j, sub, holder)
				}
			}
		}
	}

	// 7. Validity periods, then the definition's issuer policy.
	result := &session.Result{Holder: holder}
	for i, c := range checks {
		for j, vc := range c.vcs {
			where := fmt.Sprintf("presentation %d credential %d", i, j)
			if err := v.checkValidity(vc, now, where); err != nil {
				return nil, err
			}
			issuer := idOf(vc["issuer"])
			if len(def.TrustedIssuers) > 0 && !slices.Contains(def.TrustedIssuers, issuer) {
				return nil, invalidRequest(ReasonUntrustedIssuer, "%s: issuer %s is not trusted for %s", where, issuer, def.PEX.ID())
			}
			result.Credentials = append(result.Credentials, summary(vc, issuer))
		}
	}
	return result, nil
}

// proofError turns an ldproof failure into a reason; a wrong challenge or
// domain are told apart because they mean a replay or a relay, not a forgery.
func proofError(reason, where string, err error) *Error {
	var pe *ldproof.Error
	if errors.As(err, &pe) {
		switch pe.Code {
		case ldproof.CodeChallengeMismatch:
			reason = ReasonNonce
		case ldproof.CodeDomainMismatch:
			reason = ReasonDomain
		}
	}
	return &Error{Code: CodeInvalidRequest, Reason: reason, Description: where + ": " + err.Error()}
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

// credentials returns the embedded ldp_vc credentials of a VP.
func credentials(vp map[string]any) ([]map[string]any, error) {
	raw, ok := vp["verifiableCredential"]
	if !ok || raw == nil {
		return nil, nil
	}
	items, isList := raw.([]any)
	if !isList {
		items = []any{raw}
	}
	out := make([]map[string]any, 0, len(items))
	for i, it := range items {
		vc, ok := it.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("verifiableCredential[%d] is not a JSON-LD credential (ldp_vc)", i)
		}
		out = append(out, vc)
	}
	return out, nil
}

// idOf reads a member that is an IRI string or an object with an id.
func idOf(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case map[string]any:
		s, _ := t["id"].(string)
		return s
	}
	return ""
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
