package config

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// JSONLD configures how JSON-LD contexts are loaded (the RDF-based proof
// suites need them). The standard contexts are built in; nothing is fetched
// unless listed in AllowRemote.
type JSONLD struct {
	// Contexts serves more contexts offline: context URL → local file
	// (relative paths are relative to the config file).
	Contexts map[string]string `yaml:"contexts"`
	// AllowRemote lists context URLs that may be fetched (an entry ending
	// in "/" allows every URL under it); fetched contexts are cached.
	AllowRemote []string `yaml:"allow_remote"`
	// FetchTimeout, MaxContextBytes and CacheTTL bound those fetches.
	FetchTimeout    Duration `yaml:"fetch_timeout"`
	MaxContextBytes int64    `yaml:"max_context_bytes"`
	CacheTTL        Duration `yaml:"cache_ttl"`
	// AllowPrivateAddresses lets allow-listed context URLs reach loopback,
	// private and link-local addresses (an intranet context host). Off: a
	// document cannot make the verifier probe its own network.
	AllowPrivateAddresses bool `yaml:"allow_private_addresses"`
	// MaxNodes, MaxValues, MaxBlankNodes and MaxWork bound the work of
	// canonicalizing one document (0: jsonld's defaults, 1,500 objects,
	// 6,000 values, 1,500 blank nodes, 50,000 units of URDNA2015 work): a
	// wallet's answer cannot make the verifier spend more than milliseconds.
	MaxNodes      int `yaml:"max_nodes"`
	MaxValues     int `yaml:"max_values"`
	MaxBlankNodes int `yaml:"max_blank_nodes"`
	MaxWork       int `yaml:"max_work"`
}

// DIDs configures DID resolution.
type DIDs struct {
	// Methods are the DID methods resolved; did:web (a network fetch) only
	// when listed. Default: key, jwk.
	Methods []string `yaml:"methods"`
	// CacheTTL and CacheSize bound the cache of resolved documents
	// (pinned ones are not cached: they are held as they are).
	CacheTTL  Duration `yaml:"cache_ttl"`
	CacheSize int      `yaml:"cache_size"`
	Web       DIDWeb   `yaml:"web"`
	// IOTA tunes did:iota (iota.go).
	IOTA DIDIOTA `yaml:"iota"`
	// Pinned documents answer for their DIDs whatever the method says: for
	// air-gapped deployments, tests and trusted issuers.
	Pinned []PinnedDID `yaml:"pinned"`
	// PinnedDir is a directory of *.json DID documents, all pinned.
	PinnedDir string `yaml:"pinned_dir"`
}

// DIDWeb tunes did:web resolution.
type DIDWeb struct {
	Timeout  Duration `yaml:"timeout"`
	MaxBytes int64    `yaml:"max_bytes"`
	// AllowPrivateAddresses lets did:web reach loopback, private and
	// link-local addresses (an intranet). Off: a DID cannot be used to
	// probe the verifier's own network.
	AllowPrivateAddresses bool `yaml:"allow_private_addresses"`
}

// PinnedDID is one pinned document: a file, or the document inline.
type PinnedDID struct {
	File     string         `yaml:"file"`
	Document map[string]any `yaml:"document"`
	// AnyRelationship lets the document's keys serve every verification
	// relationship (identity.rs documents before 2023 list keys only under
	// verificationMethod).
	AnyRelationship bool `yaml:"any_relationship"`
}

// Proofs tunes proof policy.
type Proofs struct {
	// AllowMissingProofPurpose accepts proofs without proofPurpose, holding
	// them to the purpose their place needs (identity.rs's older
	// JcsEd25519Signature2020 presentations carry none). Off by default.
	AllowMissingProofPurpose bool `yaml:"allow_missing_proof_purpose"`
}

// applyLDPDefaults fills the jsonld, dids and proofs sections.
func (c *Config) applyLDPDefaults() {
	j := &c.JSONLD
	if j.FetchTimeout == 0 {
		j.FetchTimeout = Duration(5 * time.Second)
	}
	if j.MaxContextBytes == 0 {
		j.MaxContextBytes = 256 << 10
	}
	if j.CacheTTL == 0 {
		j.CacheTTL = Duration(24 * time.Hour)
	}
	d := &c.DIDs
	if d.Methods == nil {
		d.Methods = []string{"key", "jwk"}
	}
	if d.CacheTTL == 0 {
		d.CacheTTL = Duration(5 * time.Minute)
	}
	if d.CacheSize == 0 {
		d.CacheSize = 1000
	}
	if d.Web.Timeout == 0 {
		d.Web.Timeout = Duration(5 * time.Second)
	}
	if d.Web.MaxBytes == 0 {
		d.Web.MaxBytes = 64 << 10
	}
}

// validateLDP checks the jsonld, dids and proofs sections.
func (c *Config) validateLDP() error {
	j := c.JSONLD
	for u, f := range j.Contexts {
		if err := checkBaseURL(u); err != nil {
			return fmt.Errorf("jsonld.contexts: %w", err)
		}
		if f == "" {
			return fmt.Errorf("jsonld.contexts[%q]: a file is required", u)
		}
	}
	for _, u := range j.AllowRemote {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
			return fmt.Errorf("jsonld.allow_remote: want http(s) URLs or URL prefixes ending in /, got %q", u)
		}
	}
	if j.MaxNodes < 0 || j.MaxValues < 0 || j.MaxBlankNodes < 0 || j.MaxWork < 0 {
		return fmt.Errorf("jsonld: max_nodes, max_values, max_blank_nodes and max_work must not be negative")
	}
	if j.FetchTimeout.Std() <= 0 || j.CacheTTL.Std() <= 0 || j.MaxContextBytes <= 0 {
		return fmt.Errorf("jsonld: fetch_timeout, cache_ttl and max_context_bytes must be positive")
	}
	d := c.DIDs
	for _, m := range d.Methods {
		if m == "" || strings.Trim(m, "abcdefghijklmnopqrstuvwxyz0123456789") != "" {
			return fmt.Errorf("dids.methods: %q is not a DID method name (lower-case letters and digits)", m)
		}
	}
	if d.CacheTTL.Std() < 0 || d.CacheSize < 0 || d.Web.Timeout.Std() <= 0 || d.Web.MaxBytes <= 0 {
		return fmt.Errorf("dids: cache_ttl, cache_size, web.timeout and web.max_bytes must not be negative")
	}
	for i, p := range d.Pinned {
		if (p.File == "") == (p.Document == nil) {
			return fmt.Errorf("dids.pinned[%d]: want exactly one of file and document", i)
		}
	}
	return nil
}
