package oid4vp

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
)

// WalletRequest is what a wallet posted to the request_uri (1.0 §5.10):
// its metadata and nonce. Nothing in it is trusted: the metadata only
// chooses among what the verifier would send anyway (an encrypted
// response or not), and the nonce is echoed, never interpreted.
type WalletRequest struct {
	// Metadata is wallet_metadata (§10.1), as JSON members; nil when none
	// was posted.
	Metadata map[string]json.RawMessage
	// Nonce is wallet_nonce, "" when none was posted.
	Nonce string
}

// Bounds of a request_uri POST.
const (
	maxWalletNonce   = 256
	maxMetadataKeys  = 64
	maxMetadataValue = 16 << 10
)

// ParseWalletRequest reads the form a wallet POSTs to the request_uri:
// wallet_metadata as "A string containing a JSON object", and
// wallet_nonce. Some wallets (@openid4vc/openid4vp 0.4.6) post the
// metadata's members as form fields of their own instead, each value
// JSON text; those are read as the same metadata. "The Verifier MUST
// ignore any unrecognized parameters": a member that is not JSON is
// dropped.
func ParseWalletRequest(form url.Values) (WalletRequest, error) {
	var w WalletRequest
	for k, v := range form {
		if len(v) > 1 {
			return w, fmt.Errorf("%s is included more than once", clip(k))
		}
	}
	if n := form.Get(ParamWalletNonce); n != "" {
		if len(n) > maxWalletNonce || !printable(n) {
			return w, fmt.Errorf("wallet_nonce is longer than %d characters or not printable ASCII", maxWalletNonce)
		}
		w.Nonce = n
	}
	if raw, ok := form[ParamWalletMetadata]; ok {
		if len(raw[0]) > maxMetadataValue*4 || jsonDepth([]byte(raw[0])) > maxResponseDepth {
			return w, errors.New("wallet_metadata is too large")
		}
		if err := json.Unmarshal([]byte(raw[0]), &w.Metadata); err != nil || w.Metadata == nil {
			return w, errors.New("wallet_metadata is not a JSON object")
		}
		return w, nil
	}
	for k, v := range form {
		if k == ParamWalletNonce {
			continue
		}
		if len(w.Metadata) == maxMetadataKeys {
			return w, fmt.Errorf("the wallet's metadata has more than %d members", maxMetadataKeys)
		}
		val := []byte(v[0])
		if len(val) > maxMetadataValue || jsonDepth(val) > maxResponseDepth || !json.Valid(val) {
			continue
		}
		if w.Metadata == nil {
			w.Metadata = map[string]json.RawMessage{}
		}
		w.Metadata[k] = val
	}
	return w, nil
}

// CanEncrypt reports whether the wallet's metadata says it encrypts
// responses as a request with enc values encs asks: §5.10 "If the Wallet
// requires an encrypted Authorization Response, it SHOULD specify
// supported encryption algorithms using the
// authorization_encryption_alg_values_supported and
// authorization_encryption_enc_values_supported parameters." The alg
// list must name ECDH-ES; an enc list, when given, one of encs.
func (w WalletRequest) CanEncrypt(encs []string) bool {
	var algs, walletEncs []string
	if json.Unmarshal(w.Metadata["authorization_encryption_alg_values_supported"], &algs) != nil || !slices.Contains(algs, EncAlgECDHES) {
		return false
	}
	raw, ok := w.Metadata["authorization_encryption_enc_values_supported"]
	if !ok {
		return slices.Contains(encs, EncA128GCM) // the default enc
	}
	if json.Unmarshal(raw, &walletEncs) != nil {
		return false
	}
	return slices.ContainsFunc(walletEncs, func(e string) bool { return slices.Contains(encs, e) })
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
