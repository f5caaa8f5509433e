package ldproof_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/loginwithiota/verifier/did/key"
	"github.com/loginwithiota/verifier/internal/testshared"
	"github.com/loginwithiota/verifier/ldproof"
)

// FuzzVerify: whatever a wallet sends, Verify returns (never panics), fails
// with an *Error or a result, and leaves the document as it was.
func FuzzVerify(f *testing.F) {
	for _, p := range []string{
		testshared.Path(f, jcsVectors, "iota-signed-presentation", "presentation.json"),
		testshared.Path(f, jcsVectors, "iota-signed-presentation", "presentation-two-issuers.0908e12.json"),
		testshared.Path(f, jcsVectors, "dif-spec-example-did-doc.signed.json"),
		testshared.Path(f, jcsVectors, "dif-test-1.signed.json"),
		testshared.Path(f, "bench", "vp1-jcs.json"),
		testshared.Path(f, "vectors", "di-eddsa", "eddsa-rdfc-2022", "signedDataInt.json"),
		testshared.Path(f, "vectors", "di-eddsa", "eddsa-jcs-2022", "signedJCS.json"),
		testshared.Path(f, "vectors", "di-eddsa", "proof-set-chain", "signedProofChain2.json"),
		testshared.Path(f, "vectors", "ed25519-2020", "w3c-vc-di-eddsa", "signedEdSig.json"),
		testshared.Path(f, "vectors", "ed25519-2018", "dif-pex-sample-implementation", "vc-ld.json"),
		filepath.Join("testdata", "independent", "jws-2020-p256.vc.json"),
	} {
		if raw, err := os.ReadFile(p); err == nil {
			f.Add(raw)
		}
	}
	f.Add([]byte(`{"proof":[{"type":"JcsEd25519Signature2020","verificationMethod":{"id":"did:key:z6Mk"},"domain":[1],"created":"x"}]}`))
	reg := pinned(f, pinIOTA, pinIOTAOld, pinFoo, pinBar)
	reg.Register("key", key.New())
	for _, id := range []string{"did:example:issuer", "did:example:holder"} {
		reg.Pin(benchDoc(f, id))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var doc map[string]any
		if json.Unmarshal(raw, &doc) != nil || doc == nil {
			return
		}
		var before map[string]any
		_ = json.Unmarshal(raw, &before)
		for _, legacy := range []bool{false, true} {
			res, err := ldproof.Verify(context.Background(), doc, registryKeys{reg: reg, legacy: legacy}, ldproof.Options{
				Purpose: ldproof.PurposeAuthentication, AllowMissingPurpose: legacy, Challenge: iotaChallenge, Domain: "d", Now: now})
			if err != nil && ldproof.Code(err) == "" {
				t.Fatalf("error without a code: %v", err)
			}
			if err == nil && len(res) == 0 {
				t.Fatal("no error and no result")
			}
		}
		if !reflect.DeepEqual(doc, before) {
			t.Fatal("Verify modified the document")
		}
	})
}
