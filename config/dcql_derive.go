package config

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// deriveDCQL makes the DCQL query of a simple presentation definition
// (dcql: derive), or says which member keeps it from being simple:
//
//   - no submission_requirements: every input descriptor is required;
//   - each input descriptor's formats (its own, or the definition's)
//     become one credential query each: ldp_vc (ldp_vc, ldp, di_vc),
//     jwt_vc_json (jwt_vc_json, jwt_vc, jwt), dc+sd-jwt (dc+sd-jwt,
//     vc+sd-jwt); presentation formats are left out, others refused;
//     a descriptor with several becomes a credential set whose options
//     are its formats;
//   - a field on $.type (or $.vc.type) whose filter names one type (const,
//     contains.const, or a pattern that is a plain word) becomes
//     meta.type_values [[type]], and for dc+sd-jwt meta.vct_values [type]
//     unless a field on $.vct names the vct;
//   - every other required field becomes a claims query on its first path
//     ($.credentialSubject.name, $.vc.credentialSubject.name, or for
//     dc+sd-jwt $.name), with values from a const or an enum filter;
//     a filter that says more (pattern, minimum, format) cannot be said
//     in DCQL and is refused; optional fields are not asked for.
//
// The result is what the same wallet would be asked in 1.0: the same
// types and claims, matched by DCQL's rules.
func deriveDCQL(def map[string]any) (map[string]any, error) {
	if _, ok := def["submission_requirements"]; ok {
		return nil, fmt.Errorf("dcql: derive: submission_requirements cannot be derived; write the DCQL query in dcql_queries")
	}
	top, err := dcqlFormats(def["format"], "format")
	if err != nil {
		return nil, err
	}
	descs, _ := def["input_descriptors"].([]any)
	var creds, sets []any
	multi := false
	for i, raw := range descs {
		at := fmt.Sprintf("input_descriptors[%d]", i)
		d, _ := raw.(map[string]any)
		id, _ := d["id"].(string)
		formats, err := dcqlFormats(d["format"], at+".format")
		if err != nil {
			return nil, err
		}
		if len(formats) == 0 {
			formats = top
		}
		if len(formats) == 0 {
			return nil, fmt.Errorf("%s.format: dcql: derive needs the credential formats named", at)
		}
		c, err := readConstraints(d, at)
		if err != nil {
			return nil, err
		}
		var option []any
		for _, f := range formats {
			cq, err := c.query(credentialQueryID(id, f), f, at)
			if err != nil {
				return nil, err
			}
			creds = append(creds, cq)
			option = append(option, []any{cq["id"]})
		}
		multi = multi || len(formats) > 1
		sets = append(sets, map[string]any{"options": option})
	}
	out := map[string]any{"credentials": creds}
	if multi {
		out["credential_sets"] = sets
	}
	return out, nil
}

// derived are what one input descriptor's fields say.
type derived struct {
	types, vcts []string
	claims      []claimDerived
}

type claimDerived struct {
	path   []any // from the root of the credential (credentialSubject…)
	values []any
}

var formatOf = map[string]string{
	"ldp_vc": "ldp_vc", "ldp": "ldp_vc", "di_vc": "ldp_vc",
	"jwt_vc_json": "jwt_vc_json", "jwt_vc": "jwt_vc_json", "jwt": "jwt_vc_json",
	"dc+sd-jwt": "dc+sd-jwt", "vc+sd-jwt": "dc+sd-jwt",
}

var presentationFormats = []string{"ldp_vp", "di_vp", "jwt_vp_json", "jwt_vp"}

