package did_test

import (
	"errors"
	"testing"

	"github.com/loginwithiota/verifier/did"
)

func TestDereference(t *testing.T) {
	doc, err := did.ParseDocument([]byte(`{
		"id": "did:ex:1",
		"verificationMethod": [
			{"id": "#auth", "type": "Multikey", "controller": "did:ex:1", "publicKeyMultibase": "z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH"},
			{"id": "#both", "type": "Multikey", "controller": "did:ex:1", "publicKeyMultibase": "z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH"},
			{"id": "#unlisted", "type": "Multikey", "controller": "did:ex:1", "publicKeyMultibase": "z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH"}
		],
		"authentication": ["did:ex:1#auth", "#both", "did:ex:1#dangling",
			{"id": "#embedded", "type": "Multikey", "controller": "did:ex:1", "publicKeyMultibase": "z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH"}],
		"assertionMethod": ["#both"]
	}`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		vm, rel string
		want    error
	}{
		{"did:ex:1#auth", did.Authentication, nil},
		{"#auth", did.Authentication, nil},
		{"did:ex:1#auth", did.AssertionMethod, did.ErrNotAuthorized},
		{"did:ex:1#both", did.AssertionMethod, nil},
		{"did:ex:1#both", did.Authentication, nil},
		{"did:ex:1#embedded", did.Authentication, nil},
		{"did:ex:1#embedded", did.AssertionMethod, did.ErrNotAuthorized},
		{"did:ex:1#unlisted", did.Authentication, did.ErrNotAuthorized},
		{"did:ex:1#unlisted", did.CapabilityInvocation, did.ErrNotAuthorized},
		{"did:ex:1#dangling", did.Authentication, did.ErrMethodNotFound},
		{"did:ex:1#nothing", did.Authentication, did.ErrMethodNotFound},
		{"did:ex:2#auth", did.Authentication, did.ErrMethodNotFound},
		{"did:ex:1#auth", "bogusRelationship", did.ErrNotAuthorized},
		// The empty relationship finds any defined method (legacy documents).
		{"did:ex:1#unlisted", "", nil},
		{"#embedded", "", nil},
		{"did:ex:1#nothing", "", did.ErrMethodNotFound},
	}
	for _, tt := range tests {
		vm, err := doc.Dereference(tt.vm, tt.rel)
		if !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
			t.Errorf("Dereference(%q, %q) error = %v, want %v", tt.vm, tt.rel, err, tt.want)
			continue
		}
		if err == nil && vm.ID != doc.ID+"#"+fragment(tt.vm) {
			t.Errorf("Dereference(%q, %q) = %q", tt.vm, tt.rel, vm.ID)
		}
	}

	// The result is a copy.
	vm, _ := doc.Dereference("#auth", did.Authentication)
	vm.PublicKeyMultibase = "changed"
	if doc.VerificationMethod[0].PublicKeyMultibase == "changed" {
		t.Error("Dereference returned a pointer into the document")
	}
}

func fragment(u string) string {
	_, f := did.Split(u)
	return f
}
