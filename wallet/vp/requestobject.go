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
// or POST when request_uri_method=post) or given in request.
func requestObject(ctx context.Context, h *wallet.HTTP, q params) (params, error) {
	clientID := q.str(pClientID)
	if clientID == "" {
		// RFC 9101 §5: "client_id REQUIRED".
		return nil, errors.New("a request by reference needs client_id beside request_uri")
	}
	if q.has(pRequest) && q.has(pRequestURI) {
		return nil, errors.New("request and request_uri must not both be present")
	}
	jwt, nonce := q.str(pRequest), ""
	if u := q.str(pRequestURI); u != "" {
		var err error
		if jwt, nonce, err = fetchRequestObject(ctx, h, u, q.str(pRequestURIMethod)); err != nil {
			return nil, err
		}
	}
	p, err := decodeRequestObject(jwt, q.str(pClientIDScheme))
	if err != nil {
		return nil, err
	}
	if sch := p.str(pClientIDScheme); sch != "" && sch != schemeRedirectURI {
		return nil, fmt.Errorf("an unsigned request object with client_id_scheme %q: only redirect_uri allows that", wallet.Clip(sch))
	}
	// "The client_id ... MUST be identical" in the query and the object.
	if p.str(pClientID) != clientID {
		return nil, errors.New("the request object's client_id differs from the request's")
	}
	if nonce != "" && p.str("wallet_nonce") != nonce {
		return nil, errors.New("the request object does not carry the wallet_nonce this wallet sent")
	}
	return p, nil
}

// fetchRequestObject gets the object; with request_uri_method=post the
// wallet posts its nonce (and no metadata beyond what it answers).
func fetchRequestObject(ctx context.Context, h *wallet.HTTP, u, method string) (string, string, error) {
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
		meta, _ := json.Marshal(map[string]any{"vp_formats_supported": map[string]any{
			"ldp_vp": map[string]any{}, "jwt_vp_json": map[string]any{}}, "response_types_supported": []string{"vp_token"}})
		a, err = h.PostForm(ctx, u, url.Values{"wallet_nonce": {nonce}, "wallet_metadata": {string(meta)}})
	default:
		return "", "", fmt.Errorf("request_uri_method %q: want get or post", wallet.Clip(method))
	}
	if err != nil {
		return "", "", fmt.Errorf("request_uri: %w", err)
	}
	if a.ContentType != "application/oauth-authz-req+jwt" && a.ContentType != "application/jwt" {
		return "", "", fmt.Errorf("request_uri answered %q, not application/oauth-authz-req+jwt", wallet.Clip(a.ContentType))
	}
	return strings.TrimSpace(string(a.Body)), nonce, nil
}

// decodeRequestObject reads an unsigned request object: the only kind the
// redirect_uri client identifier scheme allows ("the Authorization
// Request MUST NOT be signed"). A signed one belongs to a scheme this
// wallet does not authenticate yet (1.0's prefixes), and is refused.
func decodeRequestObject(jwt, scheme string) (params, error) {
	if len(jwt) > maxRequestObject {
		return nil, errors.New("the request object is too large")
	}
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return nil, errors.New("the request object is not a JWT")
	}
	var hdr struct {
		Alg string `json:"alg"`
		Typ string `json:"typ"`
	}
	if err := decodePart(parts[0], &hdr); err != nil {
		return nil, errors.New("the request object's header is not base64url JSON")
	}
	if hdr.Typ != "" && hdr.Typ != requestObjectType && !strings.EqualFold(hdr.Typ, "JWT") {
		return nil, fmt.Errorf("the request object's typ is %q, not %s", wallet.Clip(hdr.Typ), requestObjectType)
	}
	if hdr.Alg != "none" || parts[2] != "" {
		return nil, fmt.Errorf("signed request objects (alg %s) are not supported by this wallet yet; the redirect_uri scheme sends them unsigned", wallet.Clip(hdr.Alg))
	}
	if scheme != "" && scheme != schemeRedirectURI {
		return nil, fmt.Errorf("an unsigned request object with client_id_scheme %q: only redirect_uri allows that", wallet.Clip(scheme))
	}
	var p params
	if err := decodePart(parts[1], &p); err != nil {
		return nil, errors.New("the request object's claims are not base64url JSON")
	}
	return p, nil
}

func decodePart(s string, v any) error {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, v)
}
