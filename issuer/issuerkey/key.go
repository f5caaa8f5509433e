package issuerkey

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
	"path/filepath"

	"github.com/go-jose/go-jose/v4"
)

// Key types.
const (
	TypeEd25519 = "Ed25519"
	TypeP256    = "P-256"
)

// LoadOrCreate reads the private JWK at path, or, when there is no file,
// generates a key of typ and writes it there (0600, its directory 0700 if
// it has to be made). created reports the second case. A file that others
// may read is refused, as ssh refuses such keys.
func LoadOrCreate(path, typ string) (key crypto.Signer, created bool, err error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		key, err = generate(typ)
		if err != nil {
			return nil, false, err
		}
		if err := write(path, key); err != nil {
			return nil, false, err
		}
		return key, true, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("key file %s: %w", path, err)
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
		return nil, false, fmt.Errorf("key file %s is readable by others (mode %04o): chmod 600 it", path, fi.Mode().Perm())
	}
	var jwk jose.JSONWebKey
	if err := json.Unmarshal(raw, &jwk); err != nil {
		return nil, false, fmt.Errorf("key file %s is not a JWK: %w", path, err)
	}
	if jwk.IsPublic() {
		return nil, false, fmt.Errorf("key file %s holds a public key; the issuer needs its private key", path)
	}
	switch k := jwk.Key.(type) {
	case ed25519.PrivateKey:
		if typ != TypeEd25519 {
			return nil, false, fmt.Errorf("key file %s holds an Ed25519 key, the config asks for %s", path, typ)
		}
		return k, false, nil
	case *ecdsa.PrivateKey:
		if k.Curve != elliptic.P256() || typ != TypeP256 {
			return nil, false, fmt.Errorf("key file %s holds an EC key on %s, the config asks for %s", path, k.Curve.Params().Name, typ)
		}
		return k, false, nil
	}
	return nil, false, fmt.Errorf("key file %s holds a %T key; want Ed25519 or P-256", path, jwk.Key)
}

func generate(typ string) (crypto.Signer, error) {
	switch typ {
	case TypeEd25519:
		_, k, err := ed25519.GenerateKey(rand.Reader)
		return k, err
	case TypeP256:
		return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	return nil, fmt.Errorf("key type %q: want %s or %s", typ, TypeEd25519, TypeP256)
}

// write stores key as a private JWK, created 0600 and never overwritten.
func write(path string, key crypto.Signer) error {
	raw, err := json.MarshalIndent(jose.JSONWebKey{Key: key}, "", "  ")
	if err != nil {
		return err
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("key file %s: %w", path, err)
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("key file %s: %w", path, err)
	}
	if _, err := f.Write(append(raw, '\n')); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("key file %s: %w", path, err)
	}
	return f.Close()
}
