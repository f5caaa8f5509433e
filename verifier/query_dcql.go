package verifier

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/loginwithiota/verifier/dcql"
	"github.com/loginwithiota/verifier/internal/jsonx"
	"github.com/loginwithiota/verifier/oauth"
	"github.com/loginwithiota/verifier/sdjwt"
)

// dcqlQuery is an OID4VP 1.0 DCQL query as a query: every presentation
// of the answer is read into the neutral view package dcql evaluates
// (from the answer's single parse), and Evaluate decides, failing
// closed: unknown credential query ids, more presentations than multiple
// allows, a presentation that does not match its query, unsatisfied
// credential sets — and, with strict, claims disclosed that were not
// asked for — refuse the whole answer. Its matches are every
// presentation of the answer, each its one credential.
type dcqlQuery struct {
	q      *dcql.Query
	strict bool
}

func (q *dcqlQuery) match(_ context.Context, a *answer, _ queryInput) ([]match, *oauth.Error) {
	views := map[string][]dcql.Credential{}
	byKey := map[string][]*presented{}
	for _, p := range a.presentations {
		view, e := credentialView(a, p)
		if e != nil {
			return nil, e
		}
		views[p.queryID] = append(views[p.queryID], view)
		byKey[p.queryID] = append(byKey[p.queryID], p)
	}
	res, err := q.q.Evaluate(views, dcql.Options{StrictDisclosure: q.strict})
	if err != nil {
		return nil, dcqlFailure(err)
	}
	out := make([]match, 0, len(res.Matches))
	for _, m := range res.Matches {
		p := byKey[m.QueryID][m.Index]
		cq := q.q.ByID(m.QueryID)
		out = append(out, match{queryID: m.QueryID, presentation: p.index, credential: 0, format: cq.Format, cq: cq, claimSet: m.ClaimSet})
	}
	return out, nil
}

// credentialView is what DCQL sees of a presentation: an SD-JWT VC's
// processed claims, or a W3C credential's root object (B.1.2: "the
// claims_path parameter always matches on the root of Verifiable
// Credential (not the Verifiable Presentation)"). A W3C presentation
// answers one credential query with one credential: a presentation
// holding several is refused rather than one picked from it.
func credentialView(a *answer, p *presented) (dcql.Credential, *oauth.Error) {
	target := fmt.Sprintf("presentation %d (vp_token.%s[%d])", p.index, clip(p.queryID), p.queryIndex)
	if p.sd != nil {
		claims := p.sd.Claims()
		c := dcql.Credential{Format: FormatSDJWT, Claims: claims, HolderBound: p.sd.HasKeyBinding()}
		c.VCT, _ = claims["vct"].(string)
		c.AKAVCTs, _, _ = jsonx.List[string](claims["aka_vcts"])
		for _, d := range p.sd.Disclosures() {
			c.Disclosed = append(c.Disclosed, d.Path)
		}
		return c, nil
	}
	if len(p.creds) != 1 {
		return dcql.Credential{}, invalidRequest(ReasonMalformedVPToken, "%s holds %d credentials; a presentation for a credential query holds one", target, len(p.creds))
	}
	it := p.creds[0]
	c := dcql.Credential{HolderBound: !p.bare}
	switch {
	case isJWTItem(it):
		vc, e := a.credentialClaims(it, target)
		if e != nil {
			return dcql.Credential{}, e
		}
		c.Format, c.Claims = dcql.FormatJWTVC, vc
		if raw, ok := envelopedSDJWT(it); ok {
			// An enveloped vc+sd-jwt discloses selectively too: what it
			// discloses is held to the query (strict disclosure).
			for _, d := range a.sdTokens[raw].Disclosures() {
				c.Disclosed = append(c.Disclosed, d.Path)
			}
		}
	default:
		m, ok := it.(map[string]any)
		if !ok {
			return dcql.Credential{}, invalidRequest(ReasonMalformedVPToken, "%s: its credential is neither a JSON-LD credential nor a JWT", target)
		}
		c.Format, c.Claims = dcql.FormatLDPVC, m
	}
	c.Types = expandedTypes(c.Claims)
	return c, nil
}

// isJWTItem: a credential JWT, or an enveloped vc+jwt or vc+sd-jwt.
func isJWTItem(it any) bool {
	if _, ok := credentialJWT(it); ok {
		return true
	}
	_, ok := envelopedSDJWT(it)
	return ok
}

