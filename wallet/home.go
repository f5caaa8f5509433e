package wallet

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Home is the wallet's directory: key.json and credentials/N.json.
type Home struct {
	Dir string
}

// DefaultDir is os.UserConfigDir()/login-with-iota-wallet.
func DefaultDir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no user config directory (set --home): %w", err)
	}
	return filepath.Join(base, "login-with-iota-wallet"), nil
}

// Credential is a stored credential.
type Credential struct {
	// Format is its claim format: ldp_vc or jwt_vc_json.
	Format string `json:"format"`
	// Credential is the credential as issued: a JSON object (ldp_vc) or a
	// JWT string (jwt_vc_json).
	Credential any `json:"credential"`
	// Issuer is the credential issuer identifier it came from;
	// Configuration the credential configuration id.
	Issuer        string    `json:"issuer"`
	Configuration string    `json:"configuration"`
	ReceivedAt    time.Time `json:"received_at"`
	// Verified says the issuer's signature was checked when it arrived.
	Verified bool `json:"verified"`
}

// Stored is a credential with its number in the wallet.
type Stored struct {
	N int
	Credential
}

func (h Home) credDir() string { return filepath.Join(h.Dir, "credentials") }

// ensure makes the home and credentials directories, 0700.
func (h Home) ensure() error {
	if err := os.MkdirAll(h.credDir(), 0o700); err != nil {
		return fmt.Errorf("wallet home %s: %w", h.Dir, err)
	}
	return nil
}

// Key returns the holder's key, creating it (typ "Ed25519" or "P-256";
// "" is Ed25519) on first use.
func (h Home) Key(typ string) (*Key, error) {
	if err := h.ensure(); err != nil {
		return nil, err
	}
	return loadOrCreateKey(filepath.Join(h.Dir, "key.json"), typ)
}

// Add stores c as the next credential and returns its number.
func (h Home) Add(c Credential) (int, error) {
	if err := h.ensure(); err != nil {
		return 0, err
	}
	list, err := h.List()
	if err != nil {
		return 0, err
	}
	n := 1
	if len(list) > 0 {
		n = list[len(list)-1].N + 1
	}
	raw, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return 0, err
	}
	path := filepath.Join(h.credDir(), strconv.Itoa(n)+".json")
	if err := writeNew(path, raw); err != nil {
		return 0, err
	}
	return n, nil
}

// List returns the stored credentials in order.
func (h Home) List() ([]Stored, error) {
	entries, err := os.ReadDir(h.credDir())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("wallet credentials: %w", err)
	}
	var out []Stored
	for _, e := range entries {
		n, err := strconv.Atoi(strings.TrimSuffix(e.Name(), ".json"))
		if err != nil || !strings.HasSuffix(e.Name(), ".json") || n <= 0 {
			continue
		}
		s, err := h.Get(n)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b Stored) int { return a.N - b.N })
	return out, nil
}

// Get reads credential n.
func (h Home) Get(n int) (Stored, error) {
	raw, err := os.ReadFile(filepath.Join(h.credDir(), strconv.Itoa(n)+".json"))
	if errors.Is(err, fs.ErrNotExist) {
		return Stored{}, fmt.Errorf("there is no credential %d (see wallet list)", n)
	}
	if err != nil {
		return Stored{}, err
	}
	var c Credential
	if err := json.Unmarshal(raw, &c); err != nil {
		return Stored{}, fmt.Errorf("credential %d: %w", n, err)
	}
	return Stored{N: n, Credential: c}, nil
}

// writeNew creates path 0600 with raw, refusing to overwrite.
func writeNew(path string, raw []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(raw); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}
