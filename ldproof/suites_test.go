package ldproof_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"reflect"
	"strings"
	"testing"

	"github.com/loginwithiota/verifier/did/key"
	"github.com/loginwithiota/verifier/internal/testshared"
	"github.com/loginwithiota/verifier/ldproof"
)

// vectorsDir is the vector folder, relative to the shared folder.
const vectorsDir = "vectors"

const (
	chapiChallenge = "3779e883a51a8086039db1d4e773aec26faeb3ee99643706345c572cddded857"
	chapiDomain    = "https://playground.chapi.io"
	w3cChallenge   = "ubXbWYV5hUDu1VCy2b75qKg"
	w3cDomain      = "github.com/w3c/vc-data-model-2.0-test-suite"
)

// Every signature vector of the other suites, through Verify with did:key
// resolution: the result vectors/README.md states.
func TestSuiteVectors(t *testing.T) {
	assertion := ldproof.Options{Purpose: ldproof.PurposeAssertionMethod, Now: now}
	auth := func(challenge, domain string) ldproof.Options {
		return ldproof.Options{Purpose: ldproof.PurposeAuthentication, Challenge: challenge, Domain: domain, Now: now}
	}
	doc := func(path string) func(*testing.T) map[string]any { return file(vectorsDir, path) }
	cred := func(path string) func(*testing.T) map[string]any { return vc(0, vectorsDir, path) }
	chapi2 := "ed25519-2020/trustbloc-vc-go/example_presentation_2_ed25519.json"
	chapi3 := "ed25519-2020/trustbloc-vc-go/example_presentation_3_ed25519.json"
	w3cVP := "di-eddsa/trustbloc-vc-go/example_presentation_1_ed25519.jsonld"
	difVP := "ed25519-2018/dif-pex-sample-implementation/vp-ld.json"

	tests := []struct {
		name   string
		doc    func(*testing.T) map[string]any
		opts   ldproof.Options
		want   string
		proofs int
	}{
		{"eddsa-rdfc-2022", doc("di-eddsa/eddsa-rdfc-2022/signedDataInt.json"), assertion, "", 1},
		{"eddsa-rdfc-2022 employment", doc("di-eddsa/eddsa-rdfc-2022/employ/signedDataInt.json"), assertion, "", 1},
		{"eddsa-jcs-2022", doc("di-eddsa/eddsa-jcs-2022/signedJCS.json"), assertion, "", 1},
		{"Ed25519Signature2020", doc("ed25519-2020/w3c-vc-di-eddsa/signedEdSig.json"), assertion, "", 1},
		{"Ed25519Signature2018", doc("ed25519-2018/dif-pex-sample-implementation/vc-ld.json"), assertion, "", 1},
		{"proof set 1", doc("di-eddsa/proof-set-chain/signedProofSet1.json"), assertion, "", 1},
		{"proof set 2", doc("di-eddsa/proof-set-chain/signedProofSet2.json"), assertion, "", 2},
		{"proof chain 1", doc("di-eddsa/proof-set-chain/signedProofChain1.json"), assertion, "", 3},
		{"proof chain 2", doc("di-eddsa/proof-set-chain/signedProofChain2.json"), assertion, "", 4},
		{"rdfc re-ordered keys", doc("di-eddsa/positive-variants/signedDataInt.reordered-keys.json"), assertion, "", 1},
		{"jcs re-ordered keys", doc("di-eddsa/positive-variants/signedJCS.reordered-keys.json"), assertion, "", 1},

		{"W3C VC 2.0 VP", doc(w3cVP), auth(w3cChallenge, w3cDomain), "", 1},
		{"W3C VC 2.0 VP's VC", cred(w3cVP), assertion, "", 1},
		{"CHAPI VP", doc(chapi2), auth(chapiChallenge, chapiDomain), "", 1},
		{"CHAPI VP's VC", cred(chapi2), assertion, "", 1},
		{"CHAPI VP, holder object", doc(chapi3), auth(chapiChallenge, chapiDomain), "", 1},
		{"CHAPI VP, holder object, VC", cred(chapi3), assertion, "", 1},
		{"DIF PEX VP's VC", cred(difVP), assertion, "", 1},
		// Valid only if canonicalization silently drops its relative id.
		{"DIF PEX VP (relative id: safe mode)", doc(difVP), auth("123", ""), ldproof.CodeUnsafeDocument, 0},

		{"CHAPI VP, wrong challenge", doc(chapi2), auth("other", chapiDomain), ldproof.CodeChallengeMismatch, 0},
		{"CHAPI VP, wrong domain", doc(chapi2), auth(chapiChallenge, "https://verifier.example"), ldproof.CodeDomainMismatch, 0},
		{"VC proof as VP proof", doc("di-eddsa/eddsa-rdfc-2022/signedDataInt.json"), auth("", ""), ldproof.CodeWrongProofPurpose, 0},

		{"negative rdfc changed claim", doc("di-eddsa/negative/signedDataInt.changed-claim.json"), assertion, ldproof.CodeInvalidSignature, 0},
		{"negative rdfc changed purpose", doc("di-eddsa/negative/signedDataInt.changed-proof-purpose.json"), auth("", ""), ldproof.CodeInvalidSignature, 0},
		{"negative rdfc wrong key", doc("di-eddsa/negative/signedDataInt.wrong-key.json"), assertion, ldproof.CodeInvalidSignature, 0},
		{"negative jcs changed claim", doc("di-eddsa/negative/signedJCS.changed-claim.json"), assertion, ldproof.CodeInvalidSignature, 0},
		{"negative jcs changed created", doc("di-eddsa/negative/signedJCS.changed-proof-created.json"), assertion, ldproof.CodeInvalidSignature, 0},
		{"negative jcs relabelled rdfc", doc("di-eddsa/negative/signedJCS.cryptosuite-swapped-to-rdfc.json"), assertion, ldproof.CodeInvalidSignature, 0},
		{"negative 2020 changed claim", doc("ed25519-2020/negative/signedEdSig.changed-claim.json"), assertion, ldproof.CodeInvalidSignature, 0},
		{"negative 2020 relabelled rdfc", doc("ed25519-2020/negative/signedEdSig.relabelled-as-eddsa-rdfc-2022.json"), assertion, ldproof.CodeInvalidSignature, 0},
		{"negative CHAPI changed domain", doc("ed25519-2020/negative/chapi-presentation.changed-domain.json"), auth(chapiChallenge, ""), ldproof.CodeInvalidSignature, 0},
		{"negative CHAPI changed domain, VC", cred("ed25519-2020/negative/chapi-presentation.changed-domain.json"), assertion, "", 1},
		{"negative 2018 changed claim", doc("ed25519-2018/negative/vc-ld.changed-claim.json"), assertion, ldproof.CodeInvalidSignature, 0},
		{"negative 2018 changed created", doc("ed25519-2018/negative/vc-ld.changed-proof-created.json"), assertion, ldproof.CodeInvalidSignature, 0},
		{"negative 2018 changed header", doc("ed25519-2018/negative/vc-ld.changed-jws-header.json"), assertion, ldproof.CodeInvalidSignature, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.doc(t)
			before := deepCopy(t, d)
			res, err := ldproof.Verify(context.Background(), d, didKeys(), tt.opts)
			wantCode(t, err, tt.want)
			if err != nil {
				t.Log(err)
			}
			if err == nil && len(res) != tt.proofs {
				t.Errorf("%d results, want %d", len(res), tt.proofs)
			}
			if !reflect.DeepEqual(d, before) {
				t.Error("Verify modified the document")
			}
		})
	}
}

