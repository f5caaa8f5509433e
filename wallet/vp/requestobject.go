package vp

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/loginwithiota/verifier/wallet"
)

// maxRequestObject bounds a request object.
const maxRequestObject = 256 << 10

// requestObject replaces the query's parameters with those of the request
// object it names (RFC 9101 §6.3: "the Authorization Server MUST only use
// the parameters in the Request Object"), fetched from request_uri (GET,
// or POST when request_uri_method=post) or given in request, and returns
// who signed it ("" for an unsigned one).
func requestObject(ctx context.Context, h *wallet.HTTP, q params, opts Options) (params, string, error) {
	clientID := q.str(pClientID)
	if clientID == "" {
		// RFC 9101 §5: "client_id REQUIRED".
		return nil, "", errors.New("a request by reference needs client_id beside request_uri")
	}
	if q.has(pRequest) && q.has(pRequestURI) {
		return nil, "", errors.New("request and request_uri must not both be present")
	}
	jwt, nonce := q.str(pRequest), ""
	if u := q.str(pRequestURI); u != "" {
		method := q.str(pRequestURIMethod)
		if method == "post" && opts.Draft20 {
			// §5.10: "Wallets not supporting the post method will send a GET
			// request to the Request URI": what a draft-20 wallet does.
			method = "get"
		}
		var err error
		if jwt, nonce, err = fetchRequestObject(ctx, h, u, method, walletMetadata(clientID, q.str(pClientIDScheme), opts.KeyAlg)); err != nil {
			return nil, "", err
		}
	}
	p, signer, err := readRequestObject(ctx, jwt, clientID, q.str(pClientIDScheme), opts)
	if err != nil {
		return nil, "", err
	}
	// 1.0 §5.10.1: "The Client Identifier value in the client_id
	// Authorization Request parameter and the Request Object client_id
	// claim value MUST be identical, including the Client Identifier
	// Prefix."
	if p.str(pClientID) != clientID {
		return nil, "", errors.New("the request object's client_id differs from the request's")
	}
	// "if the Wallet passed a wallet_nonce in the POST request, the Wallet
	// MUST validate whether the request object contains the respective
	// nonce value in a wallet_nonce claim. If it does not, the Wallet MUST
	// terminate request processing."
	if nonce != "" && p.str(pWalletNonce) != nonce {
		return nil, "", errors.New("the request object does not carry the wallet_nonce this wallet sent")
	}
	return p, signer, nil
}

// fetchRequestObject gets the object; with request_uri_method=post the
// wallet posts its metadata and a fresh wallet_nonce (§5.10).
func fetchRequestObject(ctx context.Context, h *wallet.HTTP, u, method string, meta map[string]any) (string, string, error) {
	var (
		a     *wallet.Answer
		err   error
		nonce string
	)
	switch method {
	case "", "get":
		a, err = h.Get(ctx, u, "application/oauth-authz-req+jwt, application/jwt")
	case "post":
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		nonce = base64.RawURLEncoding.EncodeToString(b)
		raw, _ := json.Marshal(meta)
		a, err = h.PostForm(ctx, u, url.Values{pWalletNonce: {nonce}, pWalletMetadata: {string(raw)}})
	default:
		// §8.5 invalid_request_uri_method: "neither get nor post (case-sensitive)".
		return "", "", fmt.Errorf("request_uri_method %q: want get or post (invalid_request_uri_method)", wallet.Clip(method))
	}
	if err != nil {
		// §5.10.2: "If the Verifier responds with any HTTP error response,
		// the Wallet MUST terminate the process."
		return "", "", fmt.Errorf("request_uri: %w", err)
	}
	if a.Status != 200 {
		return "", "", fmt.Errorf("request_uri answered HTTP %d, not the request object (a redirect is not followed)", a.Status)
	}
	if a.ContentType != "application/oauth-authz-req+jwt" && a.ContentType != "application/jwt" {
		return "", "", fmt.Errorf("request_uri answered %q, not application/oauth-authz-req+jwt", wallet.Clip(a.ContentType))
	}
	return strings.TrimSpace(string(a.Body)), nonce, nil
}

