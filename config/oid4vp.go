package config

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/loginwithiota/verifier/oid4vp"
)

// OID4VP shapes the authorization requests handed to wallets.
type OID4VP struct {
	// Protocol lists the request dialects (profile-2022, draft-20) of the
	// definitions that set no protocol of their own, the default first; a
	// login may ask for any other listed one (POST /api/v1/sessions'
	// protocol member). One name or a list. Default: [draft-20,
	// profile-2022].
	Protocol Protocols `yaml:"protocol"`
	// RequestByReference sends draft-20 requests as client_id +
	// request_uri, the parameters in an unsigned request object (the QR
	// code stays small); false sends them by value. profile-2022 requests
	// always go by value.
	RequestByReference bool `yaml:"request_by_reference"`
	// Scheme of the cross-device request URI (openid4vp:// or openid://).
	Scheme string `yaml:"scheme"`
	// CrossDeviceResponseMode is post (the profile's) or direct_post, for
	// profile-2022 requests; draft-20 always uses direct_post.
	CrossDeviceResponseMode string `yaml:"cross_device_response_mode"`
	// SameDeviceResponseMode is form_post (the profile's) or direct_post
	// (the browser comes back with a one-time response_code), for
	// profile-2022 requests; draft-20 always uses direct_post.
	SameDeviceResponseMode string `yaml:"same_device_response_mode"`
	// SameDeviceWalletURL is where same-device links point (a wallet's
	// authorization endpoint); empty means the Scheme.
	SameDeviceWalletURL string `yaml:"same_device_wallet_url"`
	// DefinitionByValue puts the definition in profile-2022 requests
	// instead of presentation_definition_uri (draft-20 always sends it by
	// value or inside the request object).
	DefinitionByValue bool `yaml:"definition_by_value"`
	// ReturnURL is where a same-device login sends the browser when it ends;
	// empty means the verifier's own result page. session_id is appended.
	ReturnURL string `yaml:"return_url"`

	// OID4VP 1.0 and the one-QR login (1.0+draft-20), docs/oid4vp-1.0.md:

	// ClientIDPrefix is how 1.0 requests name the verifier (OID4VP 1.0
	// §5.9.3): decentralized_identifier (the default: a DID of the
	// verifier's signs the request objects), x509_san_dns or x509_hash (a
	// certificate chain does), or redirect_uri (unsigned, by value).
	ClientIDPrefix string `yaml:"client_id_prefix"`
	// Signing is the verifier's request signing key and identity.
	Signing Signing `yaml:"signing"`
	// ResponseEncryption decides when 1.0 requests ask for direct_post.jwt
	// (§8.3): when_supported (the default: when the wallet's request_uri
	// POST says it encrypts with ECDH-ES), required (always; plain 1.0
	// answers are refused), off (never).
	ResponseEncryption string `yaml:"response_encryption"`
	// EncryptedResponseEnc are the JWE enc values accepted
	// (encrypted_response_enc_values_supported). Default [A128GCM, A256GCM].
	EncryptedResponseEnc []string `yaml:"encrypted_response_enc"`
	// VerifierInfo is the optional verifier_info of 1.0 requests (§5.11):
	// attestations about the verifier, each {format, data, credential_ids}.
	VerifierInfo []map[string]any `yaml:"verifier_info"`
}

// Signing is the key 1.0 request objects are signed with and how the
// verifier names itself with it.
type Signing struct {
	// KeyFile is a PEM private key (PKCS#8, P-256 or Ed25519). For
	// decentralized_identifier it is made (P-256) and written here, mode
	// 0600, when the file does not exist; empty: a key made at each start,
	// which a restart or another instance does not share.
	KeyFile string `yaml:"key_file"`
	// DID is the verifier's DID for decentralized_identifier: jwk (the
	// default, did:jwk of the key), key (did:key of the key), or a DID
	// whose document lists the key (did:web, did:iota), with KeyID.
	DID string `yaml:"did"`
	// KeyID is the verification method that signs (the kid), for a DID
	// given in full.
	KeyID string `yaml:"key_id"`
	// CertificateChainFile is a PEM chain, leaf first, for x509_san_dns
	// and x509_hash; its leaf certifies KeyFile's key.
	CertificateChainFile string `yaml:"certificate_chain_file"`
	// DNSName is the x509_san_dns original client identifier (default:
	// the public URL's host); the leaf must name it as a dNSName SAN.
	DNSName string `yaml:"dns_name"`
}

// Response encryption policies (oid4vp.response_encryption).
const (
	EncryptWhenSupported = "when_supported"
	EncryptRequired      = "required"
	EncryptOff           = "off"
)

// Protocols is one dialect name or a list of them.
type Protocols []string

// UnmarshalYAML reads "draft-20" or [draft-20, profile-2022].
func (p *Protocols) UnmarshalYAML(n *yaml.Node) error {
	var v any
	if err := n.Decode(&v); err != nil {
		return err
	}
	list, err := protocolList(v)
	if err != nil {
		return fmt.Errorf("line %d: oid4vp.protocol: %w", n.Line, err)
	}
	*p = list
	return nil
}

// protocolList reads a protocol value (a name or a list of names) and
// checks each against the available dialects.
func protocolList(v any) ([]string, error) {
	var names []string
	switch v := v.(type) {
	case string:
		names = []string{v}
	case []any:
		for _, it := range v {
			s, ok := it.(string)
			if !ok {
				return nil, fmt.Errorf("want protocol names, got %v", it)
			}
			names = append(names, s)
		}
	default:
		return nil, fmt.Errorf("want a protocol name or a list of them (%s)", strings.Join(oid4vp.Names(), ", "))
	}
	if len(names) == 0 {
		return nil, errors.New("want at least one protocol")
	}
	for i, n := range names {
		if _, err := oid4vp.Lookup(n); err != nil {
			return nil, err
		}
		if slices.Contains(names[:i], n) {
			return nil, fmt.Errorf("%q is listed twice", n)
		}
	}
	return names, nil
}

