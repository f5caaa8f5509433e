package wallet

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/go-jose/go-jose/v4"

	didkey "github.com/loginwithiota/verifier/did/key"
)

// Key is the holder's key and the did:key it is known by. The private key
// is in an unexported field and Key prints as its DID.
type Key struct {
	DID   string
	KeyID string // the verification method (kid / verificationMethod)
	// Alg is EdDSA (Ed25519) or ES256 (P-256).
	Alg    string
	signer crypto.Signer
}

// Signer signs with the holder's key (JOSE and linked-data proofs).
func (k *Key) Signer() crypto.Signer { return k.signer }

// Ed25519 is the private key when it is an Ed25519 one (linked-data
// suites need the raw key), else nil.
func (k *Key) Ed25519() ed25519.PrivateKey {
	p, _ := k.signer.(ed25519.PrivateKey)
	return p
}

// String and GoString never show the private key: fmt prints the DID.
func (k *Key) String() string { return k.DID }

// GoString is String for %#v.
func (k *Key) GoString() string { return k.DID }

func loadOrCreateKey(path, typ string) (*Key, error) {
	raw, err := os.ReadFile(path)
	var priv crypto.Signer
	switch {
	case errors.Is(err, fs.ErrNotExist):
		switch typ {
		case "", "Ed25519":
			_, priv, err = ed25519.GenerateKey(rand.Reader)
		case "P-256":
			priv, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		default:
			return nil, fmt.Errorf("key type %q: want Ed25519 or P-256", typ)
		}
		if err != nil {
			return nil, err
		}
		enc, err := json.Marshal(jose.JSONWebKey{Key: priv})
		if err != nil {
			return nil, err
		}
		if err := writeNew(path, enc); err != nil {
			return nil, fmt.Errorf("wallet key %s: %w", path, err)
		}
	case err != nil:
		return nil, fmt.Errorf("wallet key %s: %w", path, err)
	default:
		if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
			return nil, fmt.Errorf("wallet key %s is readable by others (mode %04o): chmod 600 it", path, fi.Mode().Perm())
		}
		var jwk jose.JSONWebKey
		if err := json.Unmarshal(raw, &jwk); err != nil || jwk.IsPublic() {
			return nil, fmt.Errorf("wallet key %s is not a private JWK", path)
		}
		s, ok := jwk.Key.(crypto.Signer)
		if !ok {
			return nil, fmt.Errorf("wallet key %s: unsupported key", path)
		}
		priv = s
	}
	return keyOf(priv)
}

func keyOf(priv crypto.Signer) (*Key, error) {
	switch p := priv.(type) {
	case ed25519.PrivateKey:
		d, vm := didkey.FromEd25519(p.Public().(ed25519.PublicKey))
		return &Key{DID: d, KeyID: vm, Alg: "EdDSA", signer: p}, nil
	case *ecdsa.PrivateKey:
		if p.Curve != elliptic.P256() {
			return nil, errors.New("wallet key: only P-256 EC keys")
		}
		d, vm, err := didkey.FromP256(&p.PublicKey)
		if err != nil {
			return nil, err
		}
		return &Key{DID: d, KeyID: vm, Alg: "ES256", signer: p}, nil
	}
	return nil, fmt.Errorf("wallet key: unsupported key %T", priv)
}
