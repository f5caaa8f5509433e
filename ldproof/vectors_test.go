package ldproof_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/mr-tron/base58"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/internal/testshared"
	"github.com/loginwithiota/verifier/ldproof"
)

func base58Key(t *testing.T, s string) *ldproof.Key {
	t.Helper()
	b, err := base58.Decode(s)
	if err != nil || len(b) != ed25519.PublicKeySize {
		t.Fatalf("bad test key %q: %v", s, err)
	}
	return &ldproof.Key{ID: "test-key", PublicKey: ed25519.PublicKey(b)}
}

// suiteVerify checks a vector whose proof names no verificationMethod (the
// DIF test vectors): the key comes from the vector's keys file.
func suiteVerify(t *testing.T, doc map[string]any, key *ldproof.Key) error {
	t.Helper()
	s, ok := ldproof.LookupSuite(ldproof.TypeJcsEd25519Signature2020)
	if !ok {
		t.Fatal("JcsEd25519Signature2020 not registered")
	}
	return s.Verify(context.Background(), &ldproof.Input{Document: doc, Proof: doc["proof"].(map[string]any), Key: key})
}

func TestDIFTestVectors(t *testing.T) {
	for _, n := range []string{"1", "2"} {
		keys := testshared.ReadJSON(t, jcsVectors, "dif-test-"+n+".keys.json")
		signed := testshared.ReadJSON(t, jcsVectors, "dif-test-"+n+".signed.json")
		if err := suiteVerify(t, signed, base58Key(t, keys["publicKeyBase58"].(string))); err != nil {
			t.Errorf("dif-test-%s.signed.json: %v", n, err)
		}
		// Ed25519 is deterministic: signing the input reproduces the vector.
		priv := ed25519.PrivateKey(must(base58.Decode(keys["privateKeyBase58"].(string))))
		input := testshared.ReadJSON(t, jcsVectors, "dif-test-"+n+".input.json")
		proof := input["proof"].(map[string]any)
		delete(input, "proof")
		got, err := ldproof.SignJcsEd25519(input, proof, priv)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, signed) {
			t.Errorf("dif-test-%s: SignJcsEd25519 = %v\nwant %v", n, got, signed)
		}
	}
	// Through Verify the same proofs are malformed: they name no key.
	_, err := ldproof.Verify(context.Background(), testshared.ReadJSON(t, jcsVectors, "dif-test-1.signed.json"),
		registryKeys{reg: did.NewRegistry()}, ldproof.Options{Purpose: ldproof.PurposeAssertionMethod, AllowMissingPurpose: true})
	wantCode(t, err, ldproof.CodeMalformedProof)
}

func TestIOTAJcsTestVectors(t *testing.T) {
	for _, n := range []string{"1", "2"} {
		v := testshared.ReadJSON(t, jcsVectors, "iota-jcs-test_vector_"+n+".json")
		if err := suiteVerify(t, v["output"].(map[string]any), base58Key(t, v["public"].(string))); err != nil {
			t.Errorf("test_vector_%s output: %v", n, err)
		}
	}
}

// The derived dif-test-1 negatives, each with the key its manifest entry
// names; all must fail with invalid_signature.
func TestDIFNegativesFromManifest(t *testing.T) {
	manifest := testshared.DecodeFile[[]struct{ File, Expected, PublicKeyBase58 string }](t, testshared.Path(t, "vectors", "negative-manifest.json"))
	n := 0
	for _, e := range manifest {
		if !strings.HasPrefix(e.File, "jcs-ed25519-2020/negative/dif-test-1.") {
			continue
		}
		n++
		doc := testshared.ReadJSON(t, "vectors", e.File)
		err := suiteVerify(t, doc, base58Key(t, e.PublicKeyBase58))
		if ldproof.Code(err) != ldproof.CodeInvalidSignature {
			t.Errorf("%s (%s): error = %v, want invalid_signature", e.File, e.Expected, err)
		}
	}
	if n != 5 {
		t.Errorf("found %d dif-test-1 negatives in the manifest, want 5", n)
	}
}

