package testwallet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Request is an OID4VP authorization request as a wallet reads it.
type Request struct {
	Params       url.Values
	ClientID     string
	Nonce        string
	State        string
	ResponseMode string
	// ResponseURI is response_uri, or redirect_uri when that is what was sent.
	ResponseURI string
	Definition  map[string]any
}

// ParseRequest reads an authorization request URI and fetches the
// presentation definition when it is given by reference.
func ParseRequest(ctx context.Context, client *http.Client, uri string) (*Request, error) {
	_, query, ok := strings.Cut(uri, "?")
	if !ok {
		return nil, errors.New("request URI has no query")
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return nil, fmt.Errorf("request query: %w", err)
	}
	r := &Request{
		Params:       q,
		ClientID:     q.Get("client_id"),
		Nonce:        q.Get("nonce"),
		State:        q.Get("state"),
		ResponseMode: q.Get("response_mode"),
		ResponseURI:  q.Get("response_uri"),
	}
	if r.ResponseURI == "" {
		r.ResponseURI = q.Get("redirect_uri")
	}
	if q.Get("response_type") != "vp_token" {
		return nil, fmt.Errorf("response_type %q, want vp_token", q.Get("response_type"))
	}
	if r.Nonce == "" || r.State == "" || r.ClientID == "" || r.ResponseURI == "" {
		return nil, errors.New("request lacks nonce, state, client_id or a response URI")
	}
	pd, pdURI := q.Get("presentation_definition"), q.Get("presentation_definition_uri")
	// The profile: "The wallet MUST refuse any request violating this requirement."
	if (pd == "") == (pdURI == "") {
		return nil, errors.New("want exactly one of presentation_definition and presentation_definition_uri")
	}
	raw := []byte(pd)
	if pdURI != "" {
		raw, err = get(ctx, client, pdURI)
		if err != nil {
			return nil, fmt.Errorf("presentation_definition_uri: %w", err)
		}
	}
	if err := json.Unmarshal(raw, &r.Definition); err != nil {
		return nil, fmt.Errorf("presentation definition: %w", err)
	}
	return r, nil
}

// DefinitionID is the requested definition's id.
func (r *Request) DefinitionID() string {
	id, _ := r.Definition["id"].(string)
	return id
}

// DescriptorIDs lists the requested input descriptor ids in order.
func (r *Request) DescriptorIDs() []string {
	var ids []string
	list, _ := r.Definition["input_descriptors"].([]any)
	for _, d := range list {
		if m, ok := d.(map[string]any); ok {
			id, _ := m["id"].(string)
			ids = append(ids, id)
		}
	}
	return ids
}

func get(ctx context.Context, client *http.Client, uri string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, uri, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", uri, resp.Status)
	}
	return body, nil
}
