// Package demo builds the test issuer a verifier's demo website mounts:
// the shipped credential configurations (issuer/config's defaults: a
// VerifiableId as ldp_vc with JcsEd25519Signature2020, as ldp_vc with
// eddsa-rdfc-2022, as jwt_vc_json, as a dc+sd-jwt SD-JWT VC), made-up
// demo claims, and a fresh did:key per process; demo offers carry the
// ldp_vc and the SD-JWT VC. Nothing trusts that key; it only has to
// verify (a verifier with did:key issuers accepts it, as the shipped one
// does).
package demo

import (
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"log/slog"

	"github.com/loginwithiota/verifier/did"
	didjwk "github.com/loginwithiota/verifier/did/jwk"
	didkey "github.com/loginwithiota/verifier/did/key"
	"github.com/loginwithiota/verifier/issuer"
	"github.com/loginwithiota/verifier/issuer/config"
)

// New returns the demo issuer at identifier (e.g. the verifier's public
// URL + "/issuer") on store.
func New(identifier string, store issuer.Store, log *slog.Logger) (*issuer.Issuer, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	d, vm := didkey.FromEd25519(priv.Public().(ed25519.PublicKey))
	defaults, err := config.Parse([]byte("demo: {enabled: true}\n"))
	if err != nil {
		return nil, fmt.Errorf("demo issuer: %w", err)
	}
	cfg := defaults.Issuer()
	keys := did.NewRegistry()
	keys.Register("key", didkey.New())
	keys.Register("jwk", didjwk.New())
	cfg.Identifier, cfg.Signer, cfg.Keys, cfg.Logger = identifier, issuer.Signer{DID: d, KeyID: vm, Key: priv}, keys, log
	return issuer.New(cfg, store)
}