// vectorCase verifies one document of the vectors through Verify with a
// registry of pinned DID documents.
type vectorCase struct {
	name   string
	doc    func(t *testing.T) map[string]any
	pins   [][]string
	legacy bool // documents that list keys only under verificationMethod
	opts   ldproof.Options
	want   string // error code, "" = valid
}

func file(path ...string) func(*testing.T) map[string]any {
	return func(t *testing.T) map[string]any { return testshared.ReadJSON(t, path...) }
}

func vc(i int, path ...string) func(*testing.T) map[string]any {
	return func(t *testing.T) map[string]any { return credentials(t, testshared.ReadJSON(t, path...))[i] }
}

const iotaChallenge = "475a7984-1bb5-4c4c-a56f-822bccd46441"

var (
	sp         = []string{jcsVectors, "iota-signed-presentation"}
	pinIOTA    = append(sp[:2:2], "issuer_iota_doc.json")
	pinIOTAOld = append(sp[:2:2], "issuer_iota_doc.0908e12.json")
	pinFoo     = append(sp[:2:2], "subject_foo_doc.json")
	pinBar     = append(sp[:2:2], "issuer_bar_doc.json")
	vpOpts     = ldproof.Options{Purpose: ldproof.PurposeAuthentication, AllowMissingPurpose: true, Challenge: iotaChallenge}
	vcOpts     = ldproof.Options{Purpose: ldproof.PurposeAssertionMethod, AllowMissingPurpose: true}
)

func vectorCases() []vectorCase {
	pres := append(sp[:2:2], "presentation.json")
	two := append(sp[:2:2], "presentation-two-issuers.0908e12.json")
	reordered := []string{jcsVectors, "positive-variants", "iota-presentation.reordered-keys.json"}
	neg := func(name string) []string { return []string{jcsVectors, "negative", name} }
	specExample := []string{jcsVectors, "dif-spec-example-did-doc.signed.json"}
	specNeg := neg("dif-spec-example.changed-service.json")
	jsImpl := []string{jcsVectors, "dif-js-impl-document.signed-attached-sha256.json"}
	config := []string{jcsVectors, "iota-did-configuration", "config1.json"}
	configDoc := []string{jcsVectors, "iota-did-configuration", "issuer-did-document.json"}
	revVC := []string{jcsVectors, "iota-revocation-bitmap-2022", "spec-example-credential.json"}
	revDoc := []string{jcsVectors, "iota-revocation-bitmap-2022", "spec-example-issuer-did-document.json"}
	iotaPins := [][]string{pinIOTA, pinFoo}
	assertion := ldproof.Options{Purpose: ldproof.PurposeAssertionMethod}

	return []vectorCase{
		{"iota presentation VP", file(pres...), iotaPins, true, vpOpts, ""},
		{"iota presentation VC", vc(0, pres...), iotaPins, true, vcOpts, ""},
		{"two issuers VP", file(two...), [][]string{pinIOTAOld, pinBar, pinFoo}, true, vpOpts, ""},
		{"two issuers VC iota", vc(0, two...), [][]string{pinIOTAOld}, true, vcOpts, ""},
		{"two issuers VC bar", vc(1, two...), [][]string{pinBar}, true, vcOpts, ""},
		{"reordered VP", file(reordered...), iotaPins, true, vpOpts, ""},
		{"reordered VC", vc(0, reordered...), iotaPins, true, vcOpts, ""},
		{"did configuration", func(t *testing.T) map[string]any {
			return testshared.ReadJSON(t, config...)["linked_dids"].([]any)[0].(map[string]any)
		}, [][]string{configDoc}, true, vcOpts, ""},
		{"DIF spec example (key in the document)", file(specExample...), [][]string{specExample}, true, assertion, ""},

		{"revocation example VC (illustrative, does not verify)", file(revVC...), [][]string{revDoc}, true, vcOpts, ldproof.CodeInvalidSignature},
		{"DIF JS impl 96-byte signature", file(jsImpl...), [][]string{jsImpl}, true, vcOpts, ldproof.CodeInvalidSignature},
		{"DIF spec example changed service", file(specNeg...), [][]string{specNeg}, true, assertion, ldproof.CodeInvalidSignature},
		{"negative vc-changed-claim VC", vc(0, neg("iota-presentation.vc-changed-claim.json")...), iotaPins, true, vcOpts, ldproof.CodeInvalidSignature},
		{"negative vc-changed-claim VP", file(neg("iota-presentation.vc-changed-claim.json")...), iotaPins, true, vpOpts, ldproof.CodeInvalidSignature},
		{"negative changed-challenge VP", file(neg("iota-presentation.changed-challenge.json")...), iotaPins, true,
			ldproof.Options{Purpose: ldproof.PurposeAuthentication, AllowMissingPurpose: true}, ldproof.CodeInvalidSignature},
		// The signature is checked before the challenge: a tampered proof reports the tampering.
		{"negative changed-challenge VP, original challenge expected", file(neg("iota-presentation.changed-challenge.json")...), iotaPins, true, vpOpts, ldproof.CodeInvalidSignature},
		{"negative changed-challenge VC", vc(0, neg("iota-presentation.changed-challenge.json")...), iotaPins, true, vcOpts, ""},
		{"negative changed-holder VP", file(neg("iota-presentation.changed-holder.json")...), iotaPins, true, vpOpts, ldproof.CodeInvalidSignature},
		{"negative changed-holder VC", vc(0, neg("iota-presentation.changed-holder.json")...), iotaPins, true, vcOpts, ""},
		{"negative vc-vm-swapped VC", vc(0, neg("iota-presentation.vc-vm-swapped-to-holder-key.json")...), iotaPins, true, vcOpts, ldproof.CodeInvalidSignature},
		{"negative vc-vm-swapped VP", file(neg("iota-presentation.vc-vm-swapped-to-holder-key.json")...), iotaPins, true, vpOpts, ldproof.CodeInvalidSignature},

		// Policy on the same vectors: their DID documents authorise keys for
		// no relationship, so a strict resolver refuses them, and without
		// AllowMissingPurpose the purpose-less proofs are refused.
		{"iota VC, strict relationships", vc(0, pres...), iotaPins, false, vcOpts, ldproof.CodeKeyResolutionFailed},
		{"iota VP, purpose required", file(pres...), iotaPins, true,
			ldproof.Options{Purpose: ldproof.PurposeAuthentication, Challenge: iotaChallenge}, ldproof.CodeWrongProofPurpose},
		{"iota VC, issuer not pinned", vc(0, pres...), [][]string{pinFoo}, true, vcOpts, ldproof.CodeKeyResolutionFailed},
	}
}