// credentialClaims is a JWT-secured credential as claims are read on it:
// a credential JWT's credential view (jwtvc), an enveloped vc+sd-jwt's
// processed payload (sdjwt, parsed once here and kept for verification).
func (a *answer) credentialClaims(it any, target string) (map[string]any, *oauth.Error) {
	if raw, ok := envelopedSDJWT(it); ok {
		t, err := a.parseSDJWT(raw)
		if err != nil {
			_, _, e := sdjwtFailure(err, target)
			return nil, e
		}
		return t.Claims(), nil
	}
	raw, _ := credentialJWT(it)
	t, err := a.parseJWT(raw)
	if err != nil {
		return nil, invalidRequest(ReasonMalformedVPToken, "%s: its credential is not a well-formed JWT", target)
	}
	vc, err := t.CredentialView()
	if err != nil {
		return nil, invalidRequest(ReasonMalformedVPToken, "%s: its credential JWT is not a credential", target)
	}
	return vc, nil
}

// parseSDJWT parses an enveloped SD-JWT of the answer once.
func (a *answer) parseSDJWT(raw string) (*sdjwt.Token, error) {
	if t, ok := a.sdTokens[raw]; ok {
		return t, nil
	}
	t, err := sdjwt.Parse(raw, sdjwt.Options{Plain: true})
	if err != nil {
		return nil, err
	}
	if a.sdTokens == nil {
		a.sdTokens = map[string]*sdjwt.Token{}
	}
	a.sdTokens[raw] = t
	return t, nil
}

// vcdmBase are the terms of the VC Data Model contexts that type_values
// may name by their IRI.
var vcdmBase = map[string]string{
	"VerifiableCredential":   "https://www.w3.org/2018/credentials#VerifiableCredential",
	"VerifiablePresentation": "https://www.w3.org/2018/credentials#VerifiablePresentation",
}

// expandedTypes are a W3C credential's types for type_values (B.1.1):
// each type as written and, for the VC Data Model's own terms, its IRI.
// A term the credential's own @context defines is matched as written:
// the wallets' libraries (dcql 3.0.0) compare type values as written, so
// a query names types by the terms issuers write; B.1.1 allows "a type
// ... not defined in any @context" to be matched as it is.
func expandedTypes(vc map[string]any) []string {
	var out []string
	for _, t := range stringsOf(vc["type"]) {
		out = append(out, t)
		if iri, ok := vcdmBase[t]; ok && !slices.Contains(out, iri) {
			out = append(out, iri)
		}
	}
	return out
}

// dcqlFailure maps a dcql failure to its own reason, with a fixed text
// of the query's ids and the vp_token's (clipped) keys.
func dcqlFailure(err error) *oauth.Error {
	reason := ReasonDCQL
	switch dcql.Code(err) {
	case dcql.CodeMalformedVPToken:
		reason = ReasonMalformedVPToken
	case dcql.CodeTooLarge:
		reason = ReasonTooLarge
	case dcql.CodeUnknownQuery:
		reason = ReasonUnknownQuery
	case dcql.CodeMultiple:
		reason = ReasonMultiple
	case dcql.CodeFormat:
		reason = ReasonFormatMismatch
	case dcql.CodeMeta:
		reason = ReasonTypeMismatch
	case dcql.CodeHolderBinding:
		reason = ReasonHolderBindingRequired
	case dcql.CodeClaims:
		reason = ReasonClaimsMismatch
	case dcql.CodeTrustedAuthority:
		reason = ReasonTrustedAuthority
	case dcql.CodeUndisclosedRequest:
		reason = ReasonClaimNotRequested
	case dcql.CodeNotRequested:
		reason = ReasonCredentialNotRequested
	case dcql.CodeMissing:
		reason = ReasonCredentialMissing
	case dcql.CodeCredentialSets:
		reason = ReasonCredentialSets
	}
	return invalidRequest(reason, "%s", dcqlText(err))
}

// dcqlText is a dcql failure's description: its member and reason, which
// package dcql writes from the query's own ids and fixed words.
func dcqlText(err error) string {
	e, ok := err.(*dcql.Error)
	if !ok {
		return "the vp_token does not answer the DCQL query"
	}
	if e.Member == "" {
		return e.Reason
	}
	return strings.TrimSpace(e.Member + ": " + e.Reason)
}
