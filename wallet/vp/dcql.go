package vp

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/loginwithiota/verifier/dcql"
	"github.com/loginwithiota/verifier/wallet"
)

// DCQL selection (1.0 §6.4): which of the wallet's credentials answer
// which credential query, by package dcql's own matching, and which
// claims each discloses.

// QueryChoice is one credential query the wallet answers.
type QueryChoice struct {
	QueryID    string
	Credential wallet.Stored
	// ClaimSet is the claim set satisfied (-1: the query has none).
	ClaimSet int
	// ProofType is an ldp_vc's presentation proof type.
	ProofType string
	// Disclose are the claims an SD-JWT VC discloses: the requested ones.
	Disclose [][]any
	// Shared is what the verifier receives of the credential: an SD-JWT
	// VC's claims with only the requested ones disclosed, a W3C
	// credential's credentialSubject (all of it: no selective disclosure).
	Shared map[string]any
	// Withheld names the selectively disclosable claims not shared.
	Withheld []string
}

// presentable are the credential formats the wallet answers DCQL with.
var presentable = []string{dcql.FormatJWTVC, dcql.FormatSDJWTVC, dcql.FormatLDPVC}

// ErrNoFormat: the query asks only for formats the wallet does not
// present (1.0 §8.5 vp_formats_not_supported).
var ErrNoFormat = errors.New("vp_formats_not_supported")

// ErrNoMatch: the wallet holds nothing that satisfies the query (§8.5
// access_denied: "The Wallet did not have the requested Credentials").
var ErrNoMatch = errors.New("no credential in this wallet answers the request")

// chooseDCQL picks, for the credential queries the query needs (all of
// them, or per credential set the first option the wallet can answer in
// full; optional sets are left out: nothing is shared that is not
// required), the first stored credential that matches.
func chooseDCQL(r *Request, creds []wallet.Stored, key *wallet.Key) (*Choice, error) {
	q := r.DCQL
	if !slices.ContainsFunc(q.Credentials, func(cq dcql.CredentialQuery) bool { return slices.Contains(presentable, cq.Format) }) {
		return nil, fmt.Errorf("%w: the request asks for %s; this wallet presents %s", ErrNoFormat, formatsOf(q), strings.Join(presentable, ", "))
	}
	found := map[string]*QueryChoice{}
	reasons := map[string][]string{}
	for i := range q.Credentials {
		cq := &q.Credentials[i]
		for _, s := range creds {
			qc, why := matchStored(r, cq, s, key)
			if qc != nil {
				found[cq.ID] = qc
				break
			}
			if why != "" {
				reasons[cq.ID] = append(reasons[cq.ID], fmt.Sprintf("credential %d: %s", s.N, why))
			}
		}
	}
	ids, err := needed(q, found)
	if err != nil {
		var b strings.Builder
		b.WriteString(err.Error())
		for _, cq := range q.Credentials {
			if found[cq.ID] == nil && len(reasons[cq.ID]) > 0 {
				fmt.Fprintf(&b, "; %s: %s", cq.ID, strings.Join(reasons[cq.ID], ", "))
			}
		}
		return nil, fmt.Errorf("%w: %s", ErrNoMatch, b.String())
	}
	c := &Choice{Format: "vp_token (DCQL)"}
	for _, id := range ids {
		qc := found[id]
		if err := qc.share(r.DCQL.ByID(id)); err != nil {
			return nil, err
		}
		c.Queries = append(c.Queries, *qc)
		c.Credentials = append(c.Credentials, qc.Credential)
	}
	return c, nil
}

// needed is §6.4.2: without credential_sets every credential query;
// with them, per set, its first option all of whose queries the wallet
// answers. "If the Wallet cannot deliver all non-optional Credentials
// requested by the Verifier according to these rules, it MUST NOT return
// any Credential(s)."
func needed(q *dcql.Query, found map[string]*QueryChoice) ([]string, error) {
	if q.CredentialSets == nil {
		var ids, missing []string
		for _, cq := range q.Credentials {
			ids = append(ids, cq.ID)
			if found[cq.ID] == nil {
				missing = append(missing, cq.ID)
			}
		}
		if len(missing) > 0 {
			return nil, fmt.Errorf("nothing matches credential query %s", strings.Join(missing, ", "))
		}
		return ids, nil
	}
	var ids []string
	for i, cs := range q.CredentialSets {
		if !cs.Required {
			continue
		}
		chosen := -1
		for o, opt := range cs.Options {
			if !slices.ContainsFunc(opt, func(id string) bool { return found[id] == nil }) {
				chosen = o
				break
			}
		}
		if chosen < 0 {
			alts := make([]string, len(cs.Options))
			for o, opt := range cs.Options {
				alts[o] = "[" + strings.Join(opt, ", ") + "]"
			}
			return nil, fmt.Errorf("credential_sets[%d] needs one of %s", i, strings.Join(alts, " or "))
		}
		for _, id := range cs.Options[chosen] {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	return ids, nil
}

func formatsOf(q *dcql.Query) string {
	var out []string
	for _, cq := range q.Credentials {
		if !slices.Contains(out, cq.Format) {
			out = append(out, wallet.Clip(cq.Format))
		}
	}
	return strings.Join(out, ", ")
}

// matchStored checks one stored credential against one credential query:
// the request's accepted algorithms, then package dcql's matching of a
// query of its own (format, meta, claims, claim sets), as the verifier
// will evaluate it. It says why not when the format fits but the
// credential does not.
func matchStored(r *Request, cq *dcql.CredentialQuery, s wallet.Stored, key *wallet.Key) (*QueryChoice, string) {
	if s.Format != cq.Format {
		return nil, ""
	}
	v, err := viewOf(s, key)
	if err != nil {
		return nil, err.Error()
	}
	proof, why := acceptedBy(r, s.Format, v, key)
	if why != "" {
		return nil, why
	}
	one := &dcql.Query{Credentials: []dcql.CredentialQuery{*cq}}
	res, err := one.Evaluate(map[string][]dcql.Credential{cq.ID: {v.Credential}}, dcql.Options{})
	if err != nil {
		return nil, "does not match (" + dcql.Code(err) + ")"
	}
	return &QueryChoice{QueryID: cq.ID, Credential: s, ClaimSet: res.Matches[0].ClaimSet, ProofType: proof}, ""
}

// requested are the claims paths of cq's claim set set (all its claims
// without claim_sets; none without claims).
func requested(cq *dcql.CredentialQuery, set int) [][]any {
	var out [][]any
	for _, cl := range cq.Claims {
		if set >= 0 && set < len(cq.ClaimSets) && !slices.Contains(cq.ClaimSets[set], cl.ID) {
			continue
		}
		out = append(out, cl.Path)
	}
	return out
}
