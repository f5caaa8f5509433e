package ldproof_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/internal/testshared"
	"github.com/loginwithiota/verifier/ldproof"
)

// jcsVectors is the JCS vector folder, relative to the shared folder
// (testshared.Path).
var jcsVectors = filepath.Join("vectors", "jcs-ed25519-2020")

// registryKeys is the test KeyResolver on top of did.Registry, the same
// shape as the verifier's adapter: resolve the controller's DID, find the
// method under the relationship named by the purpose, decode its key.
// legacy skips the relationship check (Dereference with ""), for
// identity.rs's old documents that list keys only under verificationMethod.
type registryKeys struct {
	reg    *did.Registry
	legacy bool
}

func (r registryKeys) ResolveKey(ctx context.Context, vmID string, purpose ldproof.Purpose) (*ldproof.Key, error) {
	id, _ := did.Split(vmID)
	doc, err := r.reg.Resolve(ctx, id)
	if err != nil {
		return nil, err
	}
	rel := string(purpose)
	if r.legacy {
		rel = ""
	}
	vm, err := doc.Dereference(vmID, rel)
	if err != nil {
		return nil, err
	}
	pub, err := vm.PublicKey()
	if err != nil {
		return nil, err
	}
	return &ldproof.Key{ID: vm.ID, Type: vm.Type, Controller: vm.Controller, PublicKey: pub}, nil
}

// readDoc parses the shared DID document at path.
func readDoc(t testing.TB, path ...string) *did.Document {
	t.Helper()
	doc, err := did.ParseDocument(testshared.Read(t, path...))
	if err != nil {
		t.Fatalf("%s: %v", filepath.Join(path...), err)
	}
	return doc
}

// pinned returns a registry holding the shared documents at the given paths.
func pinned(t testing.TB, paths ...[]string) *did.Registry {
	t.Helper()
	reg := did.NewRegistry()
	for _, p := range paths {
		reg.Pin(readDoc(t, p...))
	}
	return reg
}

// credentials returns the embedded VCs of a presentation.
func credentials(t testing.TB, vp map[string]any) []map[string]any {
	t.Helper()
	switch v := vp["verifiableCredential"].(type) {
	case map[string]any:
		return []map[string]any{v}
	case []any:
		out := make([]map[string]any, len(v))
		for i, e := range v {
			out[i] = e.(map[string]any)
		}
		return out
	}
	t.Fatalf("no verifiableCredential in %v", vp)
	return nil
}

func seedKey(b byte) ed25519.PrivateKey {
	seed := make([]byte, ed25519.SeedSize)
	for i := range seed {
		seed[i] = b
	}
	return ed25519.NewKeyFromSeed(seed)
}

// deepCopy round-trips through JSON, to check that Verify leaves doc alone.
func deepCopy(t testing.TB, m map[string]any) map[string]any {
	t.Helper()
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Errorf("unexpected error: %v", err)
		}
		return
	}
	if got := ldproof.Code(err); got != code {
		t.Errorf("error = %v (code %q), want code %q", err, got, code)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprint("must: ", err))
	}
	return v
}
