package pex

import (
	"fmt"
	"strings"
)

// Submission Requirement Feature. Without submission_requirements "All
// inputs listed in the input_descriptors array are required for
// submission". With them, every top-level requirement must be met, and an
// input descriptor is needed only as far as a requirement asks for it:
//
//   - "all" from a group: every input descriptor of the group is answered;
//     from_nested: every nested requirement is met.
//   - "pick" from a group: the number of answered input descriptors of the
//     group, or from_nested the number of nested requirements met, is
//     exactly count, at least min and at most max (those that are given).
//
// Nested to any depth. An input descriptor is "answered" when a
// descriptor_map entry names it; every entry must satisfy its descriptor
// whatever the rules say (a wallet that claims a credential satisfies a
// descriptor must be right).

// requirement is a compiled submission requirement.
type requirement struct {
	label           string // submission_requirements[1] ("name"), for messages
	rule            string // "all" or "pick"
	count, min, max int    // -1: absent
	from            string
	members         []int // indexes of the descriptors of group from
	nested          []requirement
}

func (d *Definition) compileRequirements(reqs []submissionRequirementJSON, groups map[string][]int, at string) ([]requirement, error) {
	if len(reqs) == 0 {
		return nil, nil
	}
	out := make([]requirement, len(reqs))
	for i := range reqs {
		in, r := &reqs[i], &out[i]
		r.label = fmt.Sprintf("%s[%d]", at, i)
		if in.Name != "" {
			r.label += " (" + quote(in.Name) + ")"
		}
		r.rule, r.count, r.min, r.max = in.Rule, intOr(in.Count), intOr(in.Min), intOr(in.Max)
		switch in.Rule {
		case "all":
			if r.count >= 0 || r.min >= 0 || r.max >= 0 {
				d.warn(r.label + ": count, min and max are ignored with rule \"all\"")
			}
		case "pick":
			if r.count < 0 && r.min < 0 && r.max < 0 {
				d.warn(r.label + ": rule \"pick\" without count, min or max is met by any number of inputs, none included")
			}
		default:
			return nil, fmt.Errorf("%s.rule must be \"all\" or \"pick\", not %s", r.label, quote(in.Rule))
		}
		for _, n := range []struct {
			name   string
			v, min int
		}{{"count", r.count, 1}, {"min", r.min, 0}, {"max", r.max, 0}} {
			if n.v >= 0 && n.v < n.min || n.v < -1 {
				return nil, fmt.Errorf("%s.%s must be at least %d", r.label, n.name, n.min)
			}
		}
		if r.min >= 0 && r.max >= 0 && r.min > r.max {
			return nil, fmt.Errorf("%s: min (%d) is greater than max (%d)", r.label, r.min, r.max)
		}
		var size int
		switch {
		case in.From != "" && len(in.FromNested) > 0:
			return nil, fmt.Errorf("%s: from and from_nested are mutually exclusive", r.label)
		case in.From != "":
			members, ok := groups[in.From]
			if !ok {
				return nil, fmt.Errorf("%s.from %s names no group of any input descriptor", r.label, quote(in.From))
			}
			r.from, r.members, size = in.From, members, len(members)
		case len(in.FromNested) > 0:
			nested, err := d.compileRequirements(in.FromNested, groups, r.label+".from_nested")
			if err != nil {
				return nil, err
			}
			r.nested, size = nested, len(nested)
		default:
			return nil, fmt.Errorf("%s: from or from_nested is required", r.label)
		}
		if r.rule == "pick" {
			if r.count > size {
				return nil, fmt.Errorf("%s: count %d can never be met: there are only %d to pick from", r.label, r.count, size)
			}
			if r.min > size {
				return nil, fmt.Errorf("%s: min %d can never be met: there are only %d to pick from", r.label, r.min, size)
			}
		}
	}
	return out, nil
}

func intOr(p *int) int {
	if p == nil {
		return -1
	}
	return *p
}

