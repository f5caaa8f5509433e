package verifier

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/loginwithiota/verifier/oid4vp"
	"github.com/loginwithiota/verifier/session"
)

// OpenID for Verifiable Presentations 1.0 (oid4vp/v1.go): how its
// requests name the verifier and sign, and when they ask for an
// encrypted response (direct_post.jwt, §8.3).

// Response encryption policies (V1Options.Encryption).
const (
	// EncryptWhenSupported asks for direct_post.jwt when the wallet's
	// request_uri POST says it encrypts (ECDH-ES and an enc of ours);
	// otherwise, and for a GET, direct_post. Both answers are accepted.
	EncryptWhenSupported = "when_supported"
	// EncryptRequired always asks for direct_post.jwt and refuses 1.0
	// answers posted in the clear (response_not_encrypted).
	EncryptRequired = "required"
	// EncryptOff never asks for it; no response key is made.
	EncryptOff = "off"
)

// V1Options configure the 1.0 dialects.
type V1Options struct {
	// Identity is the verifier's client identifier and request signing
	// key (NewRequestIdentity); nil: an ephemeral did:jwk
	// (decentralized_identifier) made at start.
	Identity *RequestIdentity
	// Encryption is EncryptWhenSupported (default), EncryptRequired or
	// EncryptOff.
	Encryption string
	// Enc are the JWE enc values accepted (default A128GCM, A256GCM).
	Enc []string
	// VerifierInfo is the optional verifier_info parameter, as JSON.
	VerifierInfo json.RawMessage
}

func (o *V1Options) identity(responseURI string) (*RequestIdentity, error) {
	switch o.Encryption {
	case "":
		o.Encryption = EncryptWhenSupported
	case EncryptWhenSupported, EncryptRequired, EncryptOff:
	default:
		return nil, fmt.Errorf("response encryption %q is none of %s, %s, %s", o.Encryption, EncryptWhenSupported, EncryptRequired, EncryptOff)
	}
	if len(o.Enc) == 0 {
		o.Enc = []string{oid4vp.EncA128GCM, oid4vp.EncA256GCM}
	}
	for _, e := range o.Enc {
		if e != oid4vp.EncA128GCM && e != oid4vp.EncA256GCM {
			return nil, fmt.Errorf("enc %q is not A128GCM or A256GCM", e)
		}
	}
	if o.Identity != nil {
		return o.Identity, nil
	}
	return NewRequestIdentity(IdentityOptions{Prefix: oid4vp.PrefixDID, ResponseURI: responseURI})
}

// Identity is the verifier's 1.0 identity.
func (v *Verifier) Identity() *RequestIdentity { return v.identity }

// needsResponseKey reports whether a login in dialect d gets a response
// key.
func (v *Verifier) needsResponseKey(d oid4vp.Dialect) bool {
	return oid4vp.IsV1(d) && v.cfg.V1.Encryption != EncryptOff
}

// encryption is what s's request for fetch f publishes for an encrypted
// response, nil for direct_post.
func (v *Verifier) encryption(s session.Session, f fetch) *oid4vp.Encryption {
	if len(s.ResponseKey) == 0 {
		return nil
	}
	switch v.cfg.V1.Encryption {
	case EncryptOff:
		return nil
	case EncryptWhenSupported:
		if f.method != oid4vp.RequestURIMethodPost || !f.wallet.CanEncrypt(v.cfg.V1.Enc) {
			return nil
		}
	}
	k, err := oid4vp.ParseResponseKey(s.ResponseKey)
	if err != nil {
		v.log.Error("a session's response key cannot be read", "session", s.ID, "err", err)
		return nil
	}
	// §8.3: "If the selected public key contains a kid parameter, the JWE
	// MUST include the same value in the kid JWE Header Parameter": the
	// kid is the login's state, which finds the login the response is
	// for before anything is decrypted.
	jwk, err := oid4vp.ResponseJWK(k, s.State)
	if err != nil {
		return nil
	}
	return &oid4vp.Encryption{JWK: jwk, Enc: slices.Clone(v.cfg.V1.Enc)}
}
