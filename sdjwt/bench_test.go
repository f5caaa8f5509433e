package sdjwt_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/sdjwt"
)

// BenchmarkVerify10Disclosures verifies an SD-JWT VC presenting 10
// disclosures with a KB-JWT (issuer and holder EdDSA, and ES256).
func BenchmarkVerify10Disclosures(b *testing.B) {
	for _, alg := range []string{"EdDSA", "ES256"} {
		b.Run(alg, func(b *testing.B) {
			issuerKey, holderKey := sdjwt.Signer{Key: edKey(0)}, sdjwt.Signer{Key: edKey(1)}
			if alg == "ES256" {
				issuerKey, holderKey = sdjwt.Signer{Key: ecKey(b)}, sdjwt.Signer{Key: ecKey(b)}
			}
			jwk, _ := sdjwt.JWKOf(holderKey.Key.Public())
			claims := map[string]any{"vct": testVCT, "iss": testIssuer, "cnf": map[string]any{"jwk": jwk}}
			var paths []sdjwt.Path
			for i := range 10 {
				name := fmt.Sprintf("claim_%d", i)
				claims[name] = fmt.Sprintf("value %d", i)
				paths = append(paths, sdjwt.Path{name})
			}
			issued, err := sdjwt.Issue(claims, paths, issuerKey, sdjwt.IssueOptions{Decoys: 4})
			if err != nil {
				b.Fatal(err)
			}
			pres, err := sdjwt.Present(issued, sdjwt.DiscloseAll, &sdjwt.Holder{Signer: holderKey, Nonce: testNonce, Audience: testAudience, IssuedAt: now})
			if err != nil {
				b.Fatal(err)
			}
			o := sdjwt.Options{Keys: staticKeys{issuerKey.Key.Public()}, RequireKeyBinding: true, Nonce: testNonce, Audience: testAudience,
				Now: func() time.Time { return now }}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				c, err := sdjwt.Verify(ctx, pres, o)
				if err != nil || len(c.Disclosures) != 10 {
					b.Fatal(err)
				}
			}
		})
	}
}
