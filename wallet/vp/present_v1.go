package vp

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/loginwithiota/verifier/dcql"
	"github.com/loginwithiota/verifier/sdjwt"
	"github.com/loginwithiota/verifier/wallet"
)

// presentDCQL makes a 1.0 answer's vp_token (§8.1): "a JSON-encoded
// object containing entries where the key is the id value used for a
// Credential Query in the DCQL query and the value is an array of one or
// more Presentations". Each is bound to the request's nonce and to the
// full client identifier (§14.1.5): a VC-JWT inside a jwt_vp_json (nonce,
// aud), an SD-JWT VC with the requested disclosures and a KB-JWT (nonce,
// aud, sd_hash, B.3.6), an ldp_vc inside an ldp_vp (challenge, domain).
// The answer is evaluated against the query as the verifier will before
// it leaves (strict disclosure included).
func presentDCQL(r *Request, c *Choice, key *wallet.Key, now time.Time) (*Answer, error) {
	token := map[string][]any{}
	views := map[string][]dcql.Credential{}
	for _, qc := range c.Queries {
		cred := qc.Credential.Credential
		var (
			pres any
			v    dcql.Credential
			err  error
		)
		switch cred.Format {
		case dcql.FormatJWTVC:
			pres, err = jwtPresentation(r, []any{cred.Credential}, key, now)
		case dcql.FormatSDJWTVC:
			issued, _ := cred.Credential.(string)
			var s string
			s, err = sdjwt.Present(issued, sdPaths(qc.Disclose),
				&sdjwt.Holder{Signer: sdjwt.Signer{Key: key.Signer()}, Nonce: r.Nonce, Audience: r.ClientID, IssuedAt: now})
			if err == nil {
				pres, v, err = s, sdView(s), nil
			}
		case dcql.FormatLDPVC:
			var s string
			if s, err = ldpPresentation(r, qc.ProofType, []any{cred.Credential}, key, now); err == nil {
				pres, err = tokenJSON(s)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("signing the presentation for %s: %w", qc.QueryID, err)
		}
		if cred.Format != dcql.FormatSDJWTVC {
			vw, err := viewOf(qc.Credential, key)
			if err != nil {
				return nil, err
			}
			v = vw.Credential
		}
		token[qc.QueryID] = append(token[qc.QueryID], pres)
		views[qc.QueryID] = append(views[qc.QueryID], v)
	}
	if _, err := r.DCQL.Evaluate(views, dcql.Options{StrictDisclosure: true}); err != nil {
		return nil, fmt.Errorf("the answer would not satisfy the query: %w", err)
	}
	raw, err := json.Marshal(token)
	if err != nil {
		return nil, err
	}
	return &Answer{VPToken: string(raw), token: token}, nil
}

// sdView is a presented SD-JWT VC as the verifier's DCQL evaluation sees
// it: the disclosed claims and where they are.
func sdView(presented string) dcql.Credential {
	t, err := sdjwt.Parse(presented, sdOptions)
	if err != nil {
		return dcql.Credential{}
	}
	v := dcql.Credential{Format: dcql.FormatSDJWTVC, Claims: t.Claims(), HolderBound: t.HasKeyBinding()}
	v.VCT, _ = t.Claims()["vct"].(string)
	v.AKAVCTs = stringList(t.Claims()["aka_vcts"])
	for _, d := range t.Disclosures() {
		v.Disclosed = append(v.Disclosed, d.Path)
	}
	return v
}