func dcqlFormats(v any, at string) ([]string, error) {
	m, _ := v.(map[string]any)
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	var out []string
	for _, k := range names {
		if slices.Contains(presentationFormats, k) {
			continue
		}
		f, ok := formatOf[k]
		if !ok {
			return nil, fmt.Errorf("%s.%s: dcql: derive cannot say format %q in DCQL", at, k, k)
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out, nil
}

func readConstraints(d map[string]any, at string) (*derived, error) {
	c, _ := d["constraints"].(map[string]any)
	fields, _ := c["fields"].([]any)
	out := &derived{}
	for j, raw := range fields {
		fat := fmt.Sprintf("%s.constraints.fields[%d]", at, j)
		f, _ := raw.(map[string]any)
		if opt, _ := f["optional"].(bool); opt {
			continue
		}
		paths, _ := f["path"].([]any)
		if len(paths) == 0 {
			return nil, fmt.Errorf("%s.path: dcql: derive needs a path", fat)
		}
		first, _ := paths[0].(string)
		p, err := jsonPathSegments(first)
		if err != nil {
			return nil, fmt.Errorf("%s.path: dcql: derive: %v", fat, err)
		}
		if len(p) > 0 && p[0] == "vc" { // a VC-JWT's layout names the same claim
			p = p[1:]
		}
		filter, _ := f["filter"].(map[string]any)
		switch {
		case len(p) == 1 && p[0] == "type":
			t, err := typeFromFilter(filter)
			if err != nil {
				return nil, fmt.Errorf("%s.filter: dcql: derive: %v", fat, err)
			}
			out.types = append(out.types, t)
		case len(p) == 1 && p[0] == "vct":
			vals, err := valuesFromFilter(filter)
			if err != nil || len(vals) == 0 {
				return nil, fmt.Errorf("%s.filter: dcql: derive: a vct field needs a const or an enum of strings", fat)
			}
			for _, v := range vals {
				s, ok := v.(string)
				if !ok {
					return nil, fmt.Errorf("%s.filter: dcql: derive: vct values are strings", fat)
				}
				out.vcts = append(out.vcts, s)
			}
		default:
			vals, err := valuesFromFilter(filter)
			if err != nil {
				return nil, fmt.Errorf("%s.filter: dcql: derive: %v", fat, err)
			}
			out.claims = append(out.claims, claimDerived{path: p, values: vals})
		}
	}
	return out, nil
}

// query is the credential query of format f.
func (c *derived) query(id, f, at string) (map[string]any, error) {
	cq := map[string]any{"id": id, "format": f}
	if f == "dc+sd-jwt" {
		vcts := c.vcts
		if len(vcts) == 0 {
			vcts = c.types
		}
		if len(vcts) == 0 {
			return nil, fmt.Errorf("%s.constraints: dcql: derive needs a $.vct or $.type field to say the vct of %s", at, f)
		}
		cq["meta"] = map[string]any{"vct_values": toAny(vcts)}
	} else {
		if len(c.types) == 0 {
			return nil, fmt.Errorf("%s.constraints: dcql: derive needs a $.type field to say the type_values of %s", at, f)
		}
		cq["meta"] = map[string]any{"type_values": []any{toAny(c.types)}}
	}
	var claims []any
	for _, cl := range c.claims {
		p := cl.path
		if f == "dc+sd-jwt" && len(p) > 1 && p[0] == "credentialSubject" {
			p = p[1:] // an SD-JWT VC's claims are at its top level
		}
		q := map[string]any{"path": p}
		if len(cl.values) > 0 {
			q["values"] = cl.values
		}
		claims = append(claims, q)
	}
	if len(claims) > 0 {
		cq["claims"] = claims
	}
	return cq, nil
}

var (
	plainWord  = regexp.MustCompile(`^\^?([A-Za-z0-9_:/.#-]+)\$?$`)
	queryIDBad = regexp.MustCompile(`[^A-Za-z0-9_-]`)
	shortOf    = map[string]string{"ldp_vc": "ldp", "jwt_vc_json": "jwt", "dc+sd-jwt": "sdjwt"}
)

func credentialQueryID(descriptor, format string) string {
	id := queryIDBad.ReplaceAllString(descriptor, "_")
	if id == "" {
		id = "credential"
	}
	return id + "-" + shortOf[format]
}

// typeFromFilter reads the one type a $.type filter names.
func typeFromFilter(f map[string]any) (string, error) {
	if f == nil {
		return "", fmt.Errorf("a $.type field needs a filter naming the type")
	}
	if c, ok := f["contains"].(map[string]any); ok {
		f = c
	}
	if s, ok := f["const"].(string); ok {
		return s, nil
	}
	if p, ok := f["pattern"].(string); ok {
		if m := plainWord.FindStringSubmatch(p); m != nil && !strings.ContainsAny(m[1], ".") {
			return m[1], nil
		}
	}
	return "", fmt.Errorf("the $.type filter names no single type (const, contains.const, or a pattern that is one word)")
}

// valuesFromFilter reads a claim filter that DCQL can say: none (the
// claim must be there), a type alone, const or enum (values).
func valuesFromFilter(f map[string]any) ([]any, error) {
	var out []any
	for k, v := range f {
		switch k {
		case "type":
		case "const":
			out = append(out, v)
		case "enum":
			list, ok := v.([]any)
			if !ok {
				return nil, fmt.Errorf("enum is not a list")
			}
			out = append(out, list...)
		default:
			return nil, fmt.Errorf("filter keyword %q cannot be said in DCQL", k)
		}
	}
	for _, v := range out {
		switch v.(type) {
		case string, bool, int, float64:
		default:
			return nil, fmt.Errorf("DCQL values are strings, numbers or booleans")
		}
	}
	return out, nil
}

// jsonPathSegments reads a plain JSONPath ($.a.b, $['a'].b, $.a[0]).
func jsonPathSegments(p string) ([]any, error) {
	rest, ok := strings.CutPrefix(p, "$")
	if !ok {
		return nil, fmt.Errorf("%q is not a JSONPath", p)
	}
	var out []any
	for rest != "" {
		switch {
		case rest[0] == '.':
			rest = rest[1:]
			end := strings.IndexAny(rest, ".[")
			if end < 0 {
				end = len(rest)
			}
			name := rest[:end]
			if name == "" || name == "*" {
				return nil, fmt.Errorf("%q is not a plain path", p)
			}
			out = append(out, name)
			rest = rest[end:]
		case strings.HasPrefix(rest, "['") || strings.HasPrefix(rest, `["`):
			q := rest[1]
			end := strings.IndexByte(rest[2:], q)
			if end < 0 || len(rest) < end+4 || rest[2+end+1] != ']' {
				return nil, fmt.Errorf("%q is not a plain path", p)
			}
			out = append(out, rest[2:2+end])
			rest = rest[2+end+2:]
		case rest[0] == '[':
			end := strings.IndexByte(rest, ']')
			n, err := strconv.Atoi(rest[1:max(end, 1)])
			if end < 0 || err != nil || n < 0 {
				return nil, fmt.Errorf("%q is not a plain path", p)
			}
			out = append(out, n)
			rest = rest[end+1:]
		default:
			return nil, fmt.Errorf("%q is not a plain path", p)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%q names the whole credential", p)
	}
	return out, nil
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
