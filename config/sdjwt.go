package config

import (
	"fmt"
	"time"
)

// SDJWT is how SD-JWT VCs (dc+sd-jwt) are trusted and bound
// (docs/oid4vp-1.0.md, "SD-JWT VC trust"). An issuer's key is found by
// the method its token calls for, each one permitted only if configured
// here: an x5c chain verified against X5CTrustAnchors, a kid or iss that
// is a DID through dids (DIDIssuers), an https iss through its
// /.well-known/jwt-vc-issuer metadata (IssuerMetadata).
type SDJWT struct {
	// X5CTrustAnchors are PEM files of the CA certificates an x5c chain
	// must lead to; none: x5c-signed SD-JWT VCs are refused.
	X5CTrustAnchors []string `yaml:"x5c_trust_anchors"`
	// DIDIssuers accepts issuers whose kid (or iss) is a DID, resolved
	// with the dids section (default true).
	DIDIssuers *bool `yaml:"did_issuers"`
	// IssuerMetadata fetches https issuers' JWT VC Issuer Metadata.
	IssuerMetadata SDJWTMetadata `yaml:"issuer_metadata"`
	// KBMaxAge and KBMaxFuture are the window of a KB-JWT's iat around
	// now (defaults 5m and 1m; clock skew is not added to them).
	KBMaxAge    Duration `yaml:"kb_max_age"`
	KBMaxFuture Duration `yaml:"kb_max_future"`
	// StrictDisclosure refuses a presentation that discloses a claim its
	// DCQL query did not ask for (default true; OID4VP 1.0 §6.4 "Wallets
	// MUST NOT send selectively disclosable claims that have not been
	// selected").
	StrictDisclosure *bool `yaml:"strict_disclosure"`
}

// SDJWTMetadata configures JWT VC Issuer Metadata fetches: HTTPS only,
// through the guarded client (public addresses only unless allowed, each
// redirect re-checked), bounded in time and size, cached.
type SDJWTMetadata struct {
	// Enabled (default true) lets https issuers be trusted by their
	// metadata; false refuses them.
	Enabled               *bool    `yaml:"enabled"`
	Timeout               Duration `yaml:"timeout"`   // default 5s
	MaxBytes              int64    `yaml:"max_bytes"` // default 65536
	CacheTTL              Duration `yaml:"cache_ttl"` // default 5m
	AllowPrivateAddresses bool     `yaml:"allow_private_addresses"`
	// CAFile is a PEM file of CA certificates trusted for metadata hosts,
	// beside the system's.
	CAFile string `yaml:"ca_file"`
}

// On reports a *bool's value, def when unset.
func On(b *bool, def bool) bool {
	if b == nil {
		return def
	}
	return *b
}

func (s *SDJWT) applyDefaults() {
	if s.KBMaxAge == 0 {
		s.KBMaxAge = Duration(5 * time.Minute)
	}
	if s.KBMaxFuture == 0 {
		s.KBMaxFuture = Duration(time.Minute)
	}
	m := &s.IssuerMetadata
	if m.Timeout == 0 {
		m.Timeout = Duration(5 * time.Second)
	}
	if m.MaxBytes == 0 {
		m.MaxBytes = 64 << 10
	}
	if m.CacheTTL == 0 {
		m.CacheTTL = Duration(5 * time.Minute)
	}
}

func (s *SDJWT) validate() error {
	if s.KBMaxAge.Std() < time.Second || s.KBMaxAge.Std() > time.Hour {
		return fmt.Errorf("sd_jwt.kb_max_age: want between 1s and 1h")
	}
	if s.KBMaxFuture.Std() < 0 || s.KBMaxFuture.Std() > 10*time.Minute {
		return fmt.Errorf("sd_jwt.kb_max_future: want between 0s and 10m")
	}
	m := s.IssuerMetadata
	if m.Timeout.Std() < 100*time.Millisecond {
		return fmt.Errorf("sd_jwt.issuer_metadata.timeout: must be at least 100ms")
	}
	if m.MaxBytes < 1024 {
		return fmt.Errorf("sd_jwt.issuer_metadata.max_bytes: must be at least 1024")
	}
	for i, f := range s.X5CTrustAnchors {
		if f == "" {
			return fmt.Errorf("sd_jwt.x5c_trust_anchors[%d]: a file name is required", i)
		}
	}
	return nil
}