// A chained proof whose previous proof is missing, or a set with one bad
// proof, fails: every proof must verify.
func TestProofSetsAndChains(t *testing.T) {
	opts := ldproof.Options{Purpose: ldproof.PurposeAssertionMethod, Now: now}
	chain := testshared.ReadJSON(t, vectorsDir, "di-eddsa", "proof-set-chain", "signedProofChain2.json")
	proofs := chain["proof"].([]any)
	dropped := deepCopy(t, chain)
	dropped["proof"] = append([]any{}, proofs[0], proofs[1], proofs[3])
	res, err := ldproof.Inspect(context.Background(), dropped, didKeys(), opts)
	wantCode(t, err, ldproof.CodeMalformedProof)
	if len(res) != 3 || res[2].Err == nil || !strings.Contains(res[2].Err.Error(), "previousProof") || res[0].Err != nil {
		t.Errorf("results %+v", res)
	}
	tampered := deepCopy(t, chain)
	tampered["proof"].([]any)[1].(map[string]any)["created"] = "2023-02-24T23:36:39Z"
	res, err = ldproof.Inspect(context.Background(), tampered, didKeys(), opts)
	wantCode(t, err, ldproof.CodeInvalidSignature)
	// Proof 1 is broken, and proof 2 chains to it, so both fail; 0 and 3 pass.
	for i, want := range []bool{true, false, false, true} {
		if (res[i].Err == nil) != want {
			t.Errorf("proof %d: %v", i, res[i].Err)
		}
	}
}

