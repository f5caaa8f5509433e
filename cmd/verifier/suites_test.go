package main

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/loginwithiota/verifier/did/key"
	"github.com/loginwithiota/verifier/internal/testshared"
	"github.com/loginwithiota/verifier/ldproof"
	"github.com/loginwithiota/verifier/session"
)

// suiteService is a fixtureService on the vectors' config (pinned DID
// documents, the any-credential definition) plus extra: the shared vectors
// and the independent fixtures carry a fixed challenge, so the test gives a
// started session that nonce, as if the verifier had issued it.
type suiteService struct{ *fixtureService }

func startSuiteService(t *testing.T, extra string) *suiteService {
	t.Helper()
	return &suiteService{startFixtureService(t, "suites", string(testshared.ReadFile(t, vectorConfig(t)))+extra)}
}

// answer starts a login for definition, gives it nonce, posts vp as the
// wallet would, and returns the HTTP status, the error reason and the
// session's final status.
func (s *suiteService) answer(definition, nonce string, vp map[string]any) (int, string, status) {
	s.t.Helper()
	c := s.site.start(definition, "cross-device")
	u, err := url.Parse(c.AuthorizationRequest)
	if err != nil {
		s.t.Fatal(err)
	}
	state := u.Query().Get("state")
	if _, err := s.store.Update(context.Background(), c.ID, func(sess session.Session) (session.Session, error) {
		sess.Nonce = nonce
		return sess, nil
	}); err != nil {
		s.t.Fatal(err)
	}
	token, _ := json.Marshal(vp)
	path := "$.verifiableCredential[0]"
	if _, single := vp["verifiableCredential"].(map[string]any); single {
		path = "$.verifiableCredential"
	}
	sub := fmt.Sprintf(`{"id":"s","definition_id":%q,"descriptor_map":[{"id":"credential","format":"ldp_vp","path":"$",
		"path_nested":{"id":"credential","format":"ldp_vc","path":%q}}]}`, definition, path)
	form := url.Values{"vp_token": {string(token)}, "presentation_submission": {sub}, "state": {state}}
	code, _, body := s.site.do("POST", "/oid4vp/response", "application/x-www-form-urlencoded", form.Encode(), nil)
	reason := ""
	if code != http.StatusOK {
		var e oauthError
		_ = json.Unmarshal(body, &e)
		reason = e.Reason
		if reason == "" {
			reason = string(body)
		}
	}
	return code, reason, s.site.status(c)
}

// Presentations signed by independent implementations log in through the
// service; with one term changed, or an undefined term added, they fail.
func TestServiceIndependentImplementations(t *testing.T) {
	s := startSuiteService(t, "")
	var manifest struct{ Holder string }
	if err := json.Unmarshal(testshared.ReadFile(t, filepath.Join(independent, "manifest.json")), &manifest); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"ed25519-2020", "ed25519-2018", "eddsa-rdfc-2022", "eddsa-jcs-2022", "jws-2020-ed25519", "jws-2020-p256"} {
		t.Run(name, func(t *testing.T) {
			s.t = t
			s.site.t = t
			vp := testshared.ReadJSONFile(t, filepath.Join(independent, name+".vp.json"))
			code, reason, st := s.answer("any-credential", indChallenge, vp)
			if code != http.StatusOK || st.Status != "verified" || st.Result == nil || st.Result.Holder != manifest.Holder {
				t.Fatalf("%d %s, status %+v", code, reason, st)
			}
			changed := testshared.ReadJSONFile(t, filepath.Join(independent, name+".vp.json"))
			subject := changed["verifiableCredential"].([]any)[0].(map[string]any)["credentialSubject"].(map[string]any)
			subject["id"] = subject["id"].(string) + "x"
			if code, reason, st := s.answer("any-credential", indChallenge, changed); code != 400 || reason != "invalid_vp_proof" || st.Status != "failed" {
				t.Errorf("term changed: %d %s %s", code, reason, st.Status)
			}
			added := testshared.ReadJSONFile(t, filepath.Join(independent, name+".vp.json"))
			added["verifiableCredential"].([]any)[0].(map[string]any)["credentialSubject"].(map[string]any)["nickname"] = "Al"
			if code, reason, _ := s.answer("any-credential", indChallenge, added); code != 400 || reason != "invalid_vp_proof" {
				t.Errorf("undefined term added: %d %s", code, reason)
			}
			// The same presentation for another verifier (nonce) is a replay.
			if code, reason, _ := s.answer("any-credential", "another-nonce", vp); code != 400 || reason != "nonce_mismatch" {
				t.Errorf("other nonce: %d %s", code, reason)
			}
		})
	}
}

