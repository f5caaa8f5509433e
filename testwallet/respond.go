package testwallet

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Submission maps input descriptor i to the credential at
// $.verifiableCredential[credIndex[i]] of a single VP.
func Submission(definitionID string, descriptorIDs []string, credIndex []int) map[string]any {
	dm := make([]any, len(descriptorIDs))
	for i, id := range descriptorIDs {
		dm[i] = map[string]any{
			"id":     id,
			"format": "ldp_vp",
			"path":   "$",
			"path_nested": map[string]any{
				"id":     id,
				"format": "ldp_vc",
				"path":   fmt.Sprintf("$.verifiableCredential[%d]", credIndex[i]),
			},
		}
	}
	return map[string]any{"id": "submission-" + uuid(), "definition_id": definitionID, "descriptor_map": dm}
}

// Answer is what a wallet posts. VPToken and Submission are marshalled to
// JSON unless the raw strings are set (to send malformed input on purpose).
type Answer struct {
	VPToken          any
	Submission       any
	RawVPToken       string
	RawSubmission    string
	State            string
	Error            string
	ErrorDescription string
}

// Form encodes the answer as the wallet posts it.
func (a Answer) Form() (url.Values, error) {
	f := url.Values{}
	if a.State != "" {
		f.Set("state", a.State)
	}
	if a.Error != "" {
		f.Set("error", a.Error)
		if a.ErrorDescription != "" {
			f.Set("error_description", a.ErrorDescription)
		}
		return f, nil
	}
	vp, sub := a.RawVPToken, a.RawSubmission
	if a.VPToken != nil {
		b, err := json.Marshal(a.VPToken)
		if err != nil {
			return nil, err
		}
		vp = string(b)
	}
	if a.Submission != nil {
		b, err := json.Marshal(a.Submission)
		if err != nil {
			return nil, err
		}
		sub = string(b)
	}
	if vp != "" {
		f.Set("vp_token", vp)
	}
	if sub != "" {
		f.Set("presentation_submission", sub)
	}
	return f, nil
}

// Post sends the answer to responseURI without following redirects, and
// returns the status, headers and body.
func Post(ctx context.Context, client *http.Client, responseURI string, a Answer) (*http.Response, []byte, error) {
	form, err := a.Form()
	if err != nil {
		return nil, nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, responseURI, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	noRedirect := *client
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := noRedirect.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp, body, err
}

// Wallet holds credentials and answers requests with those the request's
// presentation definition asks for.
type Wallet struct {
	Holder      *Party
	Credentials []map[string]any
	Client      *http.Client
}

// Answer builds a correct answer to r: one VP with the credentials Choose
// selects, and their presentation_submission.
func (w *Wallet) Answer(r *Request) (Answer, error) {
	creds, sub, err := w.Choose(r)
	if err != nil {
		return Answer{}, err
	}
	vp, err := w.Holder.Present(creds, r.Nonce, r.ClientID)
	if err != nil {
		return Answer{}, err
	}
	return Answer{VPToken: vp, Submission: sub, State: r.State}, nil
}

// Login reads the request at uri and answers it correctly.
func (w *Wallet) Login(ctx context.Context, uri string) (*http.Response, []byte, error) {
	client := w.Client
	if client == nil {
		client = http.DefaultClient
	}
	r, err := ParseRequest(ctx, client, uri)
	if err != nil {
		return nil, nil, err
	}
	a, err := w.Answer(r)
	if err != nil {
		return nil, nil, err
	}
	return Post(ctx, client, r.ResponseURI, a)
}
