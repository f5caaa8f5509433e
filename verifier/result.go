package verifier

import (
	"github.com/loginwithiota/verifier/dcql"
	"github.com/loginwithiota/verifier/session"
)

// registeredSD are an SD-JWT VC's registered claims: reported as issuer,
// type and status, never among the claims the website is told.
var registeredSD = []string{"iss", "sub", "vct", "vct#integrity", "cnf", "status", "iat", "nbf", "exp", "aka_vcts", "_sd_alg"}

// summaryOf is what the website learns of one verified credential. A
// credential a DCQL query matched is reported with only the claims that
// query asked for (dcql.SelectClaims, the claim set it satisfied): for a
// W3C credential the requested part of its credentialSubject, for an
// SD-JWT VC the requested claims (with no claims asked for, the claims it
// carries, registered ones apart). A PEX match is reported whole.
func (v *Verifier) summaryOf(cr *credentialCheck, issuer string) session.Credential {
	if cr.sdCred != nil {
		c := session.Credential{Issuer: issuer, Type: []string{cr.sdCred.VCT}}
		claims := cr.sdCred.Claims
		if cr.cq != nil {
			claims = dcql.SelectClaims(claims, cr.cq, cr.claimSet)
		}
		subject := make(map[string]any, len(claims))
		for k, val := range claims {
			subject[k] = val
		}
		if cr.cq == nil || cr.cq.Claims == nil {
			for _, k := range registeredSD {
				delete(subject, k)
			}
		}
		c.CredentialSubject = subject
		return c
	}
	if cr.cq == nil {
		return summary(cr.vc, issuer)
	}
	c := summary(cr.vc, issuer)
	selected := dcql.SelectClaims(cr.vc, cr.cq, cr.claimSet)
	subj := selected["credentialSubject"]
	if list, ok := subj.([]any); ok && len(list) > 0 {
		subj = list[0]
	}
	c.CredentialSubject, _ = subj.(map[string]any)
	if c.CredentialSubject == nil {
		c.CredentialSubject = map[string]any{}
	}
	return c
}
