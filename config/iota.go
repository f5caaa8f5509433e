package config

import (
	"fmt"
	"net/url"
	"time"
)

// DIDIOTA tunes did:iota resolution (IOTA Rebased). Nothing is contacted
// unless "iota" is listed in dids.methods.
type DIDIOTA struct {
	// Networks are the IOTA networks DIDs may name, each with the JSON-RPC
	// endpoint asked for its DIDs. Default: mainnet ("iota", also the DIDs
	// without a network), testnet and devnet at the IOTA Foundation's
	// public endpoints.
	Networks []IOTANetwork `yaml:"networks"`
	// Timeout bounds each JSON-RPC call, MaxBytes each reply.
	Timeout  Duration `yaml:"timeout"`
	MaxBytes int64    `yaml:"max_bytes"`
	// CacheTTL keeps resolved documents (0 after defaults: never set; a
	// negative value is refused).
	CacheTTL Duration `yaml:"cache_ttl"`
}

// IOTANetwork is one network and its node.
type IOTANetwork struct {
	// Name is the network segment of its DIDs: iota (mainnet), testnet,
	// devnet, or a custom name (then chain_id is required).
	Name string `yaml:"name"`
	// ChainID is the chain identifier the endpoint must report (8 hex
	// digits); known for iota, testnet and devnet.
	ChainID string `yaml:"chain_id"`
	// Endpoint is the node's JSON-RPC URL (your own node, or a public one).
	Endpoint string `yaml:"endpoint"`
	// MigrationRegistry is the object id of the Stardust migration
	// registry; known for mainnet and testnet.
	MigrationRegistry string `yaml:"migration_registry"`
	// IdentityPackages, when set, are the only iota_identity package ids
	// whose Identity objects are accepted.
	IdentityPackages []string `yaml:"identity_packages"`
}

// PublicIOTANetworks are the defaults of dids.iota.networks.
func PublicIOTANetworks() []IOTANetwork {
	return []IOTANetwork{
		{Name: "iota", Endpoint: "https://api.mainnet.iota.cafe"},
		{Name: "testnet", Endpoint: "https://api.testnet.iota.cafe"},
		{Name: "devnet", Endpoint: "https://api.devnet.iota.cafe"},
	}
}

// Status configures credential status checks: RevocationBitmap2022 (read
// from the issuer's DID document), StatusList2021 and BitstringStatusList
// (the status list credential fetched over HTTPS and its proof verified).
type Status struct {
	// FailOpen accepts credentials whose status cannot be established
	// (unreachable list, broken list signature, unsupported method).
	// Default false: they fail (credential_status_unknown).
	FailOpen bool `yaml:"fail_open"`
	// FetchTimeout, MaxListBytes and CacheTTL bound status list fetches.
	FetchTimeout Duration `yaml:"fetch_timeout"`
	MaxListBytes int64    `yaml:"max_list_bytes"`
	CacheTTL     Duration `yaml:"cache_ttl"`
	// AllowForeignListIssuer accepts lists issued by another DID than the
	// credential's issuer. Default false.
	AllowForeignListIssuer bool `yaml:"allow_foreign_list_issuer"`
	// AllowPrivateAddresses lets status list URLs reach loopback, private
	// and link-local addresses (an intranet, tests). Default false: a
	// credential cannot make the verifier probe its own network.
	AllowPrivateAddresses bool `yaml:"allow_private_addresses"`
	// AllowHTTP also fetches plain http:// lists. Default false.
	AllowHTTP bool `yaml:"allow_http"`
	// CAFile is a PEM file of CA certificates trusted for status list
	// hosts besides the system's (a private CA, tests); relative to the
	// config file.
	CAFile string `yaml:"ca_file"`
}

// applyIOTADefaults fills dids.iota and status.
func (c *Config) applyIOTADefaults() {
	io := &c.DIDs.IOTA
	if io.Networks == nil {
		io.Networks = PublicIOTANetworks()
	}
	if io.Timeout == 0 {
		io.Timeout = Duration(10 * time.Second)
	}
	if io.MaxBytes == 0 {
		io.MaxBytes = 4 << 20
	}
	if io.CacheTTL == 0 {
		io.CacheTTL = Duration(5 * time.Minute)
	}
	s := &c.Status
	if s.FetchTimeout == 0 {
		s.FetchTimeout = Duration(10 * time.Second)
	}
	if s.MaxListBytes == 0 {
		s.MaxListBytes = 1 << 20
	}
	if s.CacheTTL == 0 {
		s.CacheTTL = Duration(5 * time.Minute)
	}
}

// validateIOTA checks dids.iota and status.
func (c *Config) validateIOTA() error {
	io := c.DIDs.IOTA
	if io.Timeout.Std() <= 0 || io.MaxBytes <= 0 || io.CacheTTL.Std() < 0 {
		return fmt.Errorf("dids.iota: timeout and max_bytes must be positive, cache_ttl not negative")
	}
	for i, n := range io.Networks {
		if n.Name == "" && n.ChainID == "" {
			return fmt.Errorf("dids.iota.networks[%d]: a name or a chain_id is required", i)
		}
		u, err := url.Parse(n.Endpoint)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Errorf("dids.iota.networks[%d].endpoint: want an http(s) URL, got %q (network %s)", i, n.Endpoint, n.Name)
		}
	}
	s := c.Status
	if s.FetchTimeout.Std() <= 0 || s.MaxListBytes <= 0 || s.CacheTTL.Std() < 0 {
		return fmt.Errorf("status: fetch_timeout and max_list_bytes must be positive, cache_ttl not negative")
	}
	return nil
}
