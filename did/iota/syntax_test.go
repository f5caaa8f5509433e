package iota_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/did/iota"
)

const hex64 = "3e1dd6cf697be348f9bd82ca4ac51c88e8454fb9cd181c94f41ec07a3695ba0b"

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in      string
		network string
		chain   string // well-known chain, "" when not well known
		err     []error
	}{
		{in: "did:iota:0x" + hex64, chain: iota.ChainMainnet},
		{in: "did:iota:iota:0x" + hex64, network: "iota", chain: iota.ChainMainnet},
		{in: "did:iota:6364aad5:0x" + hex64, network: "6364aad5", chain: iota.ChainMainnet},
		{in: "did:iota:testnet:0x" + hex64 + "#key-1", network: "testnet", chain: iota.ChainTestnet},
		{in: "did:iota:2304aa97:0x" + hex64, network: "2304aa97", chain: iota.ChainTestnet},
		{in: "did:iota:devnet:0x" + hex64, network: "devnet", chain: iota.ChainDevnet},
		{in: "did:iota:private8:0x" + hex64, network: "private8"},
		// Syntax errors, each with its own sentinel.
		{in: "did:iota:testnet:0x" + strings.ToUpper(hex64), err: []error{did.ErrInvalidDID, iota.ErrInvalidTag}},
		{in: "did:iota:0X" + hex64, err: []error{did.ErrInvalidDID, iota.ErrInvalidTag}},
		{in: "did:iota:0x" + hex64[:63], err: []error{did.ErrInvalidDID, iota.ErrInvalidTag}},
		{in: "did:iota:0x" + hex64 + "0", err: []error{did.ErrInvalidDID, iota.ErrInvalidTag}},
		{in: "did:iota:0x" + hex64[:62] + "g0", err: []error{did.ErrInvalidDID, iota.ErrInvalidTag}},
		{in: "did:iota:" + hex64, err: []error{did.ErrInvalidDID, iota.ErrInvalidTag}},
		{in: "did:iota:a:b:0x" + hex64, err: []error{did.ErrInvalidDID, iota.ErrInvalidTag}},
		{in: "did:iota:testnet9x:0x" + hex64, err: []error{did.ErrInvalidDID, iota.ErrInvalidNetwork}}, // 9 characters
		{in: "did:iota:Testnet:0x" + hex64, err: []error{did.ErrInvalidDID, iota.ErrInvalidNetwork}},
		{in: "did:iota::0x" + hex64, err: []error{did.ErrInvalidDID, iota.ErrInvalidNetwork}},
		{in: "did:iota:test_1:0x" + hex64, err: []error{did.ErrInvalidDID, iota.ErrInvalidNetwork}},
		{in: "did:key:z6Mk", err: []error{did.ErrInvalidDID}},
		// Legacy: Stardust Shimmer networks and Chrysalis base58 tags.
		{in: "did:iota:smr:0x" + hex64, err: []error{iota.ErrLegacyDID}},
		{in: "did:iota:rms:0x" + hex64, err: []error{iota.ErrLegacyDID}},
		{in: "did:iota:EvaQhPXXsJsGgxSXGhZGMCvTt63KuAFtaGThx6a5nSpw", err: []error{iota.ErrLegacyDID}},
		{in: "did:iota:main:H3C2AVvLMv6gmMNam3uVAjZpfkcJCwDwnZn6z3wXmqPV", err: []error{iota.ErrLegacyDID}},
		{in: "did:iota:dev:shard1:H3C2AVvLMv6gmMNam3uVAjZpfkcJCwDwnZn6z3wXmqPV", err: []error{iota.ErrLegacyDID}},
	} {
		t.Run(tc.in, func(t *testing.T) {
			d, err := iota.Parse(tc.in)
			if tc.err != nil {
				for _, want := range tc.err {
					if !errors.Is(err, want) {
						t.Fatalf("Parse = %v, want %v", err, want)
					}
				}
				if errors.Is(err, iota.ErrLegacyDID) && errors.Is(err, did.ErrInvalidDID) {
					t.Errorf("a legacy DID is well-formed, not invalid: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.Network != tc.network || d.ObjectID != "0x"+hex64 {
				t.Errorf("Parse = %+v", d)
			}
			chain, ok := d.WellKnownChain()
			if chain != tc.chain || ok != (tc.chain != "") {
				t.Errorf("WellKnownChain = %q, %v, want %q", chain, ok, tc.chain)
			}
			if base, _ := did.Split(tc.in); d.String() != base {
				t.Errorf("String = %q, want %q", d.String(), base)
			}
		})
	}
}
