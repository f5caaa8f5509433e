package vp

import (
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"slices"

	jose "github.com/go-jose/go-jose/v4"
)

// Encrypted answers (1.0 §8.3, direct_post.jwt): "an unsigned, encrypted
// JWT" to a key of client_metadata.jwks.

// encAlgECDHES is the key agreement this wallet encrypts with.
const encAlgECDHES = "ECDH-ES"

// encs are the content encryptions the wallet makes, in its order of
// preference when the verifier lists none of its own.
var encs = []string{"A128GCM", "A256GCM", "A192GCM", "A128CBC-HS256", "A256CBC-HS512"}

// Encryption is where a direct_post.jwt answer is encrypted to.
type Encryption struct {
	Key *jose.JSONWebKey // the verifier's public key
	Enc string           // the content encryption
}

// encryptionOf picks the key and enc of client_metadata: "JWKs whose use
// parameter is absent or has the value enc are for encryption"; "The alg
// parameter MUST be present in the JWKs"; the enc "is obtained from the
// encrypted_response_enc_values_supported parameter ..., allowing for the
// default value of A128GCM when not explicitly set".
func encryptionOf(meta map[string]json.RawMessage) (*Encryption, error) {
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if raw, ok := meta["jwks"]; !ok || json.Unmarshal(raw, &set) != nil || len(set.Keys) == 0 {
		return nil, errors.New("direct_post.jwt needs client_metadata.jwks with the verifier's encryption key")
	}
	e := &Encryption{}
	for _, raw := range set.Keys {
		var k jose.JSONWebKey
		if k.UnmarshalJSON(raw) != nil || !k.IsPublic() || (k.Use != "" && k.Use != "enc") || k.Algorithm != encAlgECDHES {
			continue
		}
		if _, ok := k.Key.(*ecdsa.PublicKey); ok {
			e.Key = &k
			break
		}
	}
	if e.Key == nil {
		return nil, errors.New("client_metadata.jwks has no ECDH-ES encryption key (EC, use enc, alg ECDH-ES) this wallet can encrypt to")
	}
	offered := []string{"A128GCM"}
	if raw, ok := meta["encrypted_response_enc_values_supported"]; ok {
		if json.Unmarshal(raw, &offered) != nil || len(offered) == 0 {
			return nil, errors.New("client_metadata.encrypted_response_enc_values_supported must be a non-empty array of strings")
		}
	}
	for _, enc := range offered {
		if slices.Contains(encs, enc) {
			e.Enc = enc
			return e, nil
		}
	}
	return nil, errors.New("the verifier accepts no content encryption this wallet makes (A128GCM, A256GCM, ...)")
}

// seal encrypts the answer's parameters (as top-level JSON members) to
// e's key, its kid in the header: "If the selected public key contains a
// kid parameter, the JWE MUST include the same value in the kid JWE Header
// Parameter".
func (e *Encryption) seal(members map[string]any) (string, error) {
	payload, err := json.Marshal(members)
	if err != nil {
		return "", err
	}
	enc, err := jose.NewEncrypter(jose.ContentEncryption(e.Enc),
		jose.Recipient{Algorithm: jose.ECDH_ES, Key: e.Key.Key, KeyID: e.Key.KeyID}, nil)
	if err != nil {
		return "", err
	}
	obj, err := enc.Encrypt(payload)
	if err != nil {
		return "", err
	}
	return obj.CompactSerialize()
}
