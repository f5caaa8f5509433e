package ldproof_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/mr-tron/base58"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/ldproof"
	"github.com/loginwithiota/verifier/ldproof/jcs"
)

type benchKeys struct {
	Challenge, Domain string
	Docs              map[string]json.RawMessage
}

func readBenchKeys(t testing.TB) benchKeys {
	raw, err := os.ReadFile(filepath.Join(sharedDir, "bench", "keys.json"))
	if err != nil {
		t.Fatal(err)
	}
	var k benchKeys
	if err := json.Unmarshal(raw, &k); err != nil {
		t.Fatal(err)
	}
	return k
}

func benchDoc(t testing.TB, id string) *did.Document {
	t.Helper()
	doc, err := did.ParseDocument(readBenchKeys(t).Docs[id])
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// BenchmarkVerify measures bench/vp1-jcs.json: the VP proof
// (authentication, challenge, domain) and the embedded VC's proof
// (assertionMethod), keys from pinned DID documents, against the floor of
// two bare Ed25519 checks over the same (precomputed) signing inputs.
func BenchmarkVerify(b *testing.B) {
	k := readBenchKeys(b)
	reg := did.NewRegistry()
	for _, id := range []string{"did:example:issuer", "did:example:holder"} {
		reg.Pin(benchDoc(b, id))
	}
	keys := registryKeys{reg: reg}
	raw, err := os.ReadFile(filepath.Join(sharedDir, "bench", "vp1-jcs.json"))
	if err != nil {
		b.Fatal(err)
	}
	var vp map[string]any
	if err := json.Unmarshal(raw, &vp); err != nil {
		b.Fatal(err)
	}
	vc := credentials(b, vp)[0]
	ctx := context.Background()
	vpOpts := ldproof.Options{Purpose: ldproof.PurposeAuthentication, Challenge: k.Challenge, Domain: k.Domain,
		ProofTypes: []string{ldproof.TypeJcsEd25519Signature2020}}
	vcOpts := ldproof.Options{Purpose: ldproof.PurposeAssertionMethod, ProofTypes: vpOpts.ProofTypes}
	verifyBoth := func(b *testing.B, vp, vc map[string]any) {
		if _, err := ldproof.Verify(ctx, vp, keys, vpOpts); err != nil {
			b.Fatal(err)
		}
		if _, err := ldproof.Verify(ctx, vc, keys, vcOpts); err != nil {
			b.Fatal(err)
		}
	}

	b.Run("jcs-1vc", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			verifyBoth(b, vp, vc)
		}
	})
	b.Run("jcs-1vc+decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var doc map[string]any
			if err := json.Unmarshal(raw, &doc); err != nil {
				b.Fatal(err)
			}
			verifyBoth(b, doc, credentials(b, doc)[0])
		}
	})

	type check struct {
		pub      ed25519.PublicKey
		msg, sig []byte
	}
	var checks []check
	for _, c := range []struct {
		doc map[string]any
		id  string
	}{{vp, "did:example:holder"}, {vc, "did:example:issuer"}} {
		proof := c.doc["proof"].(map[string]any)
		msg, err := jcs.AppendWithMember(nil, c.doc, "proof", proof, "signatureValue")
		if err != nil {
			b.Fatal(err)
		}
		pub, err := benchDoc(b, c.id).VerificationMethod[0].PublicKey()
		if err != nil {
			b.Fatal(err)
		}
		checks = append(checks, check{pub.(ed25519.PublicKey), msg, must(base58.Decode(proof["signatureValue"].(string)))})
	}
	b.Run("ed25519-only", func(b *testing.B) {
		for b.Loop() {
			for _, c := range checks {
				if !ed25519.Verify(c.pub, c.msg, c.sig) {
					b.Fatal("bench vector does not verify")
				}
			}
		}
	})
}
