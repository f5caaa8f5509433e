package dcql

import (
	"bytes"
	"encoding/json"
	"fmt"
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
	case FormatSDJWTVC, FormatSDJWTVCLegacy:
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
