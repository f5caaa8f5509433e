package pex

import "fmt"

// Submission Requirement Feature. The rules ("all", "pick" with
// count/min/max, nested) are validated when the definition is loaded, but not
// yet evaluated: a definition with submission_requirements is evaluated as one
// without, where "All inputs listed in the input_descriptors array are
// required for submission". That is stricter than the rules (a "pick 1 from
// A" accepts only a submission that satisfies every descriptor of A), never
// more lenient.

// checkRequirements validates submission requirements; groups holds every
// group named by an input descriptor.
func checkRequirements(reqs []submissionRequirementJSON, groups map[string]bool, at string) error {
	for i := range reqs {
		r := &reqs[i]
		label := fmt.Sprintf("%s[%d]", at, i)
		switch r.Rule {
		case "all", "pick":
		default:
			return fmt.Errorf("%s.rule must be \"all\" or \"pick\", not %s", label, quote(r.Rule))
		}
		for _, n := range []struct {
			name string
			v    *int
			min  int
		}{{"count", r.Count, 1}, {"min", r.Min, 0}, {"max", r.Max, 0}} {
			if n.v != nil && *n.v < n.min {
				return fmt.Errorf("%s.%s must be at least %d", label, n.name, n.min)
			}
		}
		if r.Min != nil && r.Max != nil && *r.Min > *r.Max {
			return fmt.Errorf("%s: min is greater than max", label)
		}
		switch {
		case r.From != "" && len(r.FromNested) > 0:
			return fmt.Errorf("%s: from and from_nested are mutually exclusive", label)
		case r.From != "":
			if !groups[r.From] {
				return fmt.Errorf("%s.from %s names no group of any input descriptor", label, quote(r.From))
			}
		case len(r.FromNested) > 0:
			if err := checkRequirements(r.FromNested, groups, label+".from_nested"); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%s: from or from_nested is required", label)
		}
	}
	return nil
}

// requireDescriptors reports the first input descriptor that no
// descriptor_map entry names. Entries have already been checked to name known
// descriptors.
func (d *Definition) requireDescriptors(sub *Submission) *Error {
	// Small definitions (the usual case) mark on the stack.
	var buf [16]bool
	seen := buf[:0]
	if len(d.descriptors) <= len(buf) {
		seen = buf[:len(d.descriptors)]
	} else {
		seen = make([]bool, len(d.descriptors))
	}
	for i := range sub.DescriptorMap {
		seen[d.index[sub.DescriptorMap[i].ID]] = true
	}
	for i, ok := range seen {
		if !ok {
			id := d.descriptors[i].id
			return newError(CodeDescriptorMissing, id, "",
				"input descriptor %s has no descriptor_map entry; every input descriptor must be satisfied", quote(id))
		}
	}
	return nil
}
