package pex

import (
	"errors"
	"fmt"
)

// Features of PE that this package parses but does not evaluate yet. A
// definition that asks for one where the verifier would have to enforce it is
// rejected when it is loaded (fail closed): accepting it and then not checking
// would let a submission through that the operator meant to refuse. Where the
// spec leaves the feature advisory ("preferred", "allowed") it is accepted
// and ignored. Implementing a feature means evaluating it in its own file and
// dropping its refusal here.
//
//   - limit_disclosure: a duty of the holder ("the Conformant Consumer MUST
//     limit submitted fields"); nothing for the verifier to check. Accepted.
//   - subject_is_issuer "required": refused. "preferred": accepted.
//   - is_holder / same_subject with directive "required": refused.
//     "preferred": accepted.
//   - statuses with directive "required" or "disallowed": refused (needs
//     credential status resolution). "allowed": accepted.
//   - schema (PE v1.0.0 input descriptors): refused; express the credential
//     type as a field on $.type instead.
//   - predicate: the filter is applied to the disclosed value, as for any
//     field (a linked-data credential cannot carry a derived predicate).
//   - frame: ignored.
//   - submission_requirements: see requirements.go.

// checkFeatures validates the Feature properties of one input descriptor and
// refuses those it cannot enforce. fieldIDs maps every field id of the
// definition to its descriptor id.
func checkFeatures(in *inputDescriptorJSON, fieldIDs map[string]string) error {
	if len(in.Schema) > 0 && string(in.Schema) != "null" {
		return errors.New(`schema (PE v1.0.0) is not supported; require the credential type with a field on "$.type" instead`)
	}
	c := in.Constraints
	if c == nil {
		return nil
	}
	switch c.LimitDisclosure {
	case "", "required", "preferred":
	default:
		return fmt.Errorf("constraints.limit_disclosure must be \"required\" or \"preferred\", not %s", quote(c.LimitDisclosure))
	}
	switch c.SubjectIsIssuer {
	case "", "preferred":
	case "required":
		return errors.New(`constraints.subject_is_issuer "required" is not supported yet`)
	default:
		return fmt.Errorf("constraints.subject_is_issuer must be \"required\" or \"preferred\", not %s", quote(c.SubjectIsIssuer))
	}
	if err := checkHolderDirectives("is_holder", c.IsHolder, fieldIDs, *in.ID); err != nil {
		return err
	}
	if err := checkHolderDirectives("same_subject", c.SameSubject, fieldIDs, ""); err != nil {
		return err
	}
	if s := c.Statuses; s != nil {
		for _, st := range []struct {
			name string
			d    *statusDirectiveJSON
		}{{"active", s.Active}, {"suspended", s.Suspended}, {"revoked", s.Revoked}} {
			if st.d == nil {
				continue
			}
			switch st.d.Directive {
			case "allowed":
			case "required", "disallowed":
				return fmt.Errorf("constraints.statuses.%s directive %q is not supported yet (credential status is not resolved)", st.name, st.d.Directive)
			default:
				return fmt.Errorf("constraints.statuses.%s.directive must be \"required\", \"allowed\" or \"disallowed\", not %s", st.name, quote(st.d.Directive))
			}
		}
	}
	return nil
}

// checkHolderDirectives validates is_holder or same_subject. owner, when set,
// is the descriptor whose fields the ids must name (is_holder); same_subject
// may name fields of any descriptor.
func checkHolderDirectives(name string, ds []holderDirectiveJSON, fieldIDs map[string]string, owner string) error {
	for i, d := range ds {
		if len(d.FieldID) == 0 {
			return fmt.Errorf("constraints.%s[%d].field_id must name at least one field id", name, i)
		}
		for _, id := range d.FieldID {
			in, ok := fieldIDs[id]
			if !ok || (owner != "" && in != owner) {
				return fmt.Errorf("constraints.%s[%d].field_id %s names no field of this input descriptor", name, i, quote(id))
			}
		}
		switch d.Directive {
		case "preferred":
		case "required":
			return fmt.Errorf("constraints.%s[%d] directive \"required\" is not supported yet", name, i)
		default:
			return fmt.Errorf("constraints.%s[%d].directive must be \"required\" or \"preferred\", not %s", name, i, quote(d.Directive))
		}
	}
	return nil
}
