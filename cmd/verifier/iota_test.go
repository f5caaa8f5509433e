package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/loginwithiota/verifier/internal/testshared"
)

// iotaDefinitions ask for the fixtures' degree credential as JWTs, the way
// IOTA wallets send it, with the field paths wallets write.
const iotaDefinitions = `presentation_definitions:
  - id: iota-degree
    format:
      jwt_vp_json: {alg: [EdDSA]}
      jwt_vc_json: {alg: [EdDSA]}
    input_descriptors:
      - id: degree
        constraints:
          fields:
            - path: ["$.vc.credentialSubject.degree.type"]
              filter: {type: string, const: BachelorDegree}
            - path: ["$.credentialSubject.name"]
              filter: {type: string}
            - path: ["$.type"]
              filter: {type: string, pattern: UniversityDegreeCredential}
  - id: iota-degree-active
    input_descriptors:
      - id: degree
        format: {jwt_vc_json: {alg: [EdDSA]}}
        constraints:
          statuses:
            active: {directive: required, type: [RevocationBitmap2022]}
  - id: iota-degree-es256
    format:
      jwt_vc_json: {alg: [ES256]}
    input_descriptors:
      - id: degree
        constraints:
          fields:
            - path: ["$.type"]
              filter: {type: string, pattern: UniversityDegreeCredential}
`

// iotaNodes starts the fixture networks, testnet and mainnet.
func iotaNodes(t *testing.T, l *iotaLogin) (testnet, mainnet *testshared.IOTANode) {
	return testshared.NewIOTANode(t, l.RPC.Chains["testnet"], l.RPC.Objects["testnet"], nil),
		testshared.NewIOTANode(t, l.RPC.Chains["mainnet"], l.RPC.Objects["mainnet"], l.RPC.DynamicFields["mainnet"])
}

func iotaDIDConfig(testnet, mainnet *testshared.IOTANode, methods string) string {
	return fmt.Sprintf(`dids:
  methods: [%s]
  iota:
    networks:
      - {name: testnet, endpoint: %q}
      - {name: iota, endpoint: %q}
`, methods, testnet.URL, mainnet.URL)
}

