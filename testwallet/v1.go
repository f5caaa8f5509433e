package testwallet

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	didjwk "github.com/loginwithiota/verifier/did/jwk"
	"github.com/loginwithiota/verifier/sdjwt"
)

// V1Request is an OID4VP 1.0 request object as a wallet reads it, its
// signature checked with the key of its kid's did:jwk (the verifier's
// decentralized_identifier).
type V1Request struct {
	JWT    string
	Header map[string]any
	Claims map[string]any
	// ClientID, Nonce, State, ResponseURI, ResponseMode, WalletNonce and
	// DCQL are the claims of those names.
	ClientID, Nonce, State, ResponseURI, ResponseMode, WalletNonce string
	DCQL                                                           map[string]any
	// EncKey is client_metadata.jwks' key (nil without one), Enc its
	// encrypted_response_enc_values_supported.
	EncKey *jose.JSONWebKey
	Enc    []string
}

// FetchV1 reads a 1.0 QR (client_id, request_uri, request_uri_method)
// and fetches its request object with method, posting form for a POST
// (nil: no body).
func FetchV1(ctx context.Context, client *http.Client, uri, method string, form url.Values) (*V1Request, error) {
	_, query, _ := strings.Cut(uri, "?")
	q, err := url.ParseQuery(query)
	if err != nil {
		return nil, err
	}
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, q.Get("request_uri"), body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/oauth-authz-req+jwt")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/oauth-authz-req+jwt" {
		return nil, fmt.Errorf("request_uri: %d %s", resp.StatusCode, raw)
	}
	r, err := ReadV1Request(string(raw))
	if err != nil {
		return nil, err
	}
	if r.ClientID != q.Get("client_id") {
		return nil, errors.New("the request object's client_id is not the QR's")
	}
	return r, nil
}

// ReadV1Request verifies and reads a signed request object.
func ReadV1Request(compact string) (*V1Request, error) {
	jws, err := jose.ParseSignedCompact(compact, []jose.SignatureAlgorithm{jose.ES256, jose.EdDSA})
	if err != nil {
		return nil, fmt.Errorf("request object: %w", err)
	}
	h := jws.Signatures[0].Protected
	if h.ExtraHeaders[jose.HeaderType] != "oauth-authz-req+jwt" {
		return nil, errors.New("request object: typ is not oauth-authz-req+jwt")
	}
	did, _, _ := strings.Cut(h.KeyID, "#")
	if !strings.HasPrefix(did, didjwk.Prefix) {
		return nil, errors.New("request object: the kid is not a did:jwk")
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(did, didjwk.Prefix))
	if err != nil {
		return nil, err
	}
	var key jose.JSONWebKey
	if err := key.UnmarshalJSON(raw); err != nil {
		return nil, err
	}
	payload, err := jws.Verify(key.Key)
	if err != nil {
		return nil, fmt.Errorf("request object: %w", err)
	}
	r := &V1Request{JWT: compact, Header: map[string]any{"alg": h.Algorithm, "kid": h.KeyID}}
	if err := json.Unmarshal(payload, &r.Claims); err != nil {
		return nil, err
	}
	str := func(k string) string { s, _ := r.Claims[k].(string); return s }
	r.ClientID, r.Nonce, r.State, r.ResponseURI = str("client_id"), str("nonce"), str("state"), str("response_uri")
	r.ResponseMode, r.WalletNonce = str("response_mode"), str("wallet_nonce")
	r.DCQL, _ = r.Claims["dcql_query"].(map[string]any)
	if r.ClientID != "decentralized_identifier:"+did {
		return nil, errors.New("request object: client_id is not the signing DID")
	}
	meta, _ := r.Claims["client_metadata"].(map[string]any)
	if jwks, ok := meta["jwks"].(map[string]any); ok {
		keys, _ := jwks["keys"].([]any)
		if len(keys) > 0 {
			b, _ := json.Marshal(keys[0])
			var k jose.JSONWebKey
			if err := k.UnmarshalJSON(b); err != nil {
				return nil, err
			}
			r.EncKey = &k
		}
		for _, e := range asList(meta["encrypted_response_enc_values_supported"]) {
			r.Enc = append(r.Enc, e)
		}
	}
	return r, nil
}