// rfc8032Test2 is the secret key of RFC 8032's TEST 2, whose public key
// is did:foo:586Z…'s (the holder of IOTA's presentation fixtures).
const rfc8032Test2 = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"

// The shared vectors through the service. A presentation with a fixed
// challenge gets it as its session's nonce; its domain is not our
// client_id, and the service compares challenge and domain before any
// signature (cheap checks first), so each fails as domain_mismatch, or as
// nonce_mismatch where the vector changed its challenge, without a
// signature checked: the tampered ones' signatures are tested offline
// (verify_test.go, ldproof's vectors). A credential of a vector is
// presented in a fresh presentation by a test holder: the service reaches
// the credential's own proof, and answers what the vectors' README says of
// it.
func TestServiceVectors(t *testing.T) {
	s := startSuiteService(t, "")
	jcs := func(p string) string { return testshared.Path(t, "vectors", "jcs-ed25519-2020", p) }
	di := func(p string) string { return testshared.Path(t, "vectors", "di-eddsa", p) }
	ed20 := func(p string) string { return testshared.Path(t, "vectors", "ed25519-2020", p) }
	ed18 := func(p string) string { return testshared.Path(t, "vectors", "ed25519-2018", p) }

	presentations := []struct {
		file, challenge, reason string
	}{
		{jcs("iota-signed-presentation/presentation.json"), iotaChallenge, "domain_mismatch"},
		{jcs("iota-signed-presentation/presentation-two-issuers.0908e12.json"), iotaChallenge, "domain_mismatch"},
		{jcs("positive-variants/iota-presentation.reordered-keys.json"), iotaChallenge, "domain_mismatch"},
		{jcs("negative/iota-presentation.vc-changed-claim.json"), iotaChallenge, "domain_mismatch"},
		{jcs("negative/iota-presentation.changed-challenge.json"), iotaChallenge, "nonce_mismatch"},
		{jcs("negative/iota-presentation.changed-holder.json"), iotaChallenge, "domain_mismatch"},
		{jcs("negative/iota-presentation.vc-vm-swapped-to-holder-key.json"), iotaChallenge, "domain_mismatch"},
		{ed20("trustbloc-vc-go/example_presentation_2_ed25519.json"), chapiChallenge, "domain_mismatch"},
		{ed20("trustbloc-vc-go/example_presentation_3_ed25519.json"), chapiChallenge, "domain_mismatch"},
		{ed20("negative/chapi-presentation.changed-domain.json"), chapiChallenge, "domain_mismatch"},
		{di("trustbloc-vc-go/example_presentation_1_ed25519.jsonld"), "ubXbWYV5hUDu1VCy2b75qKg", "domain_mismatch"},
		{ed18("dif-pex-sample-implementation/vp-ld.json"), "123", "domain_mismatch"},
	}
	for _, tt := range presentations {
		t.Run("VP "+filepath.Base(tt.file), func(t *testing.T) {
			s.t, s.site.t = t, t
			code, reason, st := s.answer("any-credential", tt.challenge, testshared.ReadJSONFile(t, tt.file))
			if code != 400 || reason != tt.reason || st.Status != "failed" {
				t.Errorf("%d %s %s, want %s", code, reason, st.Status, tt.reason)
			}
		})
	}

	// The IOTA holder's own key signs fresh presentations of its credentials.
	iotaHolder := ed25519.NewKeyFromSeed(must(hex.DecodeString(rfc8032Test2)))
	const fooDID = "did:foo:586Z7H2vpX9qNhN2T4e9Utugie3ogjbxzGaMtM3E6HR5"
	other := ed25519.NewKeyFromSeed(make([]byte, 32))
	otherDID, otherVM := key.FromEd25519(other.Public().(ed25519.PublicKey))
	credentials := []struct {
		file   string
		index  int // in the file's verifiableCredential, -1: the file is the credential
		iota   bool
		reason string // "" = verified
	}{
		{jcs("iota-signed-presentation/presentation.json"), 0, true, ""},
		{jcs("iota-signed-presentation/presentation-two-issuers.0908e12.json"), 0, true, ""},
		{jcs("iota-signed-presentation/presentation-two-issuers.0908e12.json"), 1, true, ""},
		{jcs("iota-revocation-bitmap-2022/spec-example-credential.json"), -1, false, "invalid_vc_proof"},
		{jcs("negative/iota-presentation.vc-changed-claim.json"), 0, true, "invalid_vc_proof"},
		{jcs("negative/iota-presentation.vc-vm-swapped-to-holder-key.json"), 0, true, "invalid_vc_proof"},
		{ed18("dif-pex-sample-implementation/vc-ld.json"), -1, false, "holder_binding_failed"},
		{ed18("negative/vc-ld.changed-claim.json"), -1, false, "invalid_vc_proof"},
		{ed18("negative/vc-ld.changed-proof-created.json"), -1, false, "invalid_vc_proof"},
		{ed18("negative/vc-ld.changed-jws-header.json"), -1, false, "invalid_vc_proof"},
		{ed20("w3c-vc-di-eddsa/signedEdSig.json"), -1, false, "issuer_key_mismatch"},
		{ed20("negative/signedEdSig.changed-claim.json"), -1, false, "invalid_vc_proof"},
		{ed20("negative/signedEdSig.relabelled-as-eddsa-rdfc-2022.json"), -1, false, "invalid_vc_proof"},
		{ed20("trustbloc-vc-go/example_presentation_2_ed25519.json"), 0, false, "holder_binding_failed"},
		{di("eddsa-rdfc-2022/signedDataInt.json"), -1, false, "issuer_key_mismatch"},
		{di("eddsa-rdfc-2022/employ/signedDataInt.json"), -1, false, "issuer_key_mismatch"},
		{di("eddsa-jcs-2022/signedJCS.json"), -1, false, "issuer_key_mismatch"},
		{di("proof-set-chain/signedProofSet2.json"), -1, false, "issuer_key_mismatch"},
		{di("proof-set-chain/signedProofChain2.json"), -1, false, "issuer_key_mismatch"},
		{di("positive-variants/signedDataInt.reordered-keys.json"), -1, false, "issuer_key_mismatch"},
		{di("positive-variants/signedJCS.reordered-keys.json"), -1, false, "issuer_key_mismatch"},
		{di("trustbloc-vc-go/example_presentation_1_ed25519.jsonld"), 0, false, "holder_binding_failed"},
		{di("negative/signedDataInt.changed-claim.json"), -1, false, "invalid_vc_proof"},
		{di("negative/signedDataInt.changed-proof-purpose.json"), -1, false, "invalid_vc_proof"},
		{di("negative/signedDataInt.wrong-key.json"), -1, false, "invalid_vc_proof"},
		{di("negative/signedJCS.changed-claim.json"), -1, false, "invalid_vc_proof"},
		{di("negative/signedJCS.changed-proof-created.json"), -1, false, "invalid_vc_proof"},
		{di("negative/signedJCS.cryptosuite-swapped-to-rdfc.json"), -1, false, "invalid_vc_proof"},
	}
	for _, tt := range credentials {
		name := filepath.Base(tt.file)
		if tt.index >= 0 {
			name += fmt.Sprintf(" VC %d", tt.index)
		}
		t.Run(name, func(t *testing.T) {
			s.t, s.site.t = t, t
			vc := testshared.ReadJSONFile(t, tt.file)
			if tt.index >= 0 {
				switch list := vc["verifiableCredential"].(type) {
				case []any:
					vc = list[tt.index].(map[string]any)
				case map[string]any:
					vc = list
				}
			}
			holder, vm, priv := otherDID, otherVM, other
			if tt.iota {
				holder, vm, priv = fooDID, fooDID+"#root", iotaHolder
			}
			vp, err := ldproof.SignJcsEd25519(map[string]any{
				"@context":             []any{"https://www.w3.org/2018/credentials/v1"},
				"type":                 []any{"VerifiablePresentation"},
				"holder":               holder,
				"verifiableCredential": []any{vc},
			}, map[string]any{"verificationMethod": vm, "proofPurpose": "authentication",
				"challenge": "n-" + randomHex(8), "domain": "https://verifier.example/oid4vp/response"}, priv)
			if err != nil {
				t.Fatal(err)
			}
			nonce := vp["proof"].(map[string]any)["challenge"].(string)
			code, reason, st := s.answer("any-credential", nonce, vp)
			if tt.reason == "" {
				if code != 200 || st.Status != "verified" {
					t.Fatalf("%d %s %+v", code, reason, st.Error)
				}
				return
			}
			if code != 400 || reason != tt.reason {
				t.Errorf("%d %s, want %s", code, reason, tt.reason)
			}
		})
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
