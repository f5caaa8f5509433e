package vci

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/jwtvc"
	"github.com/loginwithiota/verifier/ldproof"
	"github.com/loginwithiota/verifier/wallet"
)

// check reads a received credential: the promised format ("ldp_vc ... MUST
// be a JSON object", "jwt_vc_json ... MUST be a JWT"), bound to holder, and
// signed by its issuer when the issuer's DID resolves offline.
func check(ctx context.Context, format string, raw json.RawMessage, holder string, now time.Time) (any, bool, error) {
	switch format {
	case "ldp_vc":
		var doc map[string]any
		if err := json.Unmarshal(raw, &doc); err != nil {
			return nil, false, errors.New("an ldp_vc credential must be a JSON object")
		}
		cs, _ := doc["credentialSubject"].(map[string]any)
		if id, _ := cs["id"].(string); id != holder {
			return nil, false, fmt.Errorf("the credential is about %q, not this wallet's DID", wallet.Clip(id))
		}
		issuer := issuerID(doc["issuer"])
		if !resolvable(issuer) {
			return doc, false, nil
		}
		results, err := ldproof.Verify(ctx, doc, ldKeys{}, ldproof.Options{Purpose: ldproof.PurposeAssertionMethod, Now: now})
		if err != nil {
			return nil, false, fmt.Errorf("the credential's proof does not verify: %w", err)
		}
		for _, r := range results {
			if r.Controller != issuer {
				return nil, false, errors.New("the credential is signed by another DID than its issuer")
			}
		}
		return doc, true, nil
	case "jwt_vc_json":
		var token string
		if err := json.Unmarshal(raw, &token); err != nil {
			return nil, false, errors.New("a jwt_vc_json credential must be a JWT string")
		}
		_, claims, err := jwtvc.Peek(token)
		if err != nil {
			return nil, false, fmt.Errorf("the credential is not a VC-JWT: %w", err)
		}
		sub, _ := claims["sub"].(string)
		if vc, ok := claims["vc"].(map[string]any); ok && sub == "" {
			cs, _ := vc["credentialSubject"].(map[string]any)
			sub, _ = cs["id"].(string)
		}
		if sub != holder {
			return nil, false, fmt.Errorf("the credential is about %q, not this wallet's DID", wallet.Clip(sub))
		}
		if iss, _ := claims["iss"].(string); !resolvable(iss) {
			return token, false, nil
		}
		if _, err := jwtvc.VerifyCredential(ctx, token, jwtKeys{}, jwtvc.Options{Now: func() time.Time { return now }}); err != nil {
			return nil, false, fmt.Errorf("the credential's signature does not verify: %w", err)
		}
		return token, true, nil
	}
	return nil, false, fmt.Errorf("format %s is not kept by this wallet", format)
}

func issuerID(v any) string {
	switch i := v.(type) {
	case string:
		return i
	case map[string]any:
		s, _ := i["id"].(string)
		return s
	}
	return ""
}

func resolvable(id string) bool { return wallet.Offline(id) }

// find resolves a verification method of an offline DID for purpose.
func find(ctx context.Context, vmID, purpose string) (*did.VerificationMethod, string, any, error) {
	d, _ := did.Split(vmID)
	doc, err := wallet.OfflineDIDs.Resolve(ctx, d)
	if err != nil {
		return nil, "", nil, err
	}
	vm, err := doc.Dereference(vmID, purpose)
	if err != nil {
		return nil, "", nil, err
	}
	pub, err := vm.PublicKey()
	return vm, doc.ID, pub, err
}

// ldKeys is ldproof's key lookup over offline DIDs.
type ldKeys struct{}

func (ldKeys) ResolveKey(ctx context.Context, vmID string, purpose ldproof.Purpose) (*ldproof.Key, error) {
	vm, controller, pub, err := find(ctx, vmID, string(purpose))
	if err != nil {
		return nil, err
	}
	return &ldproof.Key{ID: vm.ID, Type: vm.Type, Controller: controller, PublicKey: pub}, nil
}

// jwtKeys is jwtvc's key lookup over offline DIDs.
type jwtKeys struct{}

func (jwtKeys) ResolveKey(ctx context.Context, kid string, purpose jwtvc.Purpose) (*jwtvc.Key, error) {
	vm, controller, pub, err := find(ctx, kid, string(purpose))
	if err != nil {
		return nil, err
	}
	return &jwtvc.Key{ID: vm.ID, Type: vm.Type, Controller: controller, PublicKey: pub}, nil
}
