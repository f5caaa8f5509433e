package main

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/loginwithiota/verifier/internal/testshared"
	"github.com/loginwithiota/verifier/testwallet"
)

// startShipped runs the program on the repository's config.yaml as it is
// (draft-20 by default) plus overrides.
func startShipped(t *testing.T, edit func(string) string) *Program {
	t.Helper()
	cfg := shippedConfigAsIs(t) + extraDefinitions
	if edit != nil {
		cfg = edit(cfg)
	}
	p, err := Open(context.Background(), Options{ConfigPath: testshared.WriteTemp(t, "config.yaml", cfg), Listen: "127.0.0.1:0"}, io.Discard)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// The shipped config's default dialect is draft-20: direct_post with
// response_uri, client_id_scheme redirect_uri, client_metadata, the
// definition by value, no scope; the test wallet logs in on it.
func TestDraft20ShippedDefault(t *testing.T) {
	p := startShipped(t, nil)
	s := newSite(t, p)
	pp := newPeople(t)
	c := s.start("verifiable-id", "cross-device")
	r, err := testwallet.ParseRequest(context.Background(), http.DefaultClient, c.AuthorizationRequest)
	if err != nil {
		t.Fatal(err)
	}
	q := r.Params
	if q.Get("client_id_scheme") != "redirect_uri" || q.Get("response_mode") != "direct_post" || q.Get("response_uri") != r.ClientID ||
		q.Get("scope") != "" || q.Get("redirect_uri") != "" || !strings.Contains(q.Get("client_metadata"), `"vp_formats"`) || q.Get("presentation_definition") == "" {
		t.Fatalf("request %v", q)
	}
	w := &testwallet.Wallet{Holder: pp.holder, Credentials: []map[string]any{pp.idCard}}
	resp, body, err := w.Login(context.Background(), c.AuthorizationRequest)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("login: %v %s", err, body)
	}
	if st := s.status(c); st.Status != "verified" {
		t.Fatalf("status %+v", st)
	}
}

// With request_by_reference the request is client_id + request_uri, and
// request_uri serves an unsigned request object while the login is pending.
func TestDraft20RequestURI(t *testing.T) {
	p := startShipped(t, func(c string) string {
		return strings.Replace(c, "request_by_reference: false", "request_by_reference: true", 1)
	})
	s := newSite(t, p)
	c := s.start("verifiable-id", "cross-device")
	_, query, _ := strings.Cut(c.AuthorizationRequest, "?")
	if strings.Contains(query, "presentation_definition") || !strings.Contains(query, "request_uri=") {
		t.Fatalf("request %s", c.AuthorizationRequest)
	}
	path := "/oid4vp/requests/" + c.ID
	code, hdr, body := s.do("GET", path, "", "", nil)
	if code != http.StatusOK || hdr.Get("Content-Type") != "application/oauth-authz-req+jwt" {
		t.Fatalf("request object: %d %v %s", code, hdr, body)
	}
	parts := strings.Split(string(body), ".")
	h, _ := base64.RawURLEncoding.DecodeString(parts[0])
	if len(parts) != 3 || parts[2] != "" || string(h) != `{"alg":"none","typ":"oauth-authz-req+jwt"}` {
		t.Fatalf("request object %s", body)
	}
	if code, _, _ := s.do("GET", "/oid4vp/requests/unknown", "", "", nil); code != http.StatusNotFound {
		t.Fatalf("unknown session: %d", code)
	}
}

// A login may ask for another dialect the definition allows (1.0: the
// shipped definition has a DCQL query); an unknown one is refused.
func TestDraft20ProtocolMember(t *testing.T) {
	p := startShipped(t, nil)
	s := newSite(t, p)
	for body, want := range map[string]int{
		`{"definition":"verifiable-id","protocol":"profile-2022"}`: http.StatusCreated,
		`{"definition":"verifiable-id","protocol":"1.0"}`:          http.StatusCreated,
		`{"definition":"verifiable-id","protocol":"draft-99"}`:     http.StatusBadRequest,
	} {
		code, _, out := s.do("POST", "/api/v1/sessions", "application/json", body, nil)
		if code != want {
			t.Errorf("%s: %d %s", body, code, out)
		}
		if strings.Contains(body, "profile-2022") && !strings.Contains(string(out), "scope=openid") {
			t.Errorf("profile-2022 request: %s", out)
		}
	}
}