// walletMetadata is what the wallet posts to a request_uri (§10.1): the
// formats it presents and their algorithms, the prefixes it
// authenticates, and that it encrypts answers (ECDH-ES). Under a client
// identifier that precludes signed request objects it names no signing
// algs ("the Wallet MUST NOT include this parameter if the Client
// Identifier Prefix precludes signed Request Objects").
func walletMetadata(clientID, scheme, keyAlg string) map[string]any {
	algs := []string{"EdDSA", "ES256"}
	if keyAlg != "" {
		algs = []string{keyAlg}
	}
	m := map[string]any{
		"vp_formats_supported": map[string]any{
			"jwt_vc_json": map[string]any{"alg_values": algs},
			"dc+sd-jwt":   map[string]any{"sd-jwt_alg_values": []string{"EdDSA", "ES256"}, "kb-jwt_alg_values": algs},
			"ldp_vc":      map[string]any{"proof_type_values": ldpProofTypes, "cryptosuite_values": []string{"eddsa-rdfc-2022"}},
		},
		"client_id_prefixes_supported":                  []string{PrefixDID, PrefixX509SanDNS, PrefixX509Hash, PrefixRedirectURI},
		"response_types_supported":                      []string{responseTypeVPToken},
		"response_modes_supported":                      []string{ModeDirectPost, ModeDirectJWT},
		"authorization_encryption_alg_values_supported": []string{encAlgECDHES},
		"authorization_encryption_enc_values_supported": encs,
	}
	if prefix, _ := splitPrefix(clientID); prefix != PrefixRedirectURI && scheme != schemeRedirectURI {
		m["request_object_signing_alg_values_supported"] = requestAlgs
	}
	return m
}

// readRequestObject reads a request object: unsigned (alg none), which
// only the redirect_uri client identifier allows ("Requests using the
// redirect_uri Client Identifier Prefix cannot be signed"), or signed and
// verified as its client identifier says (jar.go).
func readRequestObject(ctx context.Context, jwt, clientID, scheme string, opts Options) (params, string, error) {
	if len(jwt) > maxRequestObject {
		return nil, "", errors.New("the request object is too large")
	}
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return nil, "", errors.New("the request object is not a JWT (an encrypted request object is not supported)")
	}
	var hdr struct {
		Alg string `json:"alg"`
		Typ string `json:"typ"`
	}
	if err := decodePart(parts[0], &hdr); err != nil {
		return nil, "", errors.New("the request object's header is not base64url JSON")
	}
	prefix, _ := splitPrefix(clientID)
	switch {
	case prefix != "" && hdr.Typ != requestObjectType:
		// 1.0 §5: "Wallets MUST NOT process Request Objects where the typ
		// Header Parameter is not present or does not have the value
		// oauth-authz-req+jwt."
		return nil, "", fmt.Errorf("the request object's typ is %q, not %s", wallet.Clip(hdr.Typ), requestObjectType)
	case hdr.Typ != "" && hdr.Typ != requestObjectType && !strings.EqualFold(hdr.Typ, "JWT"):
		return nil, "", fmt.Errorf("the request object's typ is %q, not %s", wallet.Clip(hdr.Typ), requestObjectType)
	}
	if hdr.Alg != "none" || parts[2] != "" {
		return verifyRequestObject(ctx, jwt, clientID, scheme, opts)
	}
	switch {
	case prefix == PrefixRedirectURI, prefix == "" && (scheme == "" || scheme == schemeRedirectURI):
	case prefix != "":
		return nil, "", fmt.Errorf("an unsigned request object under the client identifier prefix %s: only redirect_uri: requests may be unsigned", prefix)
	default:
		return nil, "", fmt.Errorf("an unsigned request object with client_id_scheme %q: only redirect_uri allows that", wallet.Clip(scheme))
	}
	var p params
	if err := decodePart(parts[1], &p); err != nil || p == nil {
		return nil, "", errors.New("the request object's claims are not base64url JSON")
	}
	if sch := p.str(pClientIDScheme); sch != "" && sch != schemeRedirectURI {
		return nil, "", fmt.Errorf("an unsigned request object with client_id_scheme %q: only redirect_uri allows that", wallet.Clip(sch))
	}
	return p, "", nil
}

func decodePart(s string, v any) error {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, v)
}
