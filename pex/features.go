package pex

import (
	"fmt"
)

// compileFeatures compiles the Feature properties of input descriptor i's
// constraints (limit_disclosure, subject_is_issuer, is_holder, same_subject,
// statuses); fieldIDs maps every field id of the definition to its field.
// Each is evaluated in its own file: disclosure.go, holder.go, status.go.
func (d *Definition) compileFeatures(i int, in *inputDescriptorJSON, fieldIDs map[string]fieldRef) error {
	c := in.Constraints
	if c == nil {
		return nil
	}
	desc := &d.descriptors[i]
	switch c.LimitDisclosure {
	case "":
	case "required", "preferred":
		desc.limitDisclosure = c.LimitDisclosure
		desc.disclosure = newClaimTree(desc.fields)
	default:
		return fmt.Errorf("constraints.limit_disclosure must be \"required\" or \"preferred\", not %s", quote(c.LimitDisclosure))
	}
	switch c.SubjectIsIssuer {
	case "", "required", "preferred":
		desc.subjectIsIssuer = c.SubjectIsIssuer
	default:
		return fmt.Errorf("constraints.subject_is_issuer must be \"required\" or \"preferred\", not %s", quote(c.SubjectIsIssuer))
	}
	for k, h := range c.IsHolder {
		label := fmt.Sprintf("constraints.is_holder[%d]", k)
		refs, required, err := compileHolderDirective(label, h, fieldIDs, i)
		if err != nil {
			return err
		}
		fields := make([]int, len(refs))
		for j, r := range refs {
			fields[j] = r.field
		}
		desc.isHolder = append(desc.isHolder, holderDirective{label: label, fields: fields, required: required})
	}
	for k, h := range c.SameSubject {
		label := fmt.Sprintf("input descriptor %s, constraints.same_subject[%d]", quote(desc.id), k)
		refs, required, err := compileHolderDirective(fmt.Sprintf("constraints.same_subject[%d]", k), h, fieldIDs, -1)
		if err != nil {
			return err
		}
		d.sameSubject = append(d.sameSubject, sameSubject{label: label, fields: refs, required: required})
	}
	rule, err := compileStatuses(c.Statuses)
	if err != nil {
		return err
	}
	desc.statuses = rule
	return nil
}

// compileHolderDirective resolves the field ids of an is_holder or
// same_subject directive. owner >= 0 is the descriptor whose fields the ids
// must name (is_holder: "The fields ... of this Input Descriptor"); -1 lets
// them name fields of any descriptor (same_subject).
func compileHolderDirective(label string, h holderDirectiveJSON, fieldIDs map[string]fieldRef, owner int) ([]fieldRef, bool, error) {
	if len(h.FieldID) == 0 {
		return nil, false, fmt.Errorf("%s.field_id must name at least one field id", label)
	}
	refs := make([]fieldRef, 0, len(h.FieldID))
	for _, id := range h.FieldID {
		r, ok := fieldIDs[id]
		switch {
		case !ok && owner >= 0:
			return nil, false, fmt.Errorf("%s.field_id %s names no field of this input descriptor", label, quote(id))
		case !ok:
			return nil, false, fmt.Errorf("%s.field_id %s names no field of any input descriptor", label, quote(id))
		case owner >= 0 && r.desc != owner:
			return nil, false, fmt.Errorf("%s.field_id %s names a field of another input descriptor", label, quote(id))
		}
		refs = append(refs, r)
	}
	switch h.Directive {
	case "required":
		return refs, true, nil
	case "preferred":
		return refs, false, nil
	}
	return nil, false, fmt.Errorf("%s.directive must be \"required\" or \"preferred\", not %s", label, quote(h.Directive))
}
