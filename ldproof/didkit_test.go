package ldproof_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/loginwithiota/verifier/internal/testshared"
	"github.com/loginwithiota/verifier/ldproof"
)

// DIDKit (ssi) writes JsonWebSignature2020 proofs with their own
// "@context": [jws-2020/v1] and signs their options inside the document's
// contexts followed by that one; jsonld-signatures and transmute sign them
// under the proof's (or the document's) context alone. Both readings
// verify; neither lets a changed proof member, a changed claim or another
// key through.
func TestDIDKitProofs(t *testing.T) {
	dir := filepath.Join("testdata", "independent")
	var m struct{ Challenge, Domain string }
	m = testshared.DecodeFile[struct{ Challenge, Domain string }](t, filepath.Join(dir, "didkit-manifest.json"))
	auth := ldproof.Options{Purpose: ldproof.PurposeAuthentication, Challenge: m.Challenge, Domain: m.Domain}
	assertion := ldproof.Options{Purpose: ldproof.PurposeAssertionMethod}
	for _, name := range []string{"ed25519signature2018", "ed25519signature2020", "jsonwebsignature2020"} {
		t.Run(name, func(t *testing.T) {
			read := func(kind string) map[string]any {
				return testshared.ReadJSONFile(t, filepath.Join(dir, "didkit-"+name+"."+kind+".json"))
			}
			if _, err := ldproof.Verify(context.Background(), read("vc"), didKeys(), assertion); err != nil {
				t.Errorf("credential: %v", err)
			}
			if _, err := ldproof.Verify(context.Background(), read("vp"), didKeys(), auth); err != nil {
				t.Errorf("presentation: %v", err)
			}
			changes := map[string]func(doc map[string]any){
				"changed created": func(d map[string]any) { d["proof"].(map[string]any)["created"] = "2020-01-01T00:00:00Z" },
				"changed claim": func(d map[string]any) {
					d["credentialSubject"].(map[string]any)["id"] = "did:example:someone-else"
				},
				"changed purpose": func(d map[string]any) { d["proof"].(map[string]any)["proofPurpose"] = "authentication" },
			}
			for what, change := range changes {
				doc := read("vc")
				change(doc)
				opts := assertion
				if what == "changed purpose" {
					opts = ldproof.Options{Purpose: ldproof.PurposeAuthentication}
				}
				if _, err := ldproof.Verify(context.Background(), doc, didKeys(), opts); err == nil {
					t.Errorf("%s: verified", what)
				}
			}
		})
	}
}
