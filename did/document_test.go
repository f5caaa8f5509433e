package did_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/internal/testshared"
)

// jcsVectors is the JCS vector folder, relative to the shared folder.
var jcsVectors = filepath.Join("vectors", "jcs-ed25519-2020")

// readDoc parses the shared DID document at path.
func readDoc(t *testing.T, path ...string) *did.Document {
	t.Helper()
	doc, err := did.ParseDocument(testshared.Read(t, path...))
	if err != nil {
		t.Fatalf("%s: %v", filepath.Join(path...), err)
	}
	return doc
}

func TestParseDocumentVectors(t *testing.T) {
	tests := []struct {
		path    []string
		id      string
		methods int
	}{
		{[]string{jcsVectors, "iota-signed-presentation", "issuer_iota_doc.json"}, "did:iota:0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 1},
		{[]string{jcsVectors, "iota-signed-presentation", "issuer_iota_doc.0908e12.json"}, "did:iota:0xAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 1},
		{[]string{jcsVectors, "iota-signed-presentation", "subject_foo_doc.json"}, "did:foo:586Z7H2vpX9qNhN2T4e9Utugie3ogjbxzGaMtM3E6HR5", 1},
		{[]string{jcsVectors, "iota-signed-presentation", "issuer_bar_doc.json"}, "did:bar:Hyx62wPQGyvXCoihZq1BrbUjBRh2LuNxWiiqMkfAuSZr", 1},
		{[]string{jcsVectors, "iota-did-configuration", "issuer-did-document.json"}, "did:iota:rms:0xe5d5a7c02874b0284ccc2f28bada68780cad26702e7e8186d521e9615a73bc45", 1},
		{[]string{jcsVectors, "iota-revocation-bitmap-2022", "spec-example-issuer-did-document.json"}, "did:iota:EvaQhPXXsJsGgxSXGhZGMCvTt63KuAFtaGThx6a5nSpw", 1},
		{[]string{jcsVectors, "dif-spec-example-did-doc.signed.json"}, "did:test:36FC2p3yXoxcoVBn73qxPx", 1}, // legacy "publicKey"
	}
	for _, tt := range tests {
		doc := readDoc(t, tt.path...)
		if doc.ID != tt.id || len(doc.VerificationMethod) != tt.methods {
			t.Errorf("%s: id %q, %d methods; want %q, %d", tt.path[len(tt.path)-1], doc.ID, len(doc.VerificationMethod), tt.id, tt.methods)
		}
		for _, vm := range doc.VerificationMethod {
			if _, err := vm.PublicKey(); err != nil {
				t.Errorf("%s: %v", tt.path[len(tt.path)-1], err)
			}
		}
	}

	rev := readDoc(t, jcsVectors, "iota-revocation-bitmap-2022", "spec-example-issuer-did-document.json")
	if len(rev.CapabilityInvocation) != 1 || rev.CapabilityInvocation[0].Method == nil || len(rev.Service) != 1 {
		t.Errorf("revocation doc: capabilityInvocation %+v, service %v", rev.CapabilityInvocation, rev.Service)
	}
	if rev.Service[0]["type"] != "RevocationBitmap2022" {
		t.Errorf("service = %v", rev.Service[0])
	}
}

func TestParseDocumentBenchKeys(t *testing.T) {
	keys := testshared.ReadBenchKeys(t)
	for _, id := range []string{"did:example:issuer", "did:example:holder"} {
		doc, err := did.ParseDocument(keys.Docs[id])
		if err != nil {
			t.Fatal(err)
		}
		for _, rel := range []string{did.Authentication, did.AssertionMethod} {
			vm, err := doc.Dereference(id+"#key-1", rel)
			if err != nil {
				t.Fatalf("%s %s: %v", id, rel, err)
			}
			if _, err := vm.PublicKey(); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestParseDocumentShapes(t *testing.T) {
	doc, err := did.ParseDocument([]byte(`{
		"@context": "https://www.w3.org/ns/did/v1",
		"id": "did:ex:1",
		"controller": ["did:ex:1", "did:ex:2"],
		"verificationMethod": [{"id": "#k1", "type": "Ed25519VerificationKey2018", "controller": "did:ex:1",
			"publicKeyBase58": "4CcKDtU1JNGi8U4D8Rv9CHzfmF7xzaxEAPFA54eQjRHF"}],
		"authentication": ["#k1", {"id": "did:ex:1#k2", "type": "JsonWebKey2020", "controller": "did:ex:1",
			"publicKeyJwk": {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}}],
		"assertionMethod": "did:ex:1#k1",
		"keyAgreement": null,
		"service": {"id": "#s", "type": "LinkedDomains", "serviceEndpoint": "https://example.com"},
		"alsoKnownAs": ["https://example.com"]
	}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Controller) != 2 || doc.VerificationMethod[0].ID != "did:ex:1#k1" {
		t.Errorf("controller %v, vm id %q", doc.Controller, doc.VerificationMethod[0].ID)
	}
	if len(doc.Authentication) != 2 || doc.Authentication[0].Ref != "did:ex:1#k1" || doc.Authentication[1].ID() != "did:ex:1#k2" {
		t.Errorf("authentication = %+v", doc.Authentication)
	}
	if len(doc.AssertionMethod) != 1 || doc.KeyAgreement != nil || len(doc.Service) != 1 {
		t.Errorf("assertionMethod %+v keyAgreement %+v service %v", doc.AssertionMethod, doc.KeyAgreement, doc.Service)
	}
	if doc.Raw["alsoKnownAs"] == nil {
		t.Error("unknown member lost from Raw")
	}
}

func TestParseDocumentErrors(t *testing.T) {
	tests := map[string]string{
		"not json":          `{`,
		"not an object":     `[]`,
		"null":              `null`,
		"no id":             `{"verificationMethod": []}`,
		"id not a DID":      `{"id": "https://example.com"}`,
		"bad controller":    `{"id": "did:ex:1", "controller": 5}`,
		"vm not object":     `{"id": "did:ex:1", "verificationMethod": ["did:ex:1#k"]}`,
		"vm without id":     `{"id": "did:ex:1", "verificationMethod": [{"type": "Multikey"}]}`,
		"vm without type":   `{"id": "did:ex:1", "verificationMethod": [{"id": "#k"}]}`,
		"vm bad multibase":  `{"id": "did:ex:1", "verificationMethod": [{"id": "#k", "type": "Multikey", "publicKeyMultibase": 5}]}`,
		"vm bad jwk":        `{"id": "did:ex:1", "verificationMethod": [{"id": "#k", "type": "JsonWebKey2020", "publicKeyJwk": "x"}]}`,
		"duplicate vm id":   `{"id": "did:ex:1", "verificationMethod": [{"id": "#k", "type": "Multikey"}, {"id": "did:ex:1#k", "type": "Multikey"}]}`,
		"relationship int":  `{"id": "did:ex:1", "authentication": [5]}`,
		"service not array": `{"id": "did:ex:1", "service": "x"}`,
		"wrapped bad inner": `{"doc": {"id": 5}, "meta": {}}`,
	}
	for name, in := range tests {
		if _, err := did.ParseDocument([]byte(in)); !errors.Is(err, did.ErrInvalidDocument) {
			t.Errorf("%s: error = %v, want ErrInvalidDocument", name, err)
		}
	}
}

func FuzzParseDocument(f *testing.F) {
	for _, p := range []string{
		testshared.Path(f, jcsVectors, "iota-signed-presentation", "issuer_iota_doc.json"),
		testshared.Path(f, jcsVectors, "iota-revocation-bitmap-2022", "spec-example-issuer-did-document.json"),
		testshared.Path(f, jcsVectors, "dif-spec-example-did-doc.signed.json"),
	} {
		if raw, err := os.ReadFile(p); err == nil {
			f.Add(raw)
		}
	}
	f.Add([]byte(`{"id":"did:ex:1","authentication":["#k",{"id":"#j","type":"Multikey","publicKeyMultibase":"z6Mk"}]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		doc, err := did.ParseDocument(raw)
		if err != nil {
			return
		}
		for _, vm := range doc.VerificationMethod {
			_, _ = vm.PublicKey()
			for _, rel := range []string{"", did.Authentication, did.AssertionMethod, "bogus"} {
				_, _ = doc.Dereference(vm.ID, rel)
			}
		}
	})
}
