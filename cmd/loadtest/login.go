package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/loginwithiota/verifier/testwallet"
)

// wallet is one simulated user: a holder key with a credential issued to
// it, the choice testwallet's selection made for a definition the first
// time the wallet saw it (it does not change between logins; the
// signature does), and its own presentation signer.
type wallet struct {
	w      testwallet.Wallet
	sign   *presenter
	mu     sync.Mutex
	chosen map[string]choice // definition JSON → choice
}

type choice struct {
	submission string // presentation_submission JSON
}

func newWallet(issuer *testwallet.Party) (*wallet, error) {
	holder := testwallet.NewParty()
	vc, err := issuer.Issue(holder.DID, testwallet.Credential{
		Types:   []string{"VerifiableId"},
		Subject: map[string]any{"firstName": "Load", "lastName": "Test", "dateOfBirth": "1990-01-01"},
	})
	if err != nil {
		return nil, err
	}
	sign, err := newPresenter(holder.Priv, holder.DID, holder.VMID, vc)
	if err != nil {
		return nil, err
	}
	return &wallet{w: testwallet.Wallet{Holder: holder, Credentials: []map[string]any{vc}}, sign: sign, chosen: map[string]choice{}}, nil
}

// choose runs the selection once per definition text.
func (w *wallet) choose(definition []byte) (choice, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if c, ok := w.chosen[string(definition)]; ok {
		return c, nil
	}
	r := &testwallet.Request{}
	if err := json.Unmarshal(definition, &r.Definition); err != nil {
		return choice{}, fmt.Errorf("presentation definition: %w", err)
	}
	creds, sub, err := w.w.Choose(r)
	if err != nil {
		return choice{}, err
	}
	if len(creds) != 1 {
		return choice{}, fmt.Errorf("the definition selects %d credentials; the load generator presents one", len(creds))
	}
	raw, err := json.Marshal(sub)
	if err != nil {
		return choice{}, err
	}
	c := choice{submission: string(raw)}
	w.chosen[string(definition)] = c
	return c, nil
}

// site is the website's side of a login: the verifier's API.
type site struct {
	base       string
	definition string
	client     *http.Client
}

type createResponse struct {
	ID                   string `json:"id"`
	AuthorizationRequest string `json:"authorization_request"`
	StatusURL            string `json:"status_url"`
	StatusToken          string `json:"status_token"`
}

// login runs one whole login and reports the step that failed.
func (s *site) login(ctx context.Context, w *wallet) error {
	created, err := s.create(ctx)
	if err != nil {
		return fmt.Errorf("create: %w", err)
	}
	r, err := s.request(ctx, created.AuthorizationRequest)
	if err != nil {
		return fmt.Errorf("request: %w", err)
	}
	c, err := w.choose(r.definition)
	if err != nil {
		return fmt.Errorf("choose: %w", err)
	}
	vp, err := w.sign.present(r.nonce, r.clientID, time.Now())
	if err != nil {
		return fmt.Errorf("sign: %w", err)
	}
	form := url.Values{"vp_token": {string(vp)}, "presentation_submission": {c.submission}, "state": {r.state}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.responseURI, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if err := s.do(req, http.StatusOK, nil); err != nil {
		return fmt.Errorf("answer: %w", err)
	}
	st, err := s.status(ctx, created)
	if err != nil {
		return fmt.Errorf("status: %w", err)
	}
	if st != "verified" {
		return fmt.Errorf("status: %s after a 200 answer", st)
	}
	return nil
}

// request is what the wallet needs of an authorization request.
type request struct {
	clientID, nonce, state, responseURI string
	definition                          []byte
}

// request reads the authorization request URI as a wallet does, fetching
// the presentation definition when it is given by reference.
func (s *site) request(ctx context.Context, uri string) (request, error) {
	_, query, _ := strings.Cut(uri, "?")
	q, err := url.ParseQuery(query)
	if err != nil {
		return request{}, err
	}
	r := request{clientID: q.Get("client_id"), nonce: q.Get("nonce"), state: q.Get("state"),
		responseURI: q.Get("response_uri"), definition: []byte(q.Get("presentation_definition"))}
	if r.responseURI == "" {
		r.responseURI = q.Get("redirect_uri")
	}
	if r.clientID == "" || r.nonce == "" || r.state == "" || r.responseURI == "" {
		return request{}, errors.New("the request lacks client_id, nonce, state or a response URI")
	}
	if u := q.Get("presentation_definition_uri"); u != "" {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return request{}, err
		}
		var raw json.RawMessage
		if err := s.do(req, http.StatusOK, &raw); err != nil {
			return request{}, fmt.Errorf("presentation_definition_uri: %w", err)
		}
		r.definition = raw
	}
	if len(r.definition) == 0 {
		return request{}, errors.New("the request has no presentation definition")
	}
	return r, nil
}

func (s *site) create(ctx context.Context) (createResponse, error) {
	body := fmt.Sprintf(`{"definition":%q,"flow":"cross-device"}`, s.definition)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.base+"/api/v1/sessions", strings.NewReader(body))
	if err != nil {
		return createResponse{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	var c createResponse
	if err := s.do(req, http.StatusCreated, &c); err != nil {
		return createResponse{}, err
	}
	if c.AuthorizationRequest == "" || c.StatusToken == "" {
		return createResponse{}, errors.New("the answer lacks authorization_request or status_token")
	}
	return c, nil
}

func (s *site) status(ctx context.Context, c createResponse) (string, error) {
	u := c.StatusURL
	if strings.HasPrefix(u, "/") {
		u = s.base + u
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+c.StatusToken)
	var st struct {
		Status string `json:"status"`
	}
	if err := s.do(req, http.StatusOK, &st); err != nil {
		return "", err
	}
	return st.Status, nil
}

func (s *site) do(req *http.Request, want int, into any) error {
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, io.LimitReader(resp.Body, 1<<20)); err != nil {
		return err
	}
	if resp.StatusCode != want {
		return fmt.Errorf("%s: %s", resp.Status, clip(buf.Bytes()))
	}
	if into == nil {
		return nil
	}
	return json.Unmarshal(buf.Bytes(), into)
}

func clip(b []byte) string {
	if len(b) > 200 {
		b = b[:200]
	}
	return strings.TrimSpace(string(b))
}
