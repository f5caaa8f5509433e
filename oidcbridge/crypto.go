package oidcbridge

import (
	"strings"

	"github.com/zitadel/oidc/v3/pkg/op"
)

// tokenCrypto seals access tokens and codes with AES-256-GCM (the key is
// in the key ring, shared by instances).
//
// zitadel/oidc seals an access token as "{token id}:{subject}" and, on
// userinfo, splits the opened text at ":" expecting two parts. A DID
// subject has colons of its own, so the split fails; and the subject need
// not travel in the token at all, since the token's record holds it. The
// subject is left out: the token carries only its random id.
type tokenCrypto struct{ aead op.Crypto }

// sealedSubject stands in for the subject inside an access token.
const sealedSubject = "-"

func newTokenCrypto(key [32]byte) tokenCrypto {
	return tokenCrypto{aead: op.NewAES256GCMCrypto(key, "k1")}
}

func (c tokenCrypto) Encrypt(s string) (string, error) {
	if id, _, ok := strings.Cut(s, ":"); ok {
		s = id + ":" + sealedSubject
	}
	return c.aead.Encrypt(s)
}

func (c tokenCrypto) Decrypt(s string) (string, error) { return c.aead.Decrypt(s) }
