package dcql

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
)

// MaxQueryBytes bounds a query's JSON text.
const MaxQueryBytes = 256 << 10

// idSyntax is §6.1 and §6.3: "The value MUST be a non-empty string
// consisting of alphanumeric, underscore (_), or hyphen (-) characters."
var idSyntax = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// Parse decodes and validates a DCQL query against every rule of
// OpenID4VP 1.0 §6 and the format rules of Appendix B for the formats it
// knows. Unknown members are ignored (§6: "Implementations MUST ignore
// any unknown properties"). The error, an *Error with CodeInvalidQuery,
// names the member ("credentials[1].claims[0].path").
func Parse(data []byte) (*Query, error) {
	if len(data) > MaxQueryBytes {
		return nil, newError(CodeInvalidQuery, "", "the query is larger than %d bytes", MaxQueryBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return nil, newError(CodeInvalidQuery, "", "the query is not one JSON value")
	}
	return FromJSON(v)
}

// FromJSON validates a query already decoded as JSON (a map, as from a
// YAML or JSON configuration decoded into any).
func FromJSON(v any) (*Query, error) {
	top, ok := v.(map[string]any)
	if !ok {
		return nil, newError(CodeInvalidQuery, "", "the query is not a JSON object")
	}
	q := &Query{}
	// §6: "credentials: REQUIRED. A non-empty array of Credential Queries".
	creds, err := nonEmptyArray(top, "credentials", "credentials", true)
	if err != nil {
		return nil, err
	}
	ids := map[string]int{}
	for i, c := range creds {
		member := fmt.Sprintf("credentials[%d]", i)
		cq, err := parseCredentialQuery(c, member)
		if err != nil {
			return nil, err
		}
		// §6.1: "Within the Authorization Request, the same id MUST NOT be
		// present more than once."
		if j, dup := ids[cq.ID]; dup {
			return nil, newError(CodeInvalidQuery, member+".id", "%q is also the id of credentials[%d]", cq.ID, j)
		}
		ids[cq.ID] = i
		q.Credentials = append(q.Credentials, *cq)
	}
	// §6: "credential_sets: OPTIONAL. A non-empty array of Credential Set
	// Queries".
	sets, err := nonEmptyArray(top, "credential_sets", "credential_sets", false)
	if err != nil {
		return nil, err
	}
	for i, s := range sets {
		cs, err := parseCredentialSet(s, fmt.Sprintf("credential_sets[%d]", i), ids)
		if err != nil {
			return nil, err
		}
		q.CredentialSets = append(q.CredentialSets, *cs)
	}
	return q, nil
}

func parseCredentialQuery(v any, member string) (*CredentialQuery, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, newError(CodeInvalidQuery, member, "not an object")
	}
	cq := &CredentialQuery{RequireCryptographicHolderBinding: true}
	var err error
	if cq.ID, err = id(m, "id", member+".id", true); err != nil {
		return nil, err
	}
	// §6.1: "format: REQUIRED. A string".
	if cq.Format, err = str(m, "format", member+".format", true); err != nil {
		return nil, err
	}
	if cq.Format == "" {
		return nil, newError(CodeInvalidQuery, member+".format", "empty")
	}
	if cq.Multiple, err = boolean(m, "multiple", member+".multiple", false); err != nil {
		return nil, err
	}
	if _, has := m["require_cryptographic_holder_binding"]; has {
		if cq.RequireCryptographicHolderBinding, err = boolean(m, "require_cryptographic_holder_binding", member+".require_cryptographic_holder_binding", false); err != nil {
			return nil, err
		}
	}
	if cq.Meta, err = parseMeta(m, cq.Format, member+".meta"); err != nil {
		return nil, err
	}
	if cq.TrustedAuthorities, err = parseAuthorities(m, member+".trusted_authorities"); err != nil {
		return nil, err
	}
	if err := parseClaims(m, cq, member); err != nil {
		return nil, err
	}
	return cq, nil
}

// parseMeta: §6.1 "meta: REQUIRED. An object"; the members the formats of
// Appendix B make REQUIRED.
func parseMeta(m map[string]any, format, member string) (Meta, error) {
	var meta Meta
	raw, has := m["meta"]
	if !has {
		return meta, newError(CodeInvalidQuery, member, "missing (an empty object places no constraint)")
	}
	mm, ok := raw.(map[string]any)
	if !ok {
		return meta, newError(CodeInvalidQuery, member, "not an object")
	}
	var err error
	switch format {
	case FormatSDJWTVC:
		// B.3.5: "vct_values: REQUIRED. A non-empty array of strings".
		if meta.VCTValues, err = stringArray(mm, "vct_values", member+".vct_values", true); err != nil {
			return meta, err
		}
	case FormatJWTVC, FormatLDPVC:
		// B.1.1: "type_values: REQUIRED. A non-empty array of string
		// arrays", "each element … is a non-empty array".
		arr, err := nonEmptyArray(mm, "type_values", member+".type_values", true)
		if err != nil {
			return meta, err
		}
		for i, e := range arr {
			inner, err := stringList(e, fmt.Sprintf("%s.type_values[%d]", member, i))
			if err != nil {
				return meta, err
			}
			meta.TypeValues = append(meta.TypeValues, inner)
		}
	case FormatMDoc:
		// B.2.4: "doctype_value: REQUIRED. String".
		if meta.DoctypeValue, err = str(mm, "doctype_value", member+".doctype_value", true); err != nil {
			return meta, err
		}
	}
	for k, v := range mm {
		if k != "vct_values" && k != "type_values" && k != "doctype_value" {
			if meta.Other == nil {
				meta.Other = map[string]any{}
			}
			meta.Other[k] = v
		}
	}
	return meta, nil
}

