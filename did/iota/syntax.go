package iota

import (
	"fmt"
	"strings"

	"github.com/loginwithiota/verifier/did"
)

// Chain identifiers (iota_getChainIdentifier) of the public IOTA Rebased
// networks. Devnet is reset from time to time and gets a new one; configure
// Network.ChainID when it does.
const (
	ChainMainnet = "6364aad5"
	ChainTestnet = "2304aa97"
	ChainDevnet  = "daf90477"
)

// Prefix is the scheme and method of every did:iota.
const Prefix = "did:iota:"

// wellKnown maps the network names used in DIDs to chain identifiers. An
// omitted network means mainnet (IOTA DID Method Specification v2.0).
var wellKnown = map[string]string{
	"":        ChainMainnet,
	"iota":    ChainMainnet,
	"testnet": ChainTestnet,
	"devnet":  ChainDevnet,
}

// legacyNetworks are Stardust (smr: Shimmer, rms: Shimmer testnet, atoi:
// IOTA devnet) and Chrysalis (main, dev, test, com) network names: their
// ledgers did not carry over to Rebased, except through migration, and a
// migrated DID is written with a Rebased network name.
var legacyNetworks = map[string]bool{
	"smr": true, "rms": true, "atoi": true,
	"main": true, "dev": true, "test": true, "com": true,
}

// DID is a parsed did:iota DID.
type DID struct {
	// Network is the network segment as written: "" when omitted.
	Network string
	// ObjectID is the tag: "0x" and 64 lowercase hex digits.
	ObjectID string
}

// String gives the DID as it was written.
func (d DID) String() string {
	if d.Network == "" {
		return Prefix + d.ObjectID
	}
	return Prefix + d.Network + ":" + d.ObjectID
}

// WellKnownChain returns the chain identifier of the DID's network when the
// network is one of the public ones (by name, omitted, or written as its
// 8-hex chain identifier), and false for any other name.
func (d DID) WellKnownChain() (string, bool) {
	if c, ok := wellKnown[d.Network]; ok {
		return c, true
	}
	for _, c := range wellKnown {
		if d.Network == c {
			return c, true
		}
	}
	return "", false
}

// Parse checks a did:iota DID (a DID URL's path, query and fragment are
// ignored) against the v2.0 syntax:
//
//	did:iota[:network]:0x<64 lowercase hex>
//	network = 1*8 ( %x61-7A / DIGIT )
//
// Malformed DIDs wrap did.ErrInvalidDID and ErrInvalidNetwork or
// ErrInvalidTag; Chrysalis and Stardust Shimmer DIDs wrap ErrLegacyDID.
func Parse(s string) (DID, error) {
	id, _ := did.Split(s)
	rest, ok := strings.CutPrefix(id, Prefix)
	if !ok {
		return DID{}, fmt.Errorf("%w: not a did:iota DID", did.ErrInvalidDID)
	}
	parts := strings.Split(rest, ":")
	var d DID
	switch len(parts) {
	case 1:
		d.ObjectID = parts[0]
	case 2:
		d.Network, d.ObjectID = parts[0], parts[1]
	default:
		if len(parts) == 3 && legacyNetworks[parts[0]] {
			// Chrysalis allowed a network shard: did:iota:main:shard:tag.
			return DID{}, fmt.Errorf("%w: Chrysalis network %q", ErrLegacyDID, parts[0])
		}
		return DID{}, fmt.Errorf("%w: %w: %d segments after did:iota:, want [network:]tag",
			did.ErrInvalidDID, ErrInvalidTag, len(parts))
	}
	if legacyNetworks[d.Network] {
		return DID{}, fmt.Errorf("%w: network %q is not on IOTA Rebased", ErrLegacyDID, d.Network)
	}
	if isChrysalisTag(d.ObjectID) {
		return DID{}, fmt.Errorf("%w: Chrysalis base58 tag; Rebased DIDs name a 0x object id", ErrLegacyDID)
	}
	if len(parts) == 2 {
		if err := checkNetwork(d.Network); err != nil {
			return DID{}, fmt.Errorf("%w: %w: %v", did.ErrInvalidDID, ErrInvalidNetwork, err)
		}
	}
	if err := checkTag(d.ObjectID); err != nil {
		return DID{}, fmt.Errorf("%w: %w: %v", did.ErrInvalidDID, ErrInvalidTag, err)
	}
	return d, nil
}

func checkNetwork(n string) error {
	if n == "" || len(n) > 8 {
		return fmt.Errorf("network name %q has %d characters, want 1 to 8", clip(n), len(n))
	}
	for i := 0; i < len(n); i++ {
		if c := n[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return fmt.Errorf("network name %q: character %q is not a-z or 0-9", clip(n), c)
		}
	}
	return nil
}

func checkTag(t string) error {
	hexPart, ok := strings.CutPrefix(t, "0x")
	if !ok {
		return fmt.Errorf("tag %q does not start with 0x", clip(t))
	}
	if len(hexPart) != 64 {
		return fmt.Errorf("tag has %d hex digits, want 64", len(hexPart))
	}
	for i := 0; i < len(hexPart); i++ {
		switch c := hexPart[i]; {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f':
		case c >= 'A' && c <= 'F':
			return fmt.Errorf("tag must be lowercase hex, found %q at position %d", c, i+2)
		default:
			return fmt.Errorf("tag: %q at position %d is not a hex digit", c, i+2)
		}
	}
	return nil
}

// isChrysalisTag: a Chrysalis tag is the base58 of a 32-byte hash (43 or 44
// characters, no 0x).
func isChrysalisTag(t string) bool {
	if strings.HasPrefix(t, "0x") || len(t) < 43 || len(t) > 44 {
		return false
	}
	const alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
	for i := 0; i < len(t); i++ {
		if !strings.ContainsRune(alphabet, rune(t[i])) {
			return false
		}
	}
	return true
}

// normalizeObjectID renders a Move address or object id as the DID tag
// form: 0x and 64 lowercase hex digits (the RPC may shorten leading zeros).
func normalizeObjectID(s string) (string, bool) {
	h, ok := strings.CutPrefix(strings.ToLower(s), "0x")
	if !ok || h == "" || len(h) > 64 {
		return "", false
	}
	for i := 0; i < len(h); i++ {
		if c := h[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return "", false
		}
	}
	return "0x" + strings.Repeat("0", 64-len(h)) + h, true
}
