package ldproof_test

import (
	"context"
	"crypto/ed25519"
	"testing"

	"github.com/mr-tron/base58"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/internal/poison"
	"github.com/loginwithiota/verifier/internal/testshared"
	"github.com/loginwithiota/verifier/ldproof"
	"github.com/loginwithiota/verifier/ldproof/jcs"
	"github.com/loginwithiota/verifier/ldproof/jsonld"
)

func benchDoc(t testing.TB, id string) *did.Document {
	t.Helper()
	doc, err := did.ParseDocument(testshared.ReadBenchKeys(t).Docs[id])
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// benchJSONLD serves the bench's example claims context besides the
// built-in ones, as an operator would configure it.
func benchJSONLD(t testing.TB) *jsonld.Processor {
	p, err := jsonld.New(jsonld.Config{Contexts: testshared.BenchContexts(t)})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// BenchmarkVerify measures a full verification of every proof of the
// bench files (bench/README.md) — the VP's (authentication, challenge,
// domain) and each embedded VC's (assertionMethod) — with the issuer's and
// holder's DID documents pinned, against the floor: the two bare Ed25519
// checks of vp1-jcs.json over precomputed signing inputs.
func BenchmarkVerify(b *testing.B) {
	k := testshared.ReadBenchKeys(b)
	reg := did.NewRegistry()
	for _, id := range []string{"did:example:issuer", "did:example:holder"} {
		reg.Pin(benchDoc(b, id))
	}
	keys := registryKeys{reg: reg}
	ld := benchJSONLD(b)
	ctx := context.Background()
	vpOpts := ldproof.Options{Purpose: ldproof.PurposeAuthentication, Challenge: k.Challenge, Domain: k.Domain, JSONLD: ld}
	vcOpts := ldproof.Options{Purpose: ldproof.PurposeAssertionMethod, JSONLD: ld}
	verifyFile := func(b *testing.B, name string) {
		vp := testshared.ReadJSON(b, "bench", name)
		vcs := credentials(b, vp)
		check := func() {
			if _, err := ldproof.Verify(ctx, vp, keys, vpOpts); err != nil {
				b.Fatal(err)
			}
			for _, vc := range vcs {
				if _, err := ldproof.Verify(ctx, vc, keys, vcOpts); err != nil {
					b.Fatal(err)
				}
			}
		}
		check() // warm the context cache, and fail early
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			check()
		}
	}

	b.Run("ed25519-only", func(b *testing.B) {
		vp := testshared.ReadJSON(b, "bench", "vp1-jcs.json")
		vc := credentials(b, vp)[0]
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
		for b.Loop() {
			for _, c := range checks {
				if !ed25519.Verify(c.pub, c.msg, c.sig) {
					b.Fatal("bench vector does not verify")
				}
			}
		}
	})
	b.Run("jcs-1vc", func(b *testing.B) { verifyFile(b, "vp1-jcs.json") })
	b.Run("jcs-3vc", func(b *testing.B) { verifyFile(b, "vp3-jcs.json") })
	b.Run("ed25519-2020-1vc", func(b *testing.B) { verifyFile(b, "vp1-ed25519-2020.json") })
	b.Run("ed25519-2020-3vc", func(b *testing.B) { verifyFile(b, "vp3-ed25519-2020.json") })
}

// BenchmarkCanonicalizePoison measures refusing each of issue 9's hostile
// presentations with ldproof.Inspect (decoded once; the key of the bench
// holder pinned): what a wallet can make a verifier spend on one answer.
func BenchmarkCanonicalizePoison(b *testing.B) {
	reg := did.NewRegistry()
	reg.Pin(benchDoc(b, "did:example:holder"))
	keys := registryKeys{reg: reg}
	opts := ldproof.Options{Purpose: ldproof.PurposeAuthentication}
	for _, c := range []struct {
		name string
		raw  []byte
	}{
		{"id-less-nodes", poison.IDLessNodes(4500)},
		{"alike-nodes-in-budget", poison.IDLessNodes(1000)},
		{"many-values", poison.ManyValues(16000)},
		{"deep-nesting", poison.DeepNesting(4500)},
		{"many-proofs", poison.ManyProofs(300, 1000)},
		{"json-gold-panic", poison.PanicContext()},
	} {
		b.Run(c.name, func(b *testing.B) {
			doc := poison.Decode(c.raw)
			b.SetBytes(int64(len(c.raw)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ldproof.Inspect(context.Background(), doc, keys, opts); err == nil {
					b.Fatal("hostile presentation verified")
				}
			}
		})
	}
}
