package verifier

import (
	"fmt"
	"strings"

	"github.com/loginwithiota/verifier/dcql"
	"github.com/loginwithiota/verifier/internal/jsonx"
	"github.com/loginwithiota/verifier/jwtvc"
	"github.com/loginwithiota/verifier/oauth"
	"github.com/loginwithiota/verifier/sdjwt"
)

// decodeDCQLAnswer reads a 1.0 vp_token (§8.1: "a JSON-encoded object
// containing entries where the key is the id value used for a Credential
// Query in the DCQL query and the value is an array of one or more
// Presentations") within the limits, and flattens it, keys in order, into
// the answer's presentations, each remembering its (query id, index).
// Every JWT and SD-JWT in it is parsed once, here; nothing is verified.
func decodeDCQLAnswer(raw string, lim Limits, sd sdjwt.Limits) (*answer, *oauth.Error) {
	byID, keys, err := dcql.DecodeVPToken([]byte(raw), lim.MaxPresentations)
	if err != nil {
		if dcql.Code(err) == dcql.CodeTooLarge {
			return nil, invalidRequest(ReasonTooLarge, "vp_token holds more than %d presentations", lim.MaxPresentations)
		}
		return nil, invalidRequest(ReasonMalformedVPToken, "%s", dcqlText(err))
	}
	a := &answer{tokens: map[string]*jwtvc.Token{}}
	total := 0
	for _, k := range keys {
		for j, it := range byID[k] {
			p := &presented{index: len(a.presentations), queryID: k, queryIndex: j}
			target := fmt.Sprintf("presentation %d (vp_token.%s[%d])", p.index, clip(k), j)
			if e := a.readDCQLItem(p, it, target, lim, sd); e != nil {
				return nil, e
			}
			total += len(p.creds)
			if total > lim.MaxCredentials {
				return nil, invalidRequest(ReasonTooLarge, "vp_token holds more than %d credentials", lim.MaxCredentials)
			}
			a.presentations = append(a.presentations, p)
		}
	}
	return a, nil
}

// readDCQLItem reads one presentation: an SD-JWT VC (a string with "~"),
// a presentation JWT (jwt_vp_json, vp+jwt), an ldp_vp, or a credential
// presented bare (a credential JWT, an ldp_vc).
func (a *answer) readDCQLItem(p *presented, it any, target string, lim Limits, sd sdjwt.Limits) *oauth.Error {
	switch it := it.(type) {
	case string:
		if strings.Contains(it, "~") {
			tok, err := sdjwt.Parse(it, sdjwt.Options{Limits: sd})
			if err != nil {
				_, _, e := sdjwtFailure(err, target)
				return e
			}
			p.sd = tok
			return nil
		}
		if !looksLikeJWT(it) {
			return invalidRequest(ReasonMalformedVPToken, "%s is neither an SD-JWT nor a JWT", target)
		}
		t, err := a.parseJWT(it)
		if err != nil {
			return invalidRequest(ReasonMalformedVPToken, "%s is not a well-formed JWT", target)
		}
		p.jwt = t
		if !t.IsPresentation() {
			p.bare, p.creds = true, []any{it}
			return nil
		}
		p.creds = jsonx.Items(t.Presentation()["verifiableCredential"])
	case map[string]any:
		if n := proofCount(it); n > lim.MaxProofs {
			return invalidRequest(ReasonTooLarge, "%s has %d proofs; at most %d are accepted", target, n, lim.MaxProofs)
		}
		if !hasType(it, "VerifiablePresentation") {
			p.bare, p.ldp, p.creds = true, it, []any{it}
			return nil
		}
		p.ldp = it
		p.creds, p.credErr = ldpCredentials(it)
		if p.credErr != nil {
			return invalidRequest(ReasonMalformedVPToken, "%s: %s", target, p.credErr)
		}
		for j, c := range p.creds {
			if m, ok := c.(map[string]any); ok {
				if n := proofCount(m); n > lim.MaxProofs {
					return invalidRequest(ReasonTooLarge, "%s credential %d has %d proofs; at most %d are accepted", target, j, n, lim.MaxProofs)
				}
			}
		}
	}
	return nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
