package vp

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/loginwithiota/verifier/dcql"
	"github.com/loginwithiota/verifier/wallet"
)

// Request is an authorization request as the wallet answers it.
type Request struct {
	Dialect string
	// ClientID is the client_id as the request has it: with a 1.0 prefix,
	// the full prefixed value, which is every presentation's audience.
	ClientID       string
	ClientIDScheme string
	// Prefix is the client identifier prefix of a 1.0 client_id
	// (decentralized_identifier, x509_san_dns, ...), "" for none.
	Prefix       string
	ResponseMode string
	// ResponseURI is where the answer goes: response_uri, or the
	// profile's redirect_uri.
	ResponseURI string
	Nonce       string
	State       string
	// Definition is the Presentation Exchange definition, fetched when it
	// came by presentation_definition_uri.
	Definition json.RawMessage
	// VPFormats is client_metadata.vp_formats; nil when the request has none.
	VPFormats map[string]map[string][]string
	// ByReference: the parameters came in a request object.
	ByReference bool
	// Signer says who signed the request object, as its prefix
	// authenticates it (a DID URL, a certificate's subject and the name
	// it was checked for); "" for an unsigned request.
	Signer string

	// DCQL is a 1.0 request's query; VPFormatsSupported its
	// client_metadata.vp_formats_supported (nil without one).
	DCQL               *dcql.Query
	VPFormatsSupported map[string]map[string]any
	// Encryption is the key and content encryption of a direct_post.jwt
	// answer, nil for direct_post.
	Encryption *Encryption
}

// Options tune Parse.
type Options struct {
	// TrustAnchors are the roots an x5c chain of a request signed under
	// x509_san_dns or x509_hash must lead to; nil refuses such requests.
	TrustAnchors *x509.CertPool
	// Draft20 GETs a request_uri even when the request says
	// request_uri_method=post: the one QR of a 1.0+draft-20 login then
	// serves its draft-20 request (Presentation Exchange) instead of the
	// 1.0 one (DCQL).
	Draft20 bool
	// KeyAlg is the wallet key's JWS alg, for the metadata posted to a
	// request_uri ("" : EdDSA and ES256).
	KeyAlg string
	// Now is the clock request objects' exp is checked with (nil: time.Now).
	Now func() time.Time
}

func (o Options) now() time.Time {
	if o.Now == nil {
		return time.Now()
	}
	return o.Now()
}

// params are a request's parameters: strings, and decoded JSON for the
// object parameters.
type params map[string]any

func (p params) str(name string) string {
	s, _ := p[name].(string)
	return s
}

func (p params) has(name string) bool { _, ok := p[name]; return ok }

// dialect reads one generation of requests: a file with one of these and
// a line in dialects.
type dialect interface {
	name() string
	// accepts reports whether p is shaped like this dialect's requests.
	accepts(p params) bool
	// parse fills r from p (the common members are already set).
	parse(p params, r *Request) error
}

// dialects are tried in order; the first that accepts parses.
var dialects = []dialect{v1{}, draft20{}, profile2022{}}

// Parse reads an authorization request URI (openid4vp://?…, openid://?…
// or a wallet URL with the request in its query). A request it cannot
// authenticate, or that breaks a rule of its dialect, is refused with the
// reason; nothing is sent to the verifier.
func Parse(ctx context.Context, h *wallet.HTTP, uri string, opts Options) (*Request, error) {
	_, query, ok := strings.Cut(strings.TrimSpace(uri), "?")
	if !ok {
		return nil, errors.New("the request has no query: want openid4vp://?client_id=…")
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return nil, fmt.Errorf("the request's query: %w", err)
	}
	p := params{}
	for k, v := range q {
		// RFC 6749 §3.1: "Request and response parameters MUST NOT be included more than once."
		if len(v) != 1 {
			return nil, fmt.Errorf("%s is included more than once", wallet.Clip(k))
		}
		p[k] = v[0]
	}
	r := &Request{}
	if p.has(pRequest) || p.has(pRequestURI) {
		if p, r.Signer, err = requestObject(ctx, h, p, opts); err != nil {
			return nil, err
		}
		r.ByReference = true
	} else if err := decodeObjects(p); err != nil {
		return nil, err
	}
	if err := common(p, r); err != nil {
		return nil, err
	}
	// 1.0 §5: "The Wallet MUST ignore any unrecognized parameters, other
	// than the transaction_data parameter."
	if p.has(pTransactionData) {
		return nil, errors.New("the request carries transaction_data, which this wallet does not support (invalid_transaction_data)")
	}
	for _, d := range dialects {
		if d.accepts(p) {
			r.Dialect = d.name()
			if err := d.parse(p, r); err != nil {
				return nil, fmt.Errorf("%s request: %w", d.name(), err)
			}
			if r.DCQL != nil {
				return r, nil
			}
			return r, fetchDefinition(ctx, h, p, r)
		}
	}
	return nil, fmt.Errorf("response_mode %q is not one this wallet answers (%s, %s, %s)", wallet.Clip(p.str(pResponseMode)), ModePost, ModeFormPost, ModeDirectPost)
}