func (o *OID4VP) applyDefaults() {
	if len(o.Protocol) == 0 {
		o.Protocol = oid4vp.DefaultProtocols()
	}
	if o.Scheme == "" {
		o.Scheme = "openid4vp://"
	}
	if o.CrossDeviceResponseMode == "" {
		o.CrossDeviceResponseMode = oid4vp.ModePost
	}
	if o.SameDeviceResponseMode == "" {
		o.SameDeviceResponseMode = oid4vp.ModeFormPost
	}
	if o.ClientIDPrefix == "" {
		o.ClientIDPrefix = oid4vp.PrefixDID
	}
	if o.Signing.DID == "" {
		o.Signing.DID = "jwk"
	}
	if o.ResponseEncryption == "" {
		o.ResponseEncryption = EncryptWhenSupported
	}
	if len(o.EncryptedResponseEnc) == 0 {
		o.EncryptedResponseEnc = []string{oid4vp.EncA128GCM, oid4vp.EncA256GCM}
	}
}

func (o *OID4VP) validate() error {
	switch o.CrossDeviceResponseMode {
	case oid4vp.ModePost, oid4vp.ModeDirectPost:
	default:
		return fmt.Errorf("oid4vp.cross_device_response_mode: want post or direct_post, got %q", o.CrossDeviceResponseMode)
	}
	switch o.SameDeviceResponseMode {
	case oid4vp.ModeFormPost, oid4vp.ModeDirectPost:
	default:
		return fmt.Errorf("oid4vp.same_device_response_mode: want form_post or direct_post, got %q", o.SameDeviceResponseMode)
	}
	if !strings.HasSuffix(o.Scheme, "://") {
		return fmt.Errorf("oid4vp.scheme: want a scheme like openid4vp://, got %q", o.Scheme)
	}
	if u := o.SameDeviceWalletURL; u != "" {
		if _, err := url.Parse(u); err != nil {
			return fmt.Errorf("oid4vp.same_device_wallet_url: %w", err)
		}
	}
	if u := o.ReturnURL; u != "" {
		if err := checkBaseURL(u); err != nil {
			return fmt.Errorf("oid4vp.return_url: %w", err)
		}
	}
	return o.validateV1()
}

// validateV1 checks the 1.0 keys.
func (o *OID4VP) validateV1() error {
	if err := oid4vp.CheckPrefix(o.ClientIDPrefix); err != nil {
		return fmt.Errorf("oid4vp.client_id_prefix: %w", err)
	}
	s := o.Signing
	switch o.ClientIDPrefix {
	case oid4vp.PrefixDID:
		switch {
		case s.DID == "jwk" || s.DID == "key":
			if s.KeyID != "" {
				return fmt.Errorf("oid4vp.signing.key_id: only for a DID given in full (did: did:web:…), not did: %s", s.DID)
			}
		case strings.HasPrefix(s.DID, "did:"):
			if s.KeyFile == "" || s.KeyID == "" {
				return fmt.Errorf("oid4vp.signing.did: a DID given in full needs key_file (its key) and key_id (the verification method, %s#…)", s.DID)
			}
			if !strings.HasPrefix(s.KeyID, s.DID+"#") {
				return fmt.Errorf("oid4vp.signing.key_id: want a verification method of %s (%s#…), got %q", s.DID, s.DID, s.KeyID)
			}
		default:
			return fmt.Errorf("oid4vp.signing.did: want jwk, key or a DID, got %q", s.DID)
		}
	case oid4vp.PrefixX509SanDNS, oid4vp.PrefixX509Hash:
		if s.KeyFile == "" || s.CertificateChainFile == "" {
			return fmt.Errorf("oid4vp.client_id_prefix: %s needs signing.certificate_chain_file and signing.key_file", o.ClientIDPrefix)
		}
	}
	switch o.ResponseEncryption {
	case EncryptWhenSupported, EncryptRequired, EncryptOff:
	default:
		return fmt.Errorf("oid4vp.response_encryption: want when_supported, required or off, got %q", o.ResponseEncryption)
	}
	for i, e := range o.EncryptedResponseEnc {
		if e != oid4vp.EncA128GCM && e != oid4vp.EncA256GCM {
			return fmt.Errorf("oid4vp.encrypted_response_enc[%d]: want A128GCM or A256GCM, got %q", i, e)
		}
		if slices.Contains(o.EncryptedResponseEnc[:i], e) {
			return fmt.Errorf("oid4vp.encrypted_response_enc[%d]: %s is listed twice", i, e)
		}
	}
	for i, vi := range o.VerifierInfo {
		if f, _ := vi["format"].(string); f == "" {
			return fmt.Errorf("oid4vp.verifier_info[%d].format: a string is required", i)
		}
		switch vi["data"].(type) {
		case string, map[string]any:
		default:
			return fmt.Errorf("oid4vp.verifier_info[%d].data: an object or a string is required", i)
		}
		for k := range vi {
			if k != "format" && k != "data" && k != "credential_ids" {
				return fmt.Errorf("oid4vp.verifier_info[%d].%s: unknown member (format, data, credential_ids)", i, k)
			}
		}
	}
	return nil
}