// JWT presentations made by IOTA's own library (Ed25519 did:iota issuers,
// a did:jwk and a did:iota holder) log in through the service, cross-device
// and same-device, with did:iota resolved by the JSON-RPC client against
// fixture nodes named in the config file (the Rebased identity, and the
// Stardust alias migrated through the registry); a wrong nonce, a wrong
// audience, an expired credential, a revoked credential
// (RevocationBitmap2022) and a tampered payload each fail with their own
// reason.
func TestServiceIOTAJWTLogin(t *testing.T) {
	l := loadIOTALogin(t)
	testnet, mainnet := iotaNodes(t, l)
	s := startIOTAService(t, iotaDIDConfig(testnet, mainnet, "key, jwk, iota")+iotaDefinitions)
	sub := jwtSubmission("iota-degree", "degree", 0)

	for _, flow := range []string{"cross-device", "same-device"} {
		t.Run("verified "+flow, func(t *testing.T) {
			s.t, s.site.t = t, t
			out := s.answer("iota-degree", flow, l.Nonce, l.Tokens["vpJwk"], sub)
			wantCode := http.StatusOK
			if flow == "same-device" {
				wantCode = http.StatusSeeOther
			}
			if out.code != wantCode || out.status != "verified" {
				t.Fatalf("%d %s, session %s", out.code, out.reason, out.status)
			}
			r := out.st.Result
			if r.Holder != l.DIDs.JWKHolder || len(r.Credentials) != 1 || r.Credentials[0].Issuer != l.DIDs.Issuer ||
				!slices.Contains(r.Credentials[0].Type, "UniversityDegreeCredential") ||
				r.Credentials[0].CredentialSubject["name"] != "Alice" || r.Credentials[0].CredentialSubject["id"] != l.DIDs.JWKHolder {
				t.Fatalf("result %+v", r)
			}
			// Beside the contract's members: formats, DID methods, status.
			extras, _ := json.Marshal(map[string]any{"formats": out.result["formats"], "did_methods": out.result["did_methods"],
				"format": out.result["credentials"].([]any)[0].(map[string]any)["format"],
				"status": out.result["credentials"].([]any)[0].(map[string]any)["status"]})
			want := `{"did_methods":["iota","jwk"],"format":"jwt_vc_json","formats":["jwt_vp_json"],"status":{"methods":["RevocationBitmap2022"],"state":"active"}}`
			if string(extras) != want {
				t.Errorf("result extras %s, want %s", extras, want)
			}
		})
	}
	if testnet.Count("iota_getObject") == 0 || testnet.Count("iota_getChainIdentifier") != 1 {
		t.Errorf("testnet node calls: getObject %d, getChainIdentifier %d (checked once)", testnet.Count("iota_getObject"), testnet.Count("iota_getChainIdentifier"))
	}

	t.Run("did:iota holder, migrated-alias issuer", func(t *testing.T) {
		s.t, s.site.t = t, t
		out := s.answer("iota-degree", "cross-device", l.Nonce, l.Tokens["vpIota"], sub)
		if out.code != http.StatusOK || out.status != "verified" {
			t.Fatalf("%d %s", out.code, out.reason)
		}
		r := out.st.Result
		if r.Holder != l.DIDs.IOTAHolder || r.Credentials[0].Issuer != l.DIDs.AliasIssuer {
			t.Errorf("holder %s issuer %s", r.Holder, r.Credentials[0].Issuer)
		}
		if mainnet.Count("iotax_getDynamicFieldObject") == 0 {
			t.Error("the alias issuer was not resolved through the migration registry")
		}
		if m, _ := json.Marshal(out.result["did_methods"]); string(m) != `["iota"]` {
			t.Errorf("did_methods %s", m)
		}
	})

	tampered := testshared.TamperJWT(t, l.Tokens["vpJwk"], func(claims map[string]any) {
		vc := claims["vp"].(map[string]any)["verifiableCredential"].([]any)
		vc[0] = testshared.TamperJWT(t, vc[0].(string), func(c map[string]any) {
			c["vc"].(map[string]any)["credentialSubject"].(map[string]any)["name"] = "Mallory"
		})
	})
	failures := []struct {
		name, definition, nonce, token, reason string
	}{
		{"wrong nonce", "iota-degree", "another-session-nonce", l.Tokens["vpJwk"], "nonce_mismatch"},
		{"wrong audience", "iota-degree", l.Nonce, l.Tokens["vpJwkOtherAudience"], "audience_mismatch"},
		{"expired credential", "iota-degree", l.Nonce, l.Tokens["vpJwkExpired"], "credential_expired"},
		{"revoked credential (RevocationBitmap2022)", "iota-degree", l.Nonce, l.Tokens["vpJwkRevoked"], "revoked"},
		{"tampered payload", "iota-degree", l.Nonce, tampered, "invalid_vp_proof"},
		{"statuses: active required, revoked", "iota-degree-active", l.Nonce, l.Tokens["vpJwkRevoked"], "presentation_definition_not_satisfied"},
		{"alg not allowed by the definition", "iota-degree-es256", l.Nonce, l.Tokens["vpJwk"], "presentation_definition_not_satisfied"},
		// The answer is decoded once, before the query: a token that does
		// not parse as a JWT is a malformed vp_token.
		{"not a JWT", "iota-degree", l.Nonce, "eyJhbGciOiJFZERTQSJ9.bm90IGpzb24.c2ln", "malformed_vp_token"},
	}
	for _, tt := range failures {
		t.Run(tt.name, func(t *testing.T) {
			s.t, s.site.t = t, t
			out := s.answer(tt.definition, "cross-device", tt.nonce, tt.token, jwtSubmission(tt.definition, "degree", 0))
			if out.code != http.StatusBadRequest || out.reason != tt.reason || out.status != "failed" {
				t.Errorf("%d %s, session %s; want 400 %s", out.code, out.reason, out.status, tt.reason)
			}
		})
	}
	t.Run("statuses: active required, active", func(t *testing.T) {
		s.t, s.site.t = t, t
		out := s.answer("iota-degree-active", "same-device", l.Nonce, l.Tokens["vpJwk"], jwtSubmission("iota-degree-active", "degree", 0))
		if out.code != http.StatusSeeOther || out.status != "verified" {
			t.Errorf("%d %s", out.code, out.reason)
		}
	})
}

// Pinned did:iota documents stand in for resolution (air-gapped), and
// without "iota" in dids.methods no node is ever asked, even with
// networks configured.
func TestServiceIOTAPinnedAndDisabled(t *testing.T) {
	l := loadIOTALogin(t)
	testnet, mainnet := iotaNodes(t, l)
	issuerDoc, _ := json.Marshal(l.Documents["issuer"])
	cfg := iotaDIDConfig(testnet, mainnet, "key, jwk") + "  pinned:\n    - document: " + string(issuerDoc) + "\n" + iotaDefinitions
	s := startIOTAService(t, cfg)
	sub := jwtSubmission("iota-degree", "degree", 0)

	out := s.answer("iota-degree", "cross-device", l.Nonce, l.Tokens["vpJwk"], sub)
	if out.code != http.StatusOK || out.status != "verified" {
		t.Fatalf("pinned issuer: %d %s", out.code, out.reason)
	}
	out = s.answer("iota-degree", "cross-device", l.Nonce, l.Tokens["vpJwkRevoked"], sub)
	if out.reason != "revoked" {
		t.Errorf("pinned issuer, revoked: %d %s", out.code, out.reason)
	}
	out = s.answer("iota-degree", "cross-device", l.Nonce, l.Tokens["vpIota"], sub)
	if out.code != http.StatusBadRequest || out.reason != "invalid_vp_proof" {
		t.Errorf("did:iota holder with did:iota off: %d %s", out.code, out.reason)
	}
	if n := testnet.Total() + mainnet.Total(); n != 0 {
		t.Errorf("the nodes got %d calls with did:iota disabled", n)
	}
}
