package oidcbridge

import (
	"context"
	"reflect"
	"testing"

	"github.com/loginwithiota/verifier/session"
)

func TestMapClaims(t *testing.T) {
	result := &session.Result{Holder: "did:key:z6Mkholder", Credentials: []session.Credential{
		{Type: []string{"VerifiableCredential", "Address"}, Issuer: "did:key:z6Mkcity",
			CredentialSubject: map[string]any{"id": "did:key:z6Mkholder", "street": "Main St 1", "emails": []any{"a@x.example", "b@x.example"}}},
		{Type: []string{"VerifiableCredential", "VerifiableId"}, Issuer: "did:key:z6Mkstate",
			CredentialSubject: map[string]any{"id": "did:key:z6Mkholder", "firstName": "Jane", "street": "Other St 2",
				"birth": map[string]any{"date": "1990-01-01"}, "secret": "x"}},
	}}
	sc, err := compileScope(Scope{Name: "s", Claims: map[string]string{
		"given_name": "$.credentialSubject.firstName",
		"street":     "$.credentialSubject.street", // the first credential that has it
		"birthdate":  "$.credentialSubject.birth.date",
		"emails":     "$.credentialSubject.emails[*]",
		"issuer":     "$.issuer",
		"nickname":   "$.credentialSubject.nickname", // nowhere: no claim
		"none":       "$.credentialSubject.nothing[*]",
	}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := mapClaims(context.Background(), sc, result, false)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"given_name": "Jane", "street": "Main St 1", "birthdate": "1990-01-01",
		"emails": []any{"a@x.example", "b@x.example"}, "issuer": "did:key:z6Mkcity"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("claims %#v\nwant %#v", got, want)
	}
	withVC, err := mapClaims(context.Background(), sc, result, true)
	if err != nil {
		t.Fatal(err)
	}
	wantVC := []map[string]any{
		{"issuer": "did:key:z6Mkcity", "type": []string{"VerifiableCredential", "Address"}},
		{"issuer": "did:key:z6Mkstate", "type": []string{"VerifiableCredential", "VerifiableId"}},
	}
	if !reflect.DeepEqual(withVC["vc"], wantVC) {
		t.Fatalf("vc %#v", withVC["vc"])
	}
}

func TestSubject(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	public := &client{Client: Client{ID: "a"}}
	shop := &client{Client: Client{ID: "b", Pairwise: true, Sector: "shop.example"}}
	shop2 := &client{Client: Client{ID: "c", Pairwise: true, Sector: "shop.example"}}
	library := &client{Client: Client{ID: "d", Pairwise: true, Sector: "library.example"}}
	const holder = "did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH"
	if got := subject(public, secret, holder); got != holder {
		t.Errorf("public sub %q", got)
	}
	s1, s2, s3 := subject(shop, secret, holder), subject(shop2, secret, holder), subject(library, secret, holder)
	if s1 != s2 {
		t.Errorf("one sector, two subs: %q %q", s1, s2)
	}
	if s1 == s3 || len(s1) != 43 {
		t.Errorf("sectors share a sub or it is malformed: %q %q", s1, s3)
	}
	if s1 == subject(shop, []byte("another secret, 32 bytes or more!!"), holder) {
		t.Error("the secret does not change the sub")
	}
	// The separator: sector "ab" + DID "c…" differs from sector "a" + DID "bc…".
	x := &client{Client: Client{Pairwise: true, Sector: "ab"}}
	y := &client{Client: Client{Pairwise: true, Sector: "a"}}
	if subject(x, secret, "c") == subject(y, secret, "bc") {
		t.Error("sector and DID run into each other")
	}
}

func TestClip(t *testing.T) {
	for in, want := range map[string]string{"passport": "passport", "a\"b\\c\x00é": "a?b?c???"} {
		if got := clip(in); got != want {
			t.Errorf("clip(%q) = %q, want %q", in, got, want)
		}
	}
	if got := clip(string(make([]byte, 100))); len(got) != 64 {
		t.Errorf("clip of 100 bytes: %d bytes", len(got))
	}
}

func TestSecrets(t *testing.T) {
	// oidctest's shop client: bcrypt, cost 10.
	c := &client{Client: Client{ID: "shop", SecretHash: []byte("$2a$10$VPhF4QbUWNDUDOT1.iIY6usknectW2ybiXDT49gK6qIoSahgUCVZu")}}
	s := newSecrets()
	const right = "shop-secret-4f1c9e2a7b3d5e6f8091a2b3c4d5e6f7"
	for i, tc := range []struct {
		secret string
		ok     bool
	}{{"wrong", false}, {right, true}, {right, true}, {"wrong", false}, {"", false}, {right + "x", false}} {
		if got := s.verify(c, tc.secret); got != tc.ok {
			t.Errorf("%d: verify(%q) = %v", i, tc.secret, got)
		}
	}
	if s.verify(&client{Client: Client{ID: "spa"}}, "anything") {
		t.Error("a public client has no secret to match")
	}
}
