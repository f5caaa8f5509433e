package pex

import (
	"reflect"
	"testing"
)

// The claims a descriptor's fields ask for, and what a credential discloses
// beyond them.
func TestClaimTree(t *testing.T) {
	cred := decode(t, []byte(`{"type":["VerifiableCredential"],"issuer":"did:example:i","credentialSubject":{
		"id":"did:example:s","type":"Person","name":"A","age":30,
		"address":{"city":"Amsterdam","street":"Keizersgracht"},
		"licenses":[{"category":"B"},{"category":"AM"}],"tags":["x"]}}`)).(map[string]any)
	cases := []struct {
		name    string
		paths   []string
		extra   string         // first claim not asked for
		subject map[string]any // what limit keeps of the subject
	}{
		{"one member", []string{"$.credentialSubject.name"}, "credentialSubject.address",
			map[string]any{"id": "did:example:s", "type": "Person", "name": "A"}},
		{"nested member", []string{"$.credentialSubject.address.city", "$.credentialSubject.name", "$.credentialSubject.age", "$.credentialSubject.licenses", "$.credentialSubject.tags"}, "credentialSubject.address.street",
			map[string]any{"id": "did:example:s", "type": "Person", "name": "A", "age": 30.0, "address": map[string]any{"city": "Amsterdam"},
				"licenses": []any{map[string]any{"category": "B"}, map[string]any{"category": "AM"}}, "tags": []any{"x"}}},
		{"index and filter paths take the whole array", []string{"$.credentialSubject.licenses[0].category", "$.credentialSubject.tags[?(@ == 'x')]", "$.credentialSubject.address", "$.credentialSubject.name", "$.credentialSubject.age"}, "",
			map[string]any{"id": "did:example:s", "type": "Person", "name": "A", "age": 30.0, "address": cred["credentialSubject"].(map[string]any)["address"],
				"licenses": cred["credentialSubject"].(map[string]any)["licenses"], "tags": []any{"x"}}},
		{"recursive descent reaches everything", []string{"$..city"}, "", cred["credentialSubject"].(map[string]any)},
		{"a wildcard subject", []string{"$.credentialSubject.*"}, "", cred["credentialSubject"].(map[string]any)},
		{"a path into an array by name", []string{"$.credentialSubject.licenses.category", "$.credentialSubject.name", "$.credentialSubject.age", "$.credentialSubject.address", "$.credentialSubject.tags"}, "credentialSubject.licenses",
			map[string]any{"id": "did:example:s", "type": "Person", "name": "A", "age": 30.0, "address": cred["credentialSubject"].(map[string]any)["address"], "tags": []any{"x"}}},
		{"members beside the subject ask for no claim", []string{"$.issuer", "$.type"}, "credentialSubject.address",
			map[string]any{"id": "did:example:s", "type": "Person"}},
		{"the JWT form of the subject", []string{"$.vc.credentialSubject.name"}, "credentialSubject.address",
			map[string]any{"id": "did:example:s", "type": "Person", "name": "A"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tree := &claimTree{}
			for _, p := range tc.paths {
				tree.add(p)
			}
			if got := tree.extra(cred); got != tc.extra {
				t.Errorf("extra %q, want %q", got, tc.extra)
			}
			lim := tree.limit(cred)
			if !reflect.DeepEqual(lim["credentialSubject"], tc.subject) {
				t.Errorf("limited subject %v, want %v", lim["credentialSubject"], tc.subject)
			}
			if lim["issuer"] != "did:example:i" || cred["credentialSubject"].(map[string]any)["name"] != "A" {
				t.Error("limit changed the rest, or the original")
			}
		})
	}
	// Several subjects: each is limited, and checked.
	multi := decode(t, []byte(`{"credentialSubject":[{"id":"a","name":"A"},{"id":"b","name":"B","age":3},"odd"]}`)).(map[string]any)
	tree := &claimTree{}
	tree.add("$.credentialSubject[0].name")
	if got := tree.extra(multi); got != "credentialSubject[1].age" {
		t.Errorf("extra %q", got)
	}
	want := []any{map[string]any{"id": "a", "name": "A"}, map[string]any{"id": "b", "name": "B"}, "odd"}
	if got := tree.limit(multi)["credentialSubject"]; !reflect.DeepEqual(got, want) {
		t.Errorf("limited %v", got)
	}
	jwt := decode(t, []byte(`{"vc":{"credentialSubject":{"id":"a","name":"A","age":1}}}`)).(map[string]any)
	if got := tree.extra(jwt); got != "credentialSubject.age" {
		t.Errorf("JWT form: extra %q", got)
	}
}

// Who is the issuer, the subjects, the holder — in every shape the data
// model and decoded JWTs allow.
func TestRelations(t *testing.T) {
	for _, tc := range []struct {
		cred            string
		issuer          string
		subjects        []string
		subjectsFailure string
	}{
		{`{"issuer":"did:i","credentialSubject":{"id":"did:s"}}`, "did:i", []string{"did:s"}, ""},
		{`{"issuer":{"id":"did:i","name":"I"},"credentialSubject":[{"id":"did:s"},{"id":"did:t"}]}`, "did:i", []string{"did:s", "did:t"}, ""},
		{`{"iss":"did:i","vc":{"credentialSubject":{"id":"did:s"}}}`, "did:i", []string{"did:s"}, ""},
		{`{"vc":{"issuer":{"id":"did:i"},"credentialSubject":{"id":"did:s"}}}`, "did:i", []string{"did:s"}, ""},
		{`{"credentialSubject":{"name":"x"}}`, "", nil, "the credential's subject has no id"},
		{`{"credentialSubject":[{"id":"did:s"},{"name":"x"}]}`, "", nil, "a subject of the credential has no id"},
		{`{"credentialSubject":[]}`, "", nil, "the credential has no credentialSubject"},
		{`{"credentialSubject":"did:s"}`, "", nil, "the credential's credentialSubject is not an object"},
		{`{}`, "", nil, "the credential has no credentialSubject"},
	} {
		cred := decode(t, []byte(tc.cred)).(map[string]any)
		if got := credentialIssuer(cred); got != tc.issuer {
			t.Errorf("%s: issuer %q", tc.cred, got)
		}
		ids, why := subjectIDs(cred)
		if !reflect.DeepEqual(ids, tc.subjects) || why != tc.subjectsFailure {
			t.Errorf("%s: subjects %v %q", tc.cred, ids, why)
		}
	}
	for vp, want := range map[string]string{
		`{"holder":"did:h","proof":{"verificationMethod":"did:x#1"}}`:     "did:h",
		`{"holder":{"id":"did:h"}}`:                                       "did:h",
		`{"proof":{"verificationMethod":"did:key:z6Mk#z6Mk"}}`:            "did:key:z6Mk",
		`{"proof":[{"verificationMethod":{"id":"did:web:a.example#k"}}]}`: "did:web:a.example",
		`{}`: "",
	} {
		if got := presentationHolder(decode(t, []byte(vp)).(map[string]any)); got != want {
			t.Errorf("%s: holder %q, want %q", vp, got, want)
		}
	}
}

func TestDescriptorIDs(t *testing.T) {
	if got := mustDefinition(t, benchFile(t, "pd.json")).DescriptorIDs(); !reflect.DeepEqual(got, []string{"employee", "degree"}) {
		t.Fatal(got)
	}
}
