package sdjwt

import "slices"

// processor resolves the digests of an issuer-signed JWT against the
// presented disclosures (RFC 9901 §7.1 step 3 to 5). Every disclosure is
// used at most once, so the processed payload is never larger than what
// was presented.
type processor struct {
	t        *Token
	byDigest map[string]int
	used     []bool
	seen     map[string]bool // every digest met so far
	maxDepth int
}

func (t *Token) process(lim Limits) (map[string]any, error) {
	p := &processor{t: t, byDigest: make(map[string]int, len(t.disc)), used: make([]bool, len(t.disc)),
		seen: map[string]bool{}, maxDepth: lim.maxDepth()}
	for i, d := range t.disc {
		p.byDigest[d.Digest] = i
	}
	out, err := p.object(t.payload, nil, 1)
	if err != nil {
		return nil, err
	}
	// §7.1 3.6: "Remove the claim _sd_alg from the SD-JWT payload."
	delete(out, "_sd_alg")
	// §7.1 step 5: "If any Disclosure was not referenced by digest value
	// in the Issuer-signed JWT (directly or recursively via other
	// Disclosures), the SD-JWT MUST be rejected."
	for i, u := range p.used {
		if !u {
			return nil, newError(CodeDisclosureUnreferenced, "disclosure %d matches no digest", i)
		}
	}
	return out, nil
}

func (p *processor) value(v any, path []any, depth int) (any, error) {
	if depth > p.maxDepth {
		return nil, newError(CodeTooLarge, "claims nest more than %d deep", p.maxDepth)
	}
	switch v := v.(type) {
	case map[string]any:
		return p.object(v, path, depth)
	case []any:
		return p.array(v, path, depth)
	}
	return v, nil
}

// mark records a digest: §7.1 step 4 "If any digest value is encountered
// more than once in the Issuer-signed JWT payload (directly or
// recursively via other Disclosures), the SD-JWT MUST be rejected."
func (p *processor) mark(dg string) (int, bool, error) {
	if p.seen[dg] {
		return 0, false, newError(CodeDigestDuplicate, "a digest appears more than once")
	}
	p.seen[dg] = true
	i, ok := p.byDigest[dg]
	return i, ok, nil
}

func (p *processor) object(obj map[string]any, path []any, depth int) (map[string]any, error) {
	var sd []any
	if raw, ok := obj["_sd"]; ok {
		// §4.2.4.1: "The _sd key MUST refer to an array of strings".
		arr, ok := raw.([]any)
		if !ok {
			return nil, newError(CodeMalformed, "an _sd member is not an array")
		}
		for _, s := range arr {
			if _, ok := s.(string); !ok {
				return nil, newError(CodeMalformed, "an _sd array holds a non-string")
			}
		}
		sd = arr
	}
	// §4.1 rule 7: "The payload MUST NOT contain the claims _sd or ...
	// except for the purpose of conveying digests"; "..." conveys one only
	// as the sole key of an array element, which array() takes first.
	if _, ok := obj["..."]; ok {
		return nil, newError(CodeMalformed, `a "..." member outside an array element digest`)
	}
	out := make(map[string]any, len(obj)+len(sd))
	keys := make([]string, 0, len(obj))
	for k := range obj {
		if k != "_sd" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys) // failures name the same claim every run
	for _, k := range keys {
		v, err := p.value(obj[k], child(path, k), depth+1)
		if err != nil {
			return nil, err
		}
		out[k] = v
	}
	for _, s := range sd {
		i, ok, err := p.mark(s.(string))
		if err != nil {
			return nil, err
		}
		if !ok {
			continue // a decoy, or a claim the holder did not disclose
		}
		d := p.t.disc[i]
		switch {
		// §7.1 3.3.2.1: "If the contents of the respective Disclosure is
		// not a JSON array of three elements (salt, claim name, claim
		// value), the SD-JWT MUST be rejected."
		case d.ArrayElement:
			return nil, newError(CodeDisclosureMalformed, "disclosure %d is an array element but its digest is in an _sd array", i)
		// 3.3.2.2: "If the claim name is _sd or ..., the SD-JWT MUST be
		// rejected."
		case d.Name == "_sd" || d.Name == "...":
			return nil, newError(CodeReservedName, "disclosure %d discloses a reserved claim name", i)
		}
		// 3.3.2.3: "If the claim name already exists at the level of the
		// _sd key, the SD-JWT MUST be rejected."
		if _, exists := out[d.Name]; exists {
			return nil, newError(CodeClaimClash, "disclosure %d discloses a claim that already exists at its level", i)
		}
		p.used[i] = true
		d.Path = child(path, d.Name)
		v, err := p.value(d.Value, d.Path, depth+1)
		if err != nil {
			return nil, err
		}
		out[d.Name] = v
	}
	return out, nil
}

func (p *processor) array(arr []any, path []any, depth int) ([]any, error) {
	out := make([]any, 0, len(arr))
	for _, e := range arr {
		dg, isDigest, err := arrayDigest(e)
		if err != nil {
			return nil, err
		}
		if !isDigest {
			v, err := p.value(e, child(path, len(out)), depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
			continue
		}
		i, ok, err := p.mark(dg)
		if err != nil {
			return nil, err
		}
		if !ok {
			// §7.1 3.4: "Remove all array elements for which the digest was
			// not found in the previous step."
			continue
		}
		d := p.t.disc[i]
		// §7.1 3.3.3.1: "If the contents of the respective Disclosure is
		// not a JSON array of two elements (salt, value), the SD-JWT MUST
		// be rejected."
		if !d.ArrayElement {
			return nil, newError(CodeDisclosureMalformed, "disclosure %d is a claim but its digest is an array element", i)
		}
		p.used[i] = true
		d.Path = child(path, len(out))
		v, err := p.value(d.Value, d.Path, depth+1)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// arrayDigest reads an array element {"...": "<digest>"} (§4.2.4.2:
// "There MUST NOT be any other keys in the object").
func arrayDigest(e any) (string, bool, error) {
	m, ok := e.(map[string]any)
	if !ok {
		return "", false, nil
	}
	v, ok := m["..."]
	if !ok {
		return "", false, nil
	}
	s, isString := v.(string)
	if len(m) != 1 || !isString {
		return "", false, newError(CodeMalformed, `an array element with "..." is not {"...": digest}`)
	}
	return s, true, nil
}

// child is path extended by one component, in a new slice.
func child(path []any, c any) []any {
	out := make([]any, len(path)+1)
	copy(out, path)
	out[len(path)] = c
	return out
}
