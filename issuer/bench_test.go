package issuer

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	didkey "github.com/loginwithiota/verifier/did/key"
)

// BenchmarkCredential is one credential request (the proof verified, the
// nonce spent, the token claimed, the credential signed) per format.
func BenchmarkCredential(b *testing.B) {
	iss := fuzzIssuer(b)
	iss.cfg.Configurations = append(iss.cfg.Configurations, Configuration{ID: "C", Format: FormatLDPVC, ProofType: ProofEdDSARDFC, Types: []string{"X"}})
	c := &iss.cfg.Configurations[len(iss.cfg.Configurations)-1]
	if err := c.normalize(AlgEdDSA); err != nil {
		b.Fatal(err)
	}
	iss.configs["C"] = c
	iss.cfg.Configurations = append(iss.cfg.Configurations, Configuration{ID: "D", Format: FormatSDJWT, VCT: "X"})
	d := &iss.cfg.Configurations[len(iss.cfg.Configurations)-1]
	if err := d.normalize(AlgEdDSA); err != nil {
		b.Fatal(err)
	}
	iss.configs["D"] = d
	_, hk, _ := ed25519.GenerateKey(rand.Reader)
	_, kid := didkey.FromEd25519(hk.Public().(ed25519.PublicKey))
	ctx := context.Background()
	for name, cfg := range map[string]string{"ldp_vc-JcsEd25519Signature2020": "A", "jwt_vc_json-EdDSA": "B", "ldp_vc-eddsa-rdfc-2022": "C", "dc+sd-jwt-EdDSA": "D"} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				o, _ := iss.CreateOffer(ctx, OfferRequest{ConfigurationIDs: []string{cfg}, Claims: map[string]any{"givenName": "Jane"}})
				code := o.Object["grants"].(map[string]any)[GrantPreAuthorizedCode].(map[string]any)["pre-authorized_code"].(string)
				tok, _ := iss.Token(ctx, TokenRequest{GrantType: GrantPreAuthorizedCode, PreAuthorizedCode: code})
				n, _ := iss.Nonce(ctx)
				payload, _ := json.Marshal(map[string]any{"aud": iss.Identifier(), "iat": time.Now().Unix(), "nonce": n})
				s, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: hk}, (&jose.SignerOptions{}).WithType(ProofJWTType).WithHeader("kid", kid))
				jws, _ := s.Sign(payload)
				proof, _ := jws.CompactSerialize()
				body, _ := json.Marshal(map[string]any{"credential_configuration_id": cfg, "proofs": map[string]any{"jwt": []string{proof}}})
				b.StartTimer()
				if _, err := iss.Credential(ctx, tok.AccessToken, body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
