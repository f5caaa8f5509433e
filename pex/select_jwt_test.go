package pex

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestSelectJWT: a wallet holding a linked-data and a JWT credential
// answers a JWT presentation with the JWT one, and what it builds passes
// Evaluate (the verifier's side) once wrapped in a JWT presentation.
func TestSelectJWT(t *testing.T) {
	d := mustDefinition(t, []byte(`{"id":"d","input_descriptors":[{"id":"degree",
		"format":{"ldp_vc":{"proof_type":["JcsEd25519Signature2020"]},"jwt_vc_json":{"alg":["EdDSA","ES256"]}},
		"constraints":{"fields":[{"id":"t","path":["$.type","$.vc.type"],"filter":{"type":"array","contains":{"const":"UniversityDegreeCredential"}}}],
		"is_holder":[{"field_id":["t"],"directive":"required"}]}}]}`))
	ldp := map[string]any{"@context": []any{"https://www.w3.org/2018/credentials/v1"}, "type": []any{"VerifiableCredential", "UniversityDegreeCredential"},
		"issuer": jwtIssuer, "credentialSubject": map[string]any{"id": jwtHolder},
		"proof": map[string]any{"type": "JcsEd25519Signature2020", "signatureValue": "x"}}
	token := jwtVC("EdDSA", jwtHolder)
	creds := []any{ldp, token}

	sel, err := d.Select(creds, SelectOptions{PresentationFormat: "jwt_vp_json", DecodeJWT: testDecoder, HolderDIDs: []string{jwtHolder}})
	if err != nil {
		t.Fatal(err)
	}
	if len(sel.Credentials) != 1 || sel.Credentials[0].Index != 1 || sel.Credentials[0].Format != "jwt_vc_json" {
		t.Fatalf("%+v", sel.Credentials)
	}
	dm := sel.Submission.DescriptorMap[0]
	if dm.Format != "jwt_vp_json" || dm.PathNested.Path != "$.vp.verifiableCredential[0]" {
		t.Fatalf("%+v %+v", dm, dm.PathNested)
	}
	raw, _ := json.Marshal(sel.Submission)
	if _, err := d.EvaluateWith(mustSubmission(t, raw), jwtVP("EdDSA", token), Options{DecodeJWT: testDecoder}); err != nil {
		t.Fatalf("Evaluate refuses what Select built: %v", err)
	}

	// The linked-data presentation takes the linked-data credential.
	sel, err = d.Select(creds, SelectOptions{DecodeJWT: testDecoder, HolderDIDs: []string{jwtHolder}})
	if err != nil || sel.Credentials[0].Index != 0 {
		t.Fatalf("%v %+v", err, sel)
	}
	// An alg the descriptor does not list is no candidate, and says so.
	_, err = d.Select([]any{jwtVC("ES384", jwtHolder)}, SelectOptions{PresentationFormat: "jwt_vp_json", DecodeJWT: testDecoder, HolderDIDs: []string{jwtHolder}})
	if err == nil || !strings.Contains(err.Error(), "ES384") {
		t.Fatalf("%v", err)
	}
	// Without a decoder, JWT presentations stay unsupported.
	if _, err := d.Select(creds, SelectOptions{PresentationFormat: "jwt_vp_json"}); err == nil {
		t.Fatal("jwt_vp_json without a decoder")
	}
}
