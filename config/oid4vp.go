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
}

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
	return nil
}