func asList(v any) []string {
	items, _ := v.([]any)
	out := make([]string, 0, len(items))
	for _, it := range items {
		if s, ok := it.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// EncryptMetadata is the request_uri POST form of a wallet that encrypts.
func EncryptMetadata(walletNonce string) url.Values {
	f := url.Values{"wallet_metadata": {`{"authorization_encryption_alg_values_supported":["ECDH-ES"],"authorization_encryption_enc_values_supported":["A128GCM","A256GCM"]}`}}
	if walletNonce != "" {
		f.Set("wallet_nonce", walletNonce)
	}
	return f
}

// EncryptJWE encrypts payload with ECDH-ES to key (a P-256 public key),
// kid in the header, with enc.
func EncryptJWE(payload []byte, key crypto.PublicKey, kid, enc string) (string, error) {
	e, err := jose.NewEncrypter(jose.ContentEncryption(enc), jose.Recipient{Algorithm: jose.ECDH_ES, Key: key, KeyID: kid}, nil)
	if err != nil {
		return "", err
	}
	obj, err := e.Encrypt(payload)
	if err != nil {
		return "", err
	}
	return obj.CompactSerialize()
}

// PostV1 posts a 1.0 response: the vp_token (JSON text) in the clear, or,
// when encrypt is set, as the JWE of {vp_token, state}.
func (r *V1Request) PostV1(ctx context.Context, client *http.Client, vpToken any, encrypt bool) (*http.Response, []byte, error) {
	form := url.Values{"state": {r.State}}
	tok, err := json.Marshal(vpToken)
	if err != nil {
		return nil, nil, err
	}
	if encrypt {
		if r.EncKey == nil {
			return nil, nil, errors.New("the request published no encryption key")
		}
		payload, _ := json.Marshal(map[string]any{"vp_token": vpToken, "state": r.State})
		jwe, err := EncryptJWE(payload, r.EncKey.Key, r.EncKey.KeyID, "A128GCM")
		if err != nil {
			return nil, nil, err
		}
		form = url.Values{"response": {jwe}}
	} else {
		form.Set("vp_token", string(tok))
	}
	return PostForm(ctx, client, r.ResponseURI, form)
}

// PostForm posts form to uri.
func PostForm(ctx context.Context, client *http.Client, uri string, form url.Values) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, uri, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

// SDIssuer issues SD-JWT VCs with a P-256 key under its did:jwk.
type SDIssuer struct {
	Key      *ecdsa.PrivateKey
	DID, KID string
}

// NewSDIssuer makes an issuer with a fresh key.
func NewSDIssuer() *SDIssuer {
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	jwk, _ := sdjwt.JWKOf(k.Public())
	did, kid, _ := didjwk.FromJWK(jwk)
	return &SDIssuer{Key: k, DID: did, KID: kid}
}

// Issue makes a VerifiableId SD-JWT VC bound to holder (cnf.jwk) with
// claims, each selectively disclosable, and extra claims in the clear.
func (i *SDIssuer) Issue(holder crypto.PublicKey, vct string, claims, extra map[string]any) (string, error) {
	cnf, err := sdjwt.JWKOf(holder)
	if err != nil {
		return "", err
	}
	all := map[string]any{"iss": i.DID, "vct": vct, "iat": time.Now().Add(-time.Minute).Unix(), "cnf": map[string]any{"jwk": cnf}}
	var paths []sdjwt.Path
	for k, v := range claims {
		all[k] = v
		paths = append(paths, sdjwt.Path{k})
	}
	for k, v := range extra {
		all[k] = v
	}
	return sdjwt.Issue(all, paths, sdjwt.Signer{Key: i.Key, KeyID: i.KID}, sdjwt.IssueOptions{})
}

// PresentSD discloses the claims named and adds a KB-JWT by holder for
// nonce, aud and iat.
func PresentSD(issued string, names []string, holder crypto.Signer, nonce, aud string, iat time.Time) (string, error) {
	paths := make([]sdjwt.Path, len(names))
	for i, n := range names {
		paths[i] = sdjwt.Path{n}
	}
	return sdjwt.Present(issued, paths, &sdjwt.Holder{Signer: sdjwt.Signer{Key: holder}, Nonce: nonce, Audience: aud, IssuedAt: iat})
}
