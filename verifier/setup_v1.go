package verifier

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"os"
	"time"
)

// V1Setup is how OID4VP 1.0 and SD-JWT VC verification are configured,
// as cmd reads it from the oid4vp and sd_jwt sections (paths resolved).
type V1Setup struct {
	Identity     IdentityOptions
	Encryption   string
	Enc          []string
	VerifierInfo []map[string]any

	// X5CTrustAnchors are PEM files of the CAs x5c chains must lead to.
	X5CTrustAnchors []string
	DIDIssuers      bool
	// Metadata permits https issuers by their JWT VC Issuer Metadata,
	// fetched within MetadataTimeout and MetadataMaxBytes, from public
	// addresses only unless MetadataAllowPrivate, with MetadataCAFile's
	// CAs beside the system's; cached MetadataCacheTTL.
	Metadata             bool
	MetadataTimeout      time.Duration
	MetadataMaxBytes     int64
	MetadataCacheTTL     time.Duration
	MetadataAllowPrivate bool
	MetadataCAFile       string

	KBMaxAge, KBMaxFuture time.Duration
	StrictDisclosure      bool
}

// Options builds the verifier's options; errors name the setting.
func (s V1Setup) Options() (V1Options, SDJWTOptions, error) {
	id, err := NewRequestIdentity(s.Identity)
	if err != nil {
		return V1Options{}, SDJWTOptions{}, fmt.Errorf("oid4vp.signing: %w", err)
	}
	v1 := V1Options{Identity: id, Encryption: s.Encryption, Enc: s.Enc}
	if len(s.VerifierInfo) > 0 {
		if v1.VerifierInfo, err = json.Marshal(s.VerifierInfo); err != nil {
			return V1Options{}, SDJWTOptions{}, fmt.Errorf("oid4vp.verifier_info: %w", err)
		}
	}
	sd := SDJWTOptions{DIDIssuers: s.DIDIssuers, MetadataCacheTTL: s.MetadataCacheTTL,
		KBMaxAge: s.KBMaxAge, KBMaxFuture: s.KBMaxFuture, StrictDisclosure: s.StrictDisclosure}
	if len(s.X5CTrustAnchors) > 0 {
		sd.X5CRoots = x509.NewCertPool()
		for i, f := range s.X5CTrustAnchors {
			raw, err := os.ReadFile(f)
			if err != nil {
				return V1Options{}, SDJWTOptions{}, fmt.Errorf("sd_jwt.x5c_trust_anchors[%d]: %w", i, err)
			}
			if !sd.X5CRoots.AppendCertsFromPEM(raw) {
				return V1Options{}, SDJWTOptions{}, fmt.Errorf("sd_jwt.x5c_trust_anchors[%d]: no PEM certificate in %s", i, f)
			}
		}
	}
	if s.Metadata {
		var tlsConfig *tls.Config
		if s.MetadataCAFile != "" {
			raw, err := os.ReadFile(s.MetadataCAFile)
			if err != nil {
				return V1Options{}, SDJWTOptions{}, fmt.Errorf("sd_jwt.issuer_metadata.ca_file: %w", err)
			}
			pool, err := x509.SystemCertPool()
			if err != nil || pool == nil {
				pool = x509.NewCertPool()
			}
			if !pool.AppendCertsFromPEM(raw) {
				return V1Options{}, SDJWTOptions{}, fmt.Errorf("sd_jwt.issuer_metadata.ca_file: no PEM certificate in %s", s.MetadataCAFile)
			}
			tlsConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
		}
		sd.Metadata = NewMetadataFetcher(s.MetadataTimeout, s.MetadataMaxBytes, s.MetadataAllowPrivate, tlsConfig)
	}
	return v1, sd, nil
}
