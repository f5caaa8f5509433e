package wallet

import (
	"github.com/loginwithiota/verifier/did"
	didjwk "github.com/loginwithiota/verifier/did/jwk"
	didkey "github.com/loginwithiota/verifier/did/key"
)

// OfflineDIDs resolves the DID methods that need no network, did:key and
// did:jwk: issuers' keys (wallet/vci) and verifiers' request signing keys
// under the decentralized_identifier prefix (wallet/vp). Other methods are
// not resolved: a credential from such an issuer is kept unverified, a
// request from such a verifier refused.
var OfflineDIDs = func() *did.Registry {
	r := did.NewRegistry()
	r.Register("key", didkey.New())
	r.Register("jwk", didjwk.New())
	return r
}()

// Offline reports whether id is a DID OfflineDIDs resolves.
func Offline(id string) bool {
	m, err := did.Method(id)
	return err == nil && (m == "key" || m == "jwk")
}
