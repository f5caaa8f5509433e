package verifier

import (
	"context"
	"fmt"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/ldproof"
)

// didKeys is the key lookup ldproof declares, on top of DID resolution: the
// verification method must be listed under the relationship the proof's
// purpose needs in its DID's document, and that DID is reported as the
// controller (what issuer and holder are compared with). A pinned document
// marked AnyRelationship (identity.rs's older documents) authorises its
// methods for every relationship, and keys from pinned documents say so.
type didKeys struct{ dids did.Resolver }

func (k didKeys) ResolveKey(ctx context.Context, vmID string, purpose ldproof.Purpose) (*ldproof.Key, error) {
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
		return nil, fmt.Errorf("resolve %s: %w", d, err)
	}
	relationship := string(purpose)
	if md.AnyRelationship {
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
	return &ldproof.Key{ID: vm.ID, Type: vm.Type, Controller: doc.ID, PublicKey: pub, Pinned: md.Pinned}, nil
}
