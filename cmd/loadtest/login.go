package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/loginwithiota/verifier/pex"
	"github.com/loginwithiota/verifier/testwallet"
)

// wallet is one simulated user: a holder key with a credential issued to
// it, and what it chose for the definition the first time it was asked
// (the choice does not change between logins; the signature does).
type wallet struct {
	w      testwallet.Wallet
	mu     sync.Mutex
	chosen map[string]choice // definition id → choice
}

type choice struct {
	creds []map[string]any
	sub   *pex.Submission
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
	return &wallet{w: testwallet.Wallet{Holder: holder, Credentials: []map[string]any{vc}}, chosen: map[string]choice{}}, nil
}

func (w *wallet) choose(r *testwallet.Request) (choice, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if c, ok := w.chosen[r.DefinitionID()]; ok {
		return c, nil
	}
	creds, sub, err := w.w.Choose(r)
	if err != nil {
		return choice{}, err
	}
	c := choice{creds, sub}
	w.chosen[r.DefinitionID()] = c
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
	r, err := testwallet.ParseRequest(ctx, s.client, created.AuthorizationRequest)
	if err != nil {
		return fmt.Errorf("request: %w", err)
	}
	c, err := w.choose(r)
	if err != nil {
		return fmt.Errorf("choose: %w", err)
	}
	vp, err := w.w.Holder.Present(c.creds, r.Nonce, r.ClientID)
	if err != nil {
		return fmt.Errorf("sign: %w", err)
	}
	resp, body, err := testwallet.Post(ctx, s.client, r.ResponseURI, testwallet.Answer{VPToken: vp, Submission: c.sub, State: r.State})
	if err != nil {
		return fmt.Errorf("answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("answer: %s: %s", resp.Status, clip(body))
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
	return json.Unmarshal(buf.Bytes(), into)
}

func clip(b []byte) string {
	if len(b) > 200 {
		b = b[:200]
	}
	return strings.TrimSpace(string(b))
}
