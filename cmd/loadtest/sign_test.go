package main

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"testing"
	"time"

	"github.com/gowebpki/jcs"
	"github.com/mr-tron/base58"

	"github.com/loginwithiota/verifier/testwallet"
)

// TestPresenterIsCanonical: the presentation the load generator writes by
// hand is already in JCS form, and its signature is over exactly the form
// a verifier computes (the document with its proof minus signatureValue).
func TestPresenterIsCanonical(t *testing.T) {
	issuer, holder := testwallet.NewParty(), testwallet.NewParty()
	vc, err := issuer.Issue(holder.DID, testwallet.Credential{Types: []string{"VerifiableId"}, Subject: map[string]any{"firstName": "Ünïcode €", "n": 1}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPresenter(holder.Priv, holder.DID, holder.VMID, vc)
	if err != nil {
		t.Fatal(err)
	}
	vp, err := p.present("nonce-abc_123", "http://127.0.0.1:8080", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	canon, err := jcs.Transform(vp)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(canon, vp) {
		t.Fatalf("not canonical:\n%s\n%s", vp, canon)
	}
	msg, err := unsigned(vp)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Proof struct {
			SignatureValue string `json:"signatureValue"`
		} `json:"proof"`
	}
	if err := json.Unmarshal(vp, &doc); err != nil {
		t.Fatal(err)
	}
	sig, err := base58.Decode(doc.Proof.SignatureValue)
	if err != nil || !ed25519.Verify(holder.Priv.Public().(ed25519.PublicKey), msg, sig) {
		t.Fatalf("the signature does not verify over the canonical unsigned form: %v", err)
	}
	if _, err := p.present("a\"b", "d", time.Now()); err == nil {
		t.Error("a challenge that needs escaping was written as is")
	}
}
