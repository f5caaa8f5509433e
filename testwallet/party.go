package testwallet

import (
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"maps"
	"time"
)

// Party is an issuer or a holder: an Ed25519 key and its did:key.
type Party struct {
	DID  string
	VMID string
	Priv ed25519.PrivateKey
}

// NewParty makes a party with a fresh random key.
func NewParty() *Party {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return partyOf(priv)
}

// PartyFromSeed makes a deterministic party (32-byte seed).
func PartyFromSeed(seed []byte) *Party {
	return partyOf(ed25519.NewKeyFromSeed(seed))
}

func partyOf(priv ed25519.PrivateKey) *Party {
	d, vm := didKeyOf(priv.Public().(ed25519.PublicKey))
	return &Party{DID: d, VMID: vm, Priv: priv}
}

// Credential describes a credential to issue.
type Credential struct {
	Types          []string // added after "VerifiableCredential"
	Subject        map[string]any
	IssuanceDate   time.Time // zero: an hour ago
	ExpirationDate time.Time // zero: none
}

// Issue signs a VC 1.1 credential about subject.
func (p *Party) Issue(subject string, c Credential) (map[string]any, error) {
	issued := c.IssuanceDate
	if issued.IsZero() {
		issued = time.Now().Add(-time.Hour)
	}
	types := []any{"VerifiableCredential"}
	for _, t := range c.Types {
		types = append(types, t)
	}
	subj := map[string]any{"id": subject}
	maps.Copy(subj, c.Subject)
	vc := map[string]any{
		"@context":          []any{"https://www.w3.org/2018/credentials/v1"},
		"id":                "urn:uuid:" + uuid(),
		"type":              types,
		"issuer":            p.DID,
		"issuanceDate":      issued.UTC().Format(time.RFC3339),
		"credentialSubject": subj,
	}
	if !c.ExpirationDate.IsZero() {
		vc["expirationDate"] = c.ExpirationDate.UTC().Format(time.RFC3339)
	}
	return signJCS(vc, map[string]any{
		"verificationMethod": p.VMID,
		"proofPurpose":       "assertionMethod",
		"created":            issued.UTC().Format(time.RFC3339),
	}, p.Priv)
}

// Present wraps vcs in a VP held by p and signs it for challenge and domain.
func (p *Party) Present(vcs []map[string]any, challenge, domain string) (map[string]any, error) {
	return p.PresentWith(vcs, nil, challenge, domain)
}

// PresentWith is Present with extra members in the VP, signed with it (a
// hostile wallet's answer: a credential placed beside verifiableCredential).
func (p *Party) PresentWith(vcs []map[string]any, extra map[string]any, challenge, domain string) (map[string]any, error) {
	list := make([]any, len(vcs))
	for i, vc := range vcs {
		list[i] = vc
	}
	vp := map[string]any{
		"@context":             []any{"https://www.w3.org/2018/credentials/v1"},
		"id":                   "urn:uuid:" + uuid(),
		"type":                 []any{"VerifiablePresentation"},
		"holder":               p.DID,
		"verifiableCredential": list,
	}
	maps.Copy(vp, extra)
	return signJCS(vp, map[string]any{
		"verificationMethod": p.VMID,
		"proofPurpose":       "authentication",
		"created":            time.Now().UTC().Format(time.RFC3339),
		"challenge":          challenge,
		"domain":             domain,
	}, p.Priv)
}

func uuid() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