// met reports whether the requirement is met when answered[i] tells whether
// input descriptor i is answered.
func (r *requirement) met(answered []bool) bool {
	n, of := r.tally(answered)
	return r.accepts(n, of)
}

// tally counts what the requirement picks from: answered members of its
// group, or nested requirements met; of is how many there are.
func (r *requirement) tally(answered []bool) (n, of int) {
	if r.nested == nil {
		for _, m := range r.members {
			if answered[m] {
				n++
			}
		}
		return n, len(r.members)
	}
	for i := range r.nested {
		if r.nested[i].met(answered) {
			n++
		}
	}
	return n, len(r.nested)
}

func (r *requirement) accepts(n, of int) bool {
	if r.rule == "all" {
		return n == of
	}
	return (r.count < 0 || n == r.count) && (r.min < 0 || n >= r.min) && (r.max < 0 || n <= r.max)
}

// why explains, for the operator, why the requirement is not met.
func (r *requirement) why(d *Definition, answered []bool) string {
	n, of := r.tally(answered)
	var b strings.Builder
	fmt.Fprintf(&b, "%s: rule %q", r.label, r.rule)
	if r.rule == "pick" {
		b.WriteString(r.bounds())
	}
	if r.nested == nil {
		var names []string
		for _, m := range r.members {
			if answered[m] == (r.rule == "pick") {
				names = append(names, quote(d.descriptors[m].id))
			}
		}
		fmt.Fprintf(&b, " from group %s: %d of its %d input descriptors answered", quote(r.from), n, of)
		switch {
		case r.rule == "all":
			fmt.Fprintf(&b, "; not answered: %s", strings.Join(names, ", "))
		case len(names) > 0:
			fmt.Fprintf(&b, " (%s)", strings.Join(names, ", "))
		}
		return b.String()
	}
	fmt.Fprintf(&b, " from_nested: %d of its %d requirements met", n, of)
	if r.rule == "all" || n < r.lower() {
		for i := range r.nested {
			if !r.nested[i].met(answered) {
				b.WriteString("; ")
				b.WriteString(r.nested[i].why(d, answered))
				break
			}
		}
	}
	return b.String()
}

func (r *requirement) bounds() string {
	var parts []string
	if r.count >= 0 {
		parts = append(parts, fmt.Sprintf("count %d", r.count))
	}
	if r.min >= 0 {
		parts = append(parts, fmt.Sprintf("min %d", r.min))
	}
	if r.max >= 0 {
		parts = append(parts, fmt.Sprintf("max %d", r.max))
	}
	if len(parts) == 0 {
		return ""
	}
	return " with " + strings.Join(parts, ", ")
}

// lower is the least number the rule needs.
func (r *requirement) lower() int {
	return max(r.count, r.min, 0)
}

// checkRequirements checks the submission's coverage of the definition:
// answered[i] tells whether input descriptor i has an entry.
func (d *Definition) checkRequirements(answered []bool) *Error {
	if d.requirements == nil {
		for i, ok := range answered {
			if !ok {
				id := d.descriptors[i].id
				return newError(CodeDescriptorMissing, id, "",
					"input descriptor %s has no descriptor_map entry; without submission_requirements every input descriptor must be satisfied", quote(id))
			}
		}
		return nil
	}
	for i := range d.requirements {
		if r := &d.requirements[i]; !r.met(answered) {
			return newError(CodeRequirementNotMet, "", "", "%s", r.why(d, answered))
		}
	}
	return nil
}

// requirementsMet is checkRequirements as a yes/no, for Select's search.
func (d *Definition) requirementsMet(answered []bool) bool {
	if d.requirements == nil {
		for _, ok := range answered {
			if !ok {
				return false
			}
		}
		return true
	}
	for i := range d.requirements {
		if !d.requirements[i].met(answered) {
			return false
		}
	}
	return true
}
