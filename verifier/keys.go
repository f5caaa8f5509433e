package verifier

import (
	"context"
	"crypto"
	"fmt"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/jwtvc"
	"github.com/loginwithiota/verifier/ldproof"
)

// didKeys is the key lookup ldproof and jwtvc declare, on top of DID
// resolution: the verification method must be listed under the
// relationship the proof's purpose needs in its DID's document, and that
// DID is reported as the controller (what issuer and holder are compared
// with).
//
// Two exceptions, both because IOTA's own documents list keys under
// verificationMethod only:
//   - a pinned document marked AnyRelationship (identity.rs's older
//     documents) authorises its methods for every relationship, the
//     operator vouching for it;
//   - in a did:iota document (resolved or pinned), a method that no
//     verification relationship names serves every purpose. identity.rs creates methods
//     that way by default (MethodScope::VerificationMethod) and its own JWT
//     validators resolve the kid with no scope, so every IOTA wallet and
//     issuer relies on it. A method the document does list under some
//     relationship is held to those relationships: an issuer who scoped a
//     key to authentication has said it does not sign credentials.
type didKeys struct{ dids did.Resolver }

// answerKeys is the key lookup of one verification: each DID it names is
// resolved once, however many proofs and status entries point at it.
func (v *Verifier) answerKeys() didKeys { return didKeys{did.NewMemo(v.dids)} }

// resolvedKey is a verification method found for a purpose.
type resolvedKey struct {
	vm         *did.VerificationMethod
	pub        crypto.PublicKey
	controller string
	pinned     bool
}

func (k didKeys) resolve(ctx context.Context, vmID, relationship string) (*resolvedKey, error) {
	d, _ := did.Split(vmID)
	if d == "" {
		return nil, fmt.Errorf("verification method %q is not a DID URL: %w", vmID, did.ErrInvalidDID)
	}
	var (
		doc *did.Document
		md  did.Metadata
		err error
	)
	if mr, ok := k.dids.(did.MetadataResolver); ok {
		doc, md, err = mr.ResolveWithMetadata(ctx, d)
	} else {
		doc, err = k.dids.Resolve(ctx, d)
	}
	if err != nil {
		return nil, err // the did package names the DID
	}
	if md.AnyRelationship || (isIOTA(doc.ID) && !inAnyRelationship(doc, vmID)) {
		relationship = ""
	}
	vm, err := doc.Dereference(vmID, relationship)
	if err != nil {
		return nil, fmt.Errorf("%s in %s: %w", vmID, d, err)
	}
	pub, err := vm.PublicKey()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", vmID, err)
	}
	return &resolvedKey{vm: vm, pub: pub, controller: doc.ID, pinned: md.Pinned}, nil
}

// ResolveKey is ldproof's key lookup.
func (k didKeys) ResolveKey(ctx context.Context, vmID string, purpose ldproof.Purpose) (*ldproof.Key, error) {
	r, err := k.resolve(ctx, vmID, string(purpose))
	if err != nil {
		return nil, err
	}
	return &ldproof.Key{ID: r.vm.ID, Type: r.vm.Type, Controller: r.controller, PublicKey: r.pub, Pinned: r.pinned}, nil
}

// jwtKeys is jwtvc's key lookup over the same resolution.
type jwtKeys struct{ didKeys }

func (k jwtKeys) ResolveKey(ctx context.Context, kid string, purpose jwtvc.Purpose) (*jwtvc.Key, error) {
	r, err := k.resolve(ctx, kid, string(purpose))
	if err != nil {
		return nil, err
	}
	return &jwtvc.Key{ID: r.vm.ID, Type: r.vm.Type, Controller: r.controller, PublicKey: r.pub}, nil
}

func isIOTA(id string) bool {
	m, err := did.Method(id)
	return err == nil && m == "iota"
}

// inAnyRelationship reports whether some verification relationship of doc
// names the method vmID.
func inAnyRelationship(doc *did.Document, vmID string) bool {
	abs := vmID
	if len(abs) > 0 && abs[0] == '#' {
		abs = doc.ID + abs
	}
	for _, rels := range [][]did.VerificationRelationship{doc.Authentication, doc.AssertionMethod,
		doc.KeyAgreement, doc.CapabilityInvocation, doc.CapabilityDelegation} {
		for _, r := range rels {
			if r.ID() == abs {
				return true
			}
		}
	}
	return false
}