// parseAuthorities: §6.1 "trusted_authorities: OPTIONAL. A non-empty
// array of objects"; §6.1.1 "type: REQUIRED. A string", "values:
// REQUIRED. A non-empty array of strings".
func parseAuthorities(m map[string]any, member string) ([]TrustedAuthority, error) {
	arr, err := nonEmptyArray(m, "trusted_authorities", member, false)
	if err != nil {
		return nil, err
	}
	var out []TrustedAuthority
	for i, e := range arr {
		em := fmt.Sprintf("%s[%d]", member, i)
		o, ok := e.(map[string]any)
		if !ok {
			return nil, newError(CodeInvalidQuery, em, "not an object")
		}
		var ta TrustedAuthority
		if ta.Type, err = str(o, "type", em+".type", true); err != nil {
			return nil, err
		}
		if ta.Values, err = stringArray(o, "values", em+".values", true); err != nil {
			return nil, err
		}
		out = append(out, ta)
	}
	return out, nil
}

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

func parseCredentialSet(v any, member string, ids map[string]int) (*CredentialSetQuery, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, newError(CodeInvalidQuery, member, "not an object")
	}
	cs := &CredentialSetQuery{Required: true, Purpose: m["purpose"]}
	// §6.2: "options: REQUIRED A non-empty array, where each value in the
	// array is a list of Credential Query identifiers"; "The value of each
	// element in the options array is a non-empty array of identifiers
	// which reference elements in credentials."
	opts, err := nonEmptyArray(m, "options", member+".options", true)
	if err != nil {
		return nil, err
	}
	for i, o := range opts {
		om := fmt.Sprintf("%s.options[%d]", member, i)
		list, err := stringList(o, om)
		if err != nil {
			return nil, err
		}
		for j, cid := range list {
			if _, ok := ids[cid]; !ok {
				return nil, newError(CodeInvalidQuery, fmt.Sprintf("%s[%d]", om, j), "%q is not the id of a credential query", clip(cid))
			}
		}
		cs.Options = append(cs.Options, list)
	}
	if _, has := m["required"]; has {
		if cs.Required, err = boolean(m, "required", member+".required", true); err != nil {
			return nil, err
		}
	}
	return cs, nil
}

// nonEmptyArray reads m[name] as a non-empty array; absent is nil, or an
// error when required.
func nonEmptyArray(m map[string]any, name, member string, required bool) ([]any, error) {
	v, has := m[name]
	if !has {
		if required {
			return nil, newError(CodeInvalidQuery, member, "missing")
		}
		return nil, nil
	}
	arr, ok := v.([]any)
	switch {
	case !ok:
		return nil, newError(CodeInvalidQuery, member, "not an array")
	case len(arr) == 0:
		return nil, newError(CodeInvalidQuery, member, "an empty array")
	}
	return arr, nil
}

// stringList reads v as a non-empty array of strings.
func stringList(v any, member string) ([]string, error) {
	arr, ok := v.([]any)
	switch {
	case !ok:
		return nil, newError(CodeInvalidQuery, member, "not an array")
	case len(arr) == 0:
		return nil, newError(CodeInvalidQuery, member, "an empty array")
	}
	out := make([]string, len(arr))
	for i, e := range arr {
		s, ok := e.(string)
		if !ok {
			return nil, newError(CodeInvalidQuery, fmt.Sprintf("%s[%d]", member, i), "not a string")
		}
		out[i] = s
	}
	return out, nil
}

func stringArray(m map[string]any, name, member string, required bool) ([]string, error) {
	if _, has := m[name]; !has {
		if required {
			return nil, newError(CodeInvalidQuery, member, "missing")
		}
		return nil, nil
	}
	return stringList(m[name], member)
}

func str(m map[string]any, name, member string, required bool) (string, error) {
	v, has := m[name]
	if !has {
		if required {
			return "", newError(CodeInvalidQuery, member, "missing")
		}
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", newError(CodeInvalidQuery, member, "not a string")
	}
	return s, nil
}

func id(m map[string]any, name, member string, required bool) (string, error) {
	s, err := str(m, name, member, required)
	if err != nil {
		return "", err
	}
	if _, has := m[name]; has && !idSyntax.MatchString(s) {
		return "", newError(CodeInvalidQuery, member, "not a non-empty string of letters, digits, _ and -")
	}
	return s, nil
}

func boolean(m map[string]any, name, member string, required bool) (bool, error) {
	v, has := m[name]
	if !has {
		if required {
			return false, newError(CodeInvalidQuery, member, "missing")
		}
		return false, nil
	}
	b, ok := v.(bool)
	if !ok {
		return false, newError(CodeInvalidQuery, member, "not a boolean")
	}
	return b, nil
}