// decodeObjects turns the object parameters of a query from JSON text
// into values.
func decodeObjects(p params) error {
	for k := range objectParams {
		s, ok := p[k].(string)
		if !ok {
			continue
		}
		var v any
		if err := json.Unmarshal([]byte(s), &v); err != nil {
			return fmt.Errorf("%s is not JSON", k)
		}
		p[k] = v
	}
	return nil
}

// common checks what every dialect requires.
func common(p params, r *Request) error {
	if t := p.str(pResponseType); t != responseTypeVPToken {
		return fmt.Errorf("response_type is %q; this wallet answers vp_token requests", wallet.Clip(t))
	}
	r.ClientID, r.Nonce, r.State = p.str(pClientID), p.str(pNonce), p.str(pState)
	r.ResponseMode, r.ClientIDScheme = p.str(pResponseMode), p.str(pClientIDScheme)
	r.Prefix, _ = splitPrefix(r.ClientID)
	switch {
	case r.ClientID == "":
		return errors.New("client_id is required")
	case r.Nonce == "":
		// nonce: "REQUIRED ... to securely bind the verifiable presentation(s)".
		return errors.New("nonce is required")
	}
	return nil
}

// fetchDefinition reads presentation_definition or fetches
// presentation_definition_uri: the profile's "A request MUST contain
// either a presentation_definition or a presentation_definition_uri ...
// The wallet MUST refuse any request violating this requirement."
func fetchDefinition(ctx context.Context, h *wallet.HTTP, p params, r *Request) error {
	byValue, byRef := p.has(pDefinition), p.has(pDefinitionURI)
	if byValue == byRef {
		return errors.New("want exactly one of presentation_definition and presentation_definition_uri")
	}
	if byValue {
		raw, err := json.Marshal(p[pDefinition])
		if err != nil {
			return err
		}
		r.Definition = raw
		return nil
	}
	a, err := h.Get(ctx, p.str(pDefinitionURI), "application/json")
	if err != nil {
		return fmt.Errorf("presentation_definition_uri: %w", err)
	}
	if !json.Valid(a.Body) {
		return errors.New("presentation_definition_uri did not answer JSON")
	}
	r.Definition = a.Body
	return nil
}

// responseURI checks the URI the answer goes to.
func responseURI(name, u string) (string, error) {
	if u == "" {
		return "", fmt.Errorf("%s is required", name)
	}
	if _, err := wallet.CheckURL(u); err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	return u, nil
}

// vpFormats reads client_metadata.vp_formats.
func vpFormats(p params) (map[string]map[string][]string, error) {
	cm, ok := p[pClientMetadata].(map[string]any)
	if !ok {
		if p.has(pClientMetadata) {
			return nil, errors.New("client_metadata must be an object")
		}
		return nil, nil
	}
	raw, ok := cm["vp_formats"]
	if !ok {
		return nil, nil
	}
	b, _ := json.Marshal(raw)
	var out map[string]map[string][]string
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, errors.New("client_metadata.vp_formats must map formats to lists of strings")
	}
	return out, nil
}