// Sign and Verify round-trip every signing suite, and a changed claim or an
// undefined term fails.
func TestSignRoundTrip(t *testing.T) {
	ed := newWallet(7)
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p256DID, p256VM, err := key.FromP256(&p256.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	v2 := "https://www.w3.org/ns/credentials/v2"
	tests := []struct {
		proof    map[string]any
		priv     crypto.Signer
		issuer   string
		contexts []any
	}{
		{map[string]any{"type": "Ed25519Signature2020"}, ed.priv, ed.did, []any{"https://www.w3.org/2018/credentials/v1", "https://w3id.org/security/suites/ed25519-2020/v1"}},
		{map[string]any{"type": "Ed25519Signature2018"}, ed.priv, ed.did, []any{"https://www.w3.org/2018/credentials/v1"}},
		{map[string]any{"type": "JsonWebSignature2020"}, ed.priv, ed.did, []any{"https://www.w3.org/2018/credentials/v1", "https://w3id.org/security/suites/jws-2020/v1"}},
		{map[string]any{"type": "JsonWebSignature2020", "verificationMethod": p256VM}, p256, p256DID, []any{"https://www.w3.org/2018/credentials/v1", "https://w3id.org/security/suites/jws-2020/v1"}},
		{map[string]any{"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022"}, ed.priv, ed.did, []any{v2}},
		{map[string]any{"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022"}, ed.priv, ed.did, []any{v2}},
	}
	for _, tt := range tests {
		name := tt.proof["type"].(string) + " " + strings.TrimPrefix(tt.issuer, "did:key:")[:4]
		t.Run(name, func(t *testing.T) {
			date := "issuanceDate"
			if tt.contexts[0] == v2 {
				date = "validFrom"
			}
			doc := map[string]any{
				"@context":          tt.contexts,
				"type":              []any{"VerifiableCredential"},
				"issuer":            tt.issuer,
				date:                "2026-01-01T00:00:00Z",
				"credentialSubject": map[string]any{"id": "did:example:holder"},
			}
			proof := map[string]any{"proofPurpose": "assertionMethod", "created": "2026-01-01T00:00:00Z", "verificationMethod": ed.vm}
			for k, v := range tt.proof {
				proof[k] = v
			}
			signed, err := ldproof.Sign(doc, proof, tt.priv, nil)
			if err != nil {
				t.Fatal(err)
			}
			signed = deepCopy(t, signed)
			opts := ldproof.Options{Purpose: ldproof.PurposeAssertionMethod, Now: now}
			if _, err := ldproof.Verify(context.Background(), signed, didKeys(), opts); err != nil {
				t.Fatal(err)
			}
			changed := deepCopy(t, signed)
			changed[date] = "2026-01-02T00:00:00Z"
			_, err = ldproof.Verify(context.Background(), changed, didKeys(), opts)
			wantCode(t, err, ldproof.CodeInvalidSignature)

			added := deepCopy(t, signed)
			added["credentialSubject"].(map[string]any)["nickname"] = "Al"
			_, err = ldproof.Verify(context.Background(), added, didKeys(), opts)
			want := ldproof.CodeUnsafeDocument // no context defines it: safe mode
			if tt.proof["cryptosuite"] == "eddsa-jcs-2022" {
				want = ldproof.CodeInvalidSignature // JCS signs the JSON itself
			}
			wantCode(t, err, want)
		})
	}
}

func TestSupported(t *testing.T) {
	got := strings.Join(ldproof.Supported(), ",")
	want := "DataIntegrityProof/eddsa-jcs-2022,DataIntegrityProof/eddsa-rdfc-2022,Ed25519Signature2018,Ed25519Signature2020,JcsEd25519Signature2020,JsonWebSignature2020"
	if got != want {
		t.Errorf("Supported() = %s", got)
	}
}
