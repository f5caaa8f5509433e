package oidctest

import (
	"testing"

	"github.com/loginwithiota/verifier/testwallet"
)

// People are an issuer and a holder whose wallet holds a VerifiableId
// credential about Jane Doe.
type People struct {
	Issuer, Holder *testwallet.Party
	Wallet         *testwallet.Wallet
}

// Jane's claims as the credential holds them.
const (
	GivenName  = "Jane"
	FamilyName = "Doe"
)

// NewPeople issues the credential.
func NewPeople(t testing.TB) People {
	t.Helper()
	issuer, holder := testwallet.NewParty(), testwallet.NewParty()
	vc, err := issuer.Issue(holder.DID, testwallet.Credential{
		Types:   []string{"VerifiableAttestation", "VerifiableId"},
		Subject: map[string]any{"firstName": GivenName, "familyName": FamilyName, "dateOfBirth": "1990-01-01", "personalIdentifier": "AT-123456"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return People{Issuer: issuer, Holder: holder, Wallet: &testwallet.Wallet{Holder: holder, Credentials: []map[string]any{vc}}}
}
