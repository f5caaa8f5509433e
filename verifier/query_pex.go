package verifier

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/loginwithiota/verifier/oauth"
	"github.com/loginwithiota/verifier/pex"
)

// pexQuery is a DIF Presentation Exchange definition as a query.
type pexQuery struct{ def *pex.Definition }

func (q pexQuery) match(ctx context.Context, a *answer, in queryInput) ([]match, *oauth.Error) {
	if in.submission == "" {
		return nil, invalidRequest(ReasonMissingParameter, "presentation_submission is required")
	}
	// presentation_submission is well formed and names our definition.
	sub, err := pex.ParseSubmission([]byte(in.submission))
	if err != nil {
		return nil, invalidRequest(ReasonMalformedSubmission, "%s", pexDetail(err))
	}
	if sub.DefinitionID != q.def.ID() {
		return nil, invalidRequest(ReasonDefinitionMismatch, "presentation_submission.definition_id %q does not match the requested definition %q",
			truncate(sub.DefinitionID), q.def.ID())
	}
	// Every input descriptor is satisfied by the credential its entry
	// points to (JWTs read by the answer's own parse).
	opts := pex.Options{DecodeJWT: a.decodeJWT}
	if in.status != nil {
		opts.Status = in.status.pexStatus(ctx)
	}
	res, err := q.def.EvaluateWith(sub, a.token, opts)
	if err != nil {
		return nil, invalidRequest(ReasonPEX, "%s", pexDetail(err))
	}
	_, isList := a.token.([]any)
	out := make([]match, 0, len(res.Matches))
	for i, m := range res.Matches {
		pi, ok := presentationIndex(m.Path, isList)
		ci := -1
		if ok && pi < len(a.presentations) {
			for j, c := range a.presentations[pi].creds {
				if sameItem(m.Raw, c) {
					ci = j
					break
				}
			}
		}
		// Only a credential of a presentation's verifiableCredential is
		// one its holder presents: anything else the path reaches (a copy
		// under another member of the presentation) is refused, never
		// trusted on the presentation's signature.
		if ci < 0 {
			return nil, invalidRequest(ReasonPEX, "descriptor_map[%d] (input descriptor %q): %s is not a credential in a presentation's verifiableCredential",
				i, m.DescriptorID, truncate(m.Path))
		}
		out = append(out, match{queryID: m.DescriptorID, presentation: pi, credential: ci, format: m.Format})
	}
	return out, nil
}

// presentationIndex reads which vp_token item a full descriptor path is
// in: "$[i]…" when the vp_token is an array, else the one presentation.
func presentationIndex(path string, isList bool) (int, bool) {
	if !isList {
		return 0, strings.HasPrefix(path, "$")
	}
	rest, ok := strings.CutPrefix(path, "$[")
	if !ok {
		return 0, false
	}
	end := strings.IndexByte(rest, ']')
	if end <= 0 {
		return 0, false
	}
	i, err := strconv.Atoi(rest[:end])
	return i, err == nil && i >= 0
}

// pexDetail is a PEX failure's own reason: it already names the input
// descriptor, the field path and why, so no code prefix is added. pex
// writes it from the definition and the submission, never from a claim.
func pexDetail(err error) string {
	var pe *pex.Error
	if errors.As(err, &pe) && pe.Reason != "" {
		return pe.Reason
	}
	return "the presentation_submission cannot be evaluated"
}

func truncate(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
