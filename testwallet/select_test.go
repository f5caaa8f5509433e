package testwallet

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestChoose(t *testing.T) {
	issuer, holder := NewParty(), NewParty()
	issue := func(types string, subject map[string]any) map[string]any {
		vc, err := issuer.Issue(holder.DID, Credential{Types: []string{types}, Subject: subject})
		if err != nil {
			t.Fatal(err)
		}
		return vc
	}
	library := issue("LibraryCard", map[string]any{"number": "L-1"})
	id := issue("VerifiableId", map[string]any{"level": 3}) // a Go int: selection reads decoded JSON
	diploma := issue("Diploma", map[string]any{"degree": "MSc"})
	var def map[string]any
	if err := json.Unmarshal([]byte(`{"id":"d","submission_requirements":[{"rule":"all","from":"A"},{"rule":"pick","count":1,"from":"B"}],
		"input_descriptors":[
		{"id":"id","group":["A"],"format":{"ldp_vc":{"proof_type":["JcsEd25519Signature2020"]}},"constraints":{"fields":[{"path":["$.type"],"filter":{"type":"string","const":"VerifiableId"}},{"path":["$.credentialSubject.level"],"filter":{"type":"integer","minimum":2}}]}},
		{"id":"passport","group":["B"],"constraints":{"fields":[{"path":["$.type"],"filter":{"type":"string","const":"Passport"}}]}},
		{"id":"diploma","group":["B"],"constraints":{"fields":[{"path":["$.type"],"filter":{"type":"string","const":"Diploma"}}]}}]}`), &def); err != nil {
		t.Fatal(err)
	}
	w := &Wallet{Holder: holder, Credentials: []map[string]any{library, diploma, id}}
	creds, sub, err := w.Choose(&Request{Definition: def})
	if err != nil {
		t.Fatal(err)
	}
	if len(creds) != 2 || creds[0]["id"] != id["id"] || creds[1]["id"] != diploma["id"] {
		t.Fatalf("chose %v", creds)
	}
	b, _ := json.Marshal(sub)
	for _, want := range []string{`"definition_id":"d"`, `"id":"id","format":"ldp_vp","path":"$","path_nested":{"id":"id","format":"ldp_vc","path":"$.verifiableCredential[0]"}`, `"path":"$.verifiableCredential[1]"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("submission %s lacks %s", b, want)
		}
	}
	// Without a credential for group A, the wallet says which requirement fails.
	w.Credentials = []map[string]any{library, diploma}
	if _, _, err := w.Choose(&Request{Definition: def}); err == nil || !strings.Contains(err.Error(), `submission_requirements[0]: rule "all" from group "A"`) {
		t.Fatalf("error %v", err)
	}
}
