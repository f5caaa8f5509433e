package did

import "fmt"

// Relationship returns the entries of the named verification relationship
// and whether the name is one of DID Core's five.
func (d *Document) Relationship(name string) ([]VerificationRelationship, bool) {
	switch name {
	case Authentication:
		return d.Authentication, true
	case AssertionMethod:
		return d.AssertionMethod, true
	case KeyAgreement:
		return d.KeyAgreement, true
	case CapabilityInvocation:
		return d.CapabilityInvocation, true
	case CapabilityDelegation:
		return d.CapabilityDelegation, true
	}
	return nil, false
}

// Dereference finds the verification method vmURL (absolute, or relative
// "#frag") that the document lists under relationship ("authentication",
// "assertionMethod", …): either embedded there, or referenced there and
// defined in verificationMethod. It returns ErrNotAuthorized if the method
// exists in the document but is not listed under that relationship, and
// ErrMethodNotFound if the document has no such method.
//
// An empty relationship finds the method wherever the document defines it
// without any authorisation check. That is for legacy documents (identity.rs
// fixtures before 2023 list keys only under verificationMethod); using it is
// a policy decision of the caller.
//
// The result is a copy; changing it does not change the document.
func (d *Document) Dereference(vmURL, relationship string) (*VerificationMethod, error) {
	abs := d.absolute(vmURL)
	if relationship == "" {
		if vm := d.method(abs); vm != nil {
			return copyMethod(vm), nil
		}
		return nil, fmt.Errorf("%w: %q in the document of %s", ErrMethodNotFound, clip(abs), d.ID)
	}
	rels, ok := d.Relationship(relationship)
	if !ok {
		return nil, fmt.Errorf("%w: %q is not a verification relationship", ErrNotAuthorized, clip(relationship))
	}
	for _, r := range rels {
		if r.Method != nil && r.Method.ID == abs {
			return copyMethod(r.Method), nil
		}
		if r.Ref == abs {
			for i := range d.VerificationMethod {
				if d.VerificationMethod[i].ID == abs {
					return copyMethod(&d.VerificationMethod[i]), nil
				}
			}
			return nil, fmt.Errorf("%w: %q is listed under %s of %s but not defined in that document",
				ErrMethodNotFound, clip(abs), relationship, d.ID)
		}
	}
	if d.method(abs) != nil {
		return nil, fmt.Errorf("%w: the document of %s does not list %q under %s",
			ErrNotAuthorized, d.ID, clip(abs), relationship)
	}
	return nil, fmt.Errorf("%w: %q in the document of %s", ErrMethodNotFound, clip(abs), d.ID)
}

// method finds a method defined anywhere in the document: in
// verificationMethod or embedded in a relationship.
func (d *Document) method(abs string) *VerificationMethod {
	for i := range d.VerificationMethod {
		if d.VerificationMethod[i].ID == abs {
			return &d.VerificationMethod[i]
		}
	}
	for _, rels := range [][]VerificationRelationship{d.Authentication, d.AssertionMethod,
		d.KeyAgreement, d.CapabilityInvocation, d.CapabilityDelegation} {
		for _, r := range rels {
			if r.Method != nil && r.Method.ID == abs {
				return r.Method
			}
		}
	}
	return nil
}

func copyMethod(vm *VerificationMethod) *VerificationMethod {
	c := *vm
	return &c
}
