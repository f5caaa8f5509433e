package dcql

import (
	"fmt"
	"math"
)

func parseClaims(m map[string]any, cq *CredentialQuery, member string) error {
	// §6.1: "claims: OPTIONAL. A non-empty array of objects".
	arr, err := nonEmptyArray(m, "claims", member+".claims", false)
	if err != nil {
		return err
	}
	_, hasSets := m["claim_sets"]
	ids := map[string]int{}
	for i, e := range arr {
		em := fmt.Sprintf("%s.claims[%d]", member, i)
		o, ok := e.(map[string]any)
		if !ok {
			return newError(CodeInvalidQuery, em, "not an object")
		}
		var c ClaimsQuery
		// §6.3: "id: REQUIRED if claim_sets is present in the Credential
		// Query; OPTIONAL otherwise."; "Within the particular claims array,
		// the same id MUST NOT be present more than once."
		if c.ID, err = id(o, "id", em+".id", hasSets); err != nil {
			return err
		}
		if c.ID != "" {
			if j, dup := ids[c.ID]; dup {
				return newError(CodeInvalidQuery, em+".id", "%q is also the id of claims[%d]", c.ID, j)
			}
			ids[c.ID] = i
		}
		if c.Path, err = parsePath(o, em+".path", cq.Format); err != nil {
			return err
		}
		// §6.1: "Verifiers MUST NOT point to the same claim more than once
		// in a single query."
		for j, prev := range cq.Claims {
			if prev.Path.equal(c.Path) {
				return newError(CodeInvalidQuery, em+".path", "the same path as claims[%d]", j)
			}
		}
		if c.Values, err = parseValues(o, em+".values"); err != nil {
			return err
		}
		if _, has := o["intent_to_retain"]; has {
			b, err := boolean(o, "intent_to_retain", em+".intent_to_retain", true)
			if err != nil {
				return err
			}
			c.IntentToRetain = &b
		}
		cq.Claims = append(cq.Claims, c)
	}
	// §6.4.1: "claim_sets MUST NOT be present if claims is absent."
	if hasSets && cq.Claims == nil {
		return newError(CodeInvalidQuery, member+".claim_sets", "present without claims")
	}
	// §6.1: "claim_sets: OPTIONAL. A non-empty array containing arrays of
	// identifiers for elements in claims".
	sets, err := nonEmptyArray(m, "claim_sets", member+".claim_sets", false)
	if err != nil {
		return err
	}
	for i, s := range sets {
		sm := fmt.Sprintf("%s.claim_sets[%d]", member, i)
		list, err := stringList(s, sm)
		if err != nil {
			return err
		}
		for j, cid := range list {
			if _, ok := ids[cid]; !ok {
				return newError(CodeInvalidQuery, fmt.Sprintf("%s[%d]", sm, j), "%q is not the id of a claim of this credential query", clip(cid))
			}
		}
		cq.ClaimSets = append(cq.ClaimSets, list)
	}
	return nil
}

// parsePath: §6.3 "path: REQUIRED The value MUST be a non-empty array
// representing a claims path pointer"; §7 "A claims path pointer MUST be
// a non-empty array of strings, nulls and non-negative integers"; §7.2.1
// for mdoc: "If the claims path pointer does not contain exactly two
// components or one of the components is not a string then abort".
func parsePath(o map[string]any, member, format string) (Path, error) {
	arr, err := nonEmptyArray(o, "path", member, true)
	if err != nil {
		return nil, err
	}
	p := make(Path, len(arr))
	for i, e := range arr {
		c, ok := component(e)
		if !ok {
			return nil, newError(CodeInvalidQuery, fmt.Sprintf("%s[%d]", member, i), "not a string, null or non-negative integer")
		}
		p[i] = c
	}
	if format == FormatMDoc {
		if len(p) != 2 {
			return nil, newError(CodeInvalidQuery, member, "an mdoc claims path has exactly two components")
		}
		for i, c := range p {
			if _, ok := c.(string); !ok {
				return nil, newError(CodeInvalidQuery, fmt.Sprintf("%s[%d]", member, i), "an mdoc claims path has only strings")
			}
		}
	}
	return p, nil
}

// parseValues: §6.3 "values: OPTIONAL A non-empty array of strings,
// integers or boolean values".
func parseValues(o map[string]any, member string) ([]any, error) {
	arr, err := nonEmptyArray(o, "values", member, false)
	if err != nil {
		return nil, err
	}
	for i, e := range arr {
		switch v := e.(type) {
		case string, bool:
		case float64:
			if v != math.Trunc(v) || math.IsInf(v, 0) {
				return nil, newError(CodeInvalidQuery, fmt.Sprintf("%s[%d]", member, i), "a number that is not an integer")
			}
		default:
			return nil, newError(CodeInvalidQuery, fmt.Sprintf("%s[%d]", member, i), "not a string, integer or boolean")
		}
	}
	return arr, nil
}