func TestJcsVectorsThroughVerify(t *testing.T) {
	for _, tt := range vectorCases() {
		t.Run(tt.name, func(t *testing.T) {
			doc := tt.doc(t)
			before := deepCopy(t, doc)
			res, err := ldproof.Verify(context.Background(), doc, registryKeys{reg: pinned(t, tt.pins...), legacy: tt.legacy}, tt.opts)
			wantCode(t, err, tt.want)
			if err != nil {
				t.Log(err) // what an operator would read
			}
			if err == nil && (len(res) != 1 || res[0].Type != ldproof.TypeJcsEd25519Signature2020 || res[0].Controller == "") {
				t.Errorf("results = %+v", res)
			}
			if !reflect.DeepEqual(doc, before) {
				t.Error("Verify modified the document")
			}
		})
	}
}

// The strict failure above must say why: the resolver's did error is wrapped.
func TestKeyResolutionErrorIsWrapped(t *testing.T) {
	doc := credentials(t, testshared.ReadJSON(t, append(sp[:2:2], "presentation.json")...))[0]
	_, err := ldproof.Verify(context.Background(), doc, registryKeys{reg: pinned(t, pinIOTA)}, vcOpts)
	if !errors.Is(err, did.ErrNotAuthorized) {
		t.Errorf("error = %v, want it to wrap did.ErrNotAuthorized", err)
	}
	if !strings.Contains(err.Error(), "#issuerKey") || !strings.Contains(err.Error(), "assertionMethod") {
		t.Errorf("reason does not name the method and purpose: %v", err)
	}
}
