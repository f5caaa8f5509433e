package did

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/loginwithiota/verifier/internal/jsonx"
)

// Document is a parsed DID document (DID Core §5). Members this type does
// not model stay available in Raw, the decoded JSON object. Documents
// handed out by a Registry are shared: treat them as read-only.
type Document struct {
	ID                   string
	Controller           []string // a string or an array in JSON
	VerificationMethod   []VerificationMethod
	Authentication       []VerificationRelationship
	AssertionMethod      []VerificationRelationship
	KeyAgreement         []VerificationRelationship
	CapabilityInvocation []VerificationRelationship
	CapabilityDelegation []VerificationRelationship
	Service              []map[string]any
	Raw                  map[string]any
}

// VerificationRelationship is one entry of a verification relationship:
// either a reference (Ref, a DID URL made absolute against the document's
// id) to a method of the document, or a method embedded in place (Method),
// which is usable only for this relationship.
type VerificationRelationship struct {
	Ref    string
	Method *VerificationMethod
}

// ID is the id of the referenced or embedded method.
func (r VerificationRelationship) ID() string {
	if r.Method != nil {
		return r.Method.ID
	}
	return r.Ref
}

// Relationship names (DID Core §5.3).
const (
	Authentication       = "authentication"
	AssertionMethod      = "assertionMethod"
	KeyAgreement         = "keyAgreement"
	CapabilityInvocation = "capabilityInvocation"
	CapabilityDelegation = "capabilityDelegation"
)

// ParseDocument parses a DID document from JSON. It also accepts the
// wrapper identity.rs used for resolved documents, {"doc": {...},
// "meta": {...}}, and returns the inner document.
func ParseDocument(raw []byte) (*Document, error) {
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidDocument, err)
	}
	if m == nil {
		return nil, fmt.Errorf("%w: not a JSON object", ErrInvalidDocument)
	}
	if _, hasID := m["id"]; !hasID {
		if inner, ok := m["doc"].(map[string]any); ok {
			m = inner
		}
	}
	return DocumentFromMap(m)
}

// DocumentFromMap builds a Document from a decoded JSON object (which
// becomes Raw; it is not copied). Relative ids ("#key-1") are made absolute
// against the document id. The legacy member "publicKey" (DID drafts before
// verificationMethod, still in the DIF JcsEd25519Signature2020 examples) is
// read as more verification methods.
func DocumentFromMap(m map[string]any) (*Document, error) {
	id, ok := m["id"].(string)
	if !ok {
		return nil, fmt.Errorf("%w: missing or non-string \"id\"", ErrInvalidDocument)
	}
	if _, err := Method(id); err != nil {
		return nil, fmt.Errorf("%w: id: %w", ErrInvalidDocument, err)
	}
	d := &Document{ID: id, Raw: m}
	var err error
	if d.Controller, err = stringOrStrings(m["controller"]); err != nil {
		return nil, fmt.Errorf("%w: controller: %v", ErrInvalidDocument, err)
	}
	seen := make(map[string]bool)
	for _, member := range []string{"verificationMethod", "publicKey"} {
		entries, err := objectOrObjects(m[member])
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrInvalidDocument, member, err)
		}
		for i, e := range entries {
			vm, err := d.parseMethod(e)
			if err != nil {
				return nil, fmt.Errorf("%w: %s[%d]: %v", ErrInvalidDocument, member, i, err)
			}
			if seen[vm.ID] {
				return nil, fmt.Errorf("%w: duplicate verification method id %q", ErrInvalidDocument, clip(vm.ID))
			}
			seen[vm.ID] = true
			d.VerificationMethod = append(d.VerificationMethod, *vm)
		}
	}
	for _, rel := range []struct {
		name string
		dst  *[]VerificationRelationship
	}{
		{Authentication, &d.Authentication},
		{AssertionMethod, &d.AssertionMethod},
		{KeyAgreement, &d.KeyAgreement},
		{CapabilityInvocation, &d.CapabilityInvocation},
		{CapabilityDelegation, &d.CapabilityDelegation},
	} {
		if *rel.dst, err = d.parseRelationship(m[rel.name]); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrInvalidDocument, rel.name, err)
		}
	}
	if d.Service, err = objectOrObjects(m["service"]); err != nil {
		return nil, fmt.Errorf("%w: service: %v", ErrInvalidDocument, err)
	}
	return d, nil
}

func (d *Document) parseMethod(m map[string]any) (*VerificationMethod, error) {
	vm := &VerificationMethod{}
	var err error
	if vm.ID, err = requiredString(m, "id"); err != nil {
		return nil, err
	}
	vm.ID = d.absolute(vm.ID)
	if vm.Type, err = requiredString(m, "type"); err != nil {
		return nil, err
	}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"controller", &vm.Controller}, {"publicKeyMultibase", &vm.PublicKeyMultibase}, {"publicKeyBase58", &vm.PublicKeyBase58}} {
		if v, ok := m[f.name]; ok && v != nil {
			s, ok := v.(string)
			if !ok {
				return nil, fmt.Errorf("%s must be a string", f.name)
			}
			*f.dst = s
		}
	}
	if jwk, ok := m["publicKeyJwk"]; ok && jwk != nil {
		if vm.PublicKeyJwk, ok = jwk.(map[string]any); !ok {
			return nil, fmt.Errorf("publicKeyJwk must be an object")
		}
	}
	return vm, nil
}

// parseRelationship reads a relationship: null/absent, a string or method,
// or an array of strings and methods.
func (d *Document) parseRelationship(v any) ([]VerificationRelationship, error) {
	if v == nil {
		return nil, nil
	}
	items := jsonx.Items(v)
	out := make([]VerificationRelationship, 0, len(items))
	for i, it := range items {
		switch it := it.(type) {
		case string:
			out = append(out, VerificationRelationship{Ref: d.absolute(it)})
		case map[string]any:
			vm, err := d.parseMethod(it)
			if err != nil {
				return nil, fmt.Errorf("[%d]: %v", i, err)
			}
			out = append(out, VerificationRelationship{Method: vm})
		default:
			return nil, fmt.Errorf("[%d]: want a DID URL or a verification method, got %T", i, it)
		}
	}
	return out, nil
}

// absolute resolves a relative DID URL ("#frag", or "?…"/"/…" forms)
// against the document id.
func (d *Document) absolute(ref string) string {
	if strings.HasPrefix(ref, "#") || strings.HasPrefix(ref, "?") || strings.HasPrefix(ref, "/") {
		return d.ID + ref
	}
	return ref
}

func requiredString(m map[string]any, name string) (string, error) {
	s, ok := m[name].(string)
	if !ok || s == "" {
		return "", fmt.Errorf("missing or non-string %q", name)
	}
	return s, nil
}

func stringOrStrings(v any) ([]string, error) {
	out, bad, ok := jsonx.List[string](v)
	switch {
	case ok:
		return out, nil
	case bad >= 0:
		return nil, fmt.Errorf("[%d] is %T, want a string", bad, v.([]any)[bad])
	}
	return nil, fmt.Errorf("is %T, want a string or an array of strings", v)
}

func objectOrObjects(v any) ([]map[string]any, error) {
	out, bad, ok := jsonx.List[map[string]any](v)
	switch {
	case ok:
		return out, nil
	case bad >= 0:
		return nil, fmt.Errorf("[%d] is %T, want an object", bad, v.([]any)[bad])
	}
	return nil, fmt.Errorf("is %T, want an array of objects", v)
}
