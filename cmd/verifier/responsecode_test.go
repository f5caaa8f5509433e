package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/loginwithiota/verifier/testwallet"
)

// directPost is the shipped config switched to OID4VP 1.0 same-device
// direct_post, where the browser comes back with a one-time response_code.
var directPost = map[string]string{
	"same_device_response_mode: form_post": "same_device_response_mode: direct_post",
}

// sameDeviceAnswer starts a same-device login in s's browser, lets the
// wallet answer it, and returns the session and the redirect_uri the
// wallet was given for the browser.
func sameDeviceAnswer(t *testing.T, s *site) (created, *url.URL) {
	t.Helper()
	c := s.start("verifiable-id", "same-device")
	r, err := testwallet.ParseRequest(context.Background(), http.DefaultClient, c.AuthorizationRequest)
	if err != nil {
		t.Fatal(err)
	}
	if r.ResponseMode != "direct_post" || r.Params.Get("response_uri") == "" || r.Params.Get("redirect_uri") != "" {
		t.Fatalf("request: response_mode %q, response_uri %q, redirect_uri %q", r.ResponseMode, r.Params.Get("response_uri"), r.Params.Get("redirect_uri"))
	}
	pp := newPeople(t)
	w := &testwallet.Wallet{Holder: pp.holder, Credentials: []map[string]any{pp.idCard}}
	a, err := w.Answer(r)
	if err != nil {
		t.Fatal(err)
	}
	resp, body, err := testwallet.Post(context.Background(), http.DefaultClient, r.ResponseURI, a)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		RedirectURI string `json:"redirect_uri"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &out) != nil || out.RedirectURI == "" {
		t.Fatalf("wallet answer: %d %s", resp.StatusCode, body)
	}
	u, err := url.Parse(out.RedirectURI)
	if err != nil || u.Query().Get("session_id") != c.ID || len(u.Query().Get("response_code")) < 43 {
		t.Fatalf("redirect_uri %q", out.RedirectURI)
	}
	return c, u
}

func (s *site) redeem(id, code string, header map[string]string) (int, []byte) {
	s.t.Helper()
	body, _ := json.Marshal(map[string]string{"response_code": code})
	status, _, b := s.do("POST", "/api/v1/sessions/"+id+"/redeem", "application/json", string(body), header)
	return status, b
}

// TestResponseCode: a same-device direct_post result is released only to
// the starting browser's cookie with the one-time code, once.
func TestResponseCode(t *testing.T) {
	for _, store := range stores {
		t.Run(store, func(t *testing.T) {
			p := instance{store: store, replace: directPost}.start(t)
			s := newSite(t, p)
			c, back := sameDeviceAnswer(t, s)
			code := back.Query().Get("response_code")
			jar, _ := cookiejar.New(nil)
			other := &site{t: t, base: s.base, http: &http.Client{Jar: jar, Timeout: 10 * time.Second}}

			// Until the code is redeemed nobody reads the result, not even
			// with the status token: whoever started the login holds that.
			if st := s.status(c); st.Status != "pending" || st.Result != nil {
				t.Fatalf("status with the token before redemption: %+v", st)
			}
			if code, _, body := s.do("GET", c.StatusURL, "", "", nil); code != 200 || strings.Contains(string(body), "result") {
				t.Fatalf("status with the cookie before redemption: %d %s", code, body)
			}

			// Nothing for: another browser with the code, the token instead
			// of the cookie, the right cookie with a wrong code.
			for _, tc := range []struct {
				name     string
				who      *site
				code     string
				header   map[string]string
				status   int
				wantText string
			}{
				{"another browser", other, code, nil, 401, "unauthorized"},
				{"the token, no cookie", other, code, map[string]string{"Authorization": "Bearer " + c.StatusToken}, 401, "unauthorized"},
				{"a wrong code", s, strings.Repeat("A", 43), nil, 400, "invalid_response_code"},
				{"no code", s, "", nil, 400, "missing_parameter"},
			} {
				sc, body := tc.who.redeem(c.ID, tc.code, tc.header)
				if sc != tc.status || !strings.Contains(string(body), tc.wantText) || strings.Contains(string(body), "holder") {
					t.Errorf("%s: %d %s", tc.name, sc, body)
				}
			}
			// Not as a form (a cross-site page could post one).
			if sc, _, body := s.do("POST", "/api/v1/sessions/"+c.ID+"/redeem", "text/plain", `{"response_code":"`+code+`"}`, nil); sc != http.StatusUnsupportedMediaType {
				t.Errorf("redeem as text/plain: %d %s", sc, body)
			}
			// The starting browser, with the code: the result, once.
			sc, body := s.redeem(c.ID, code, nil)
			var st status
			if sc != 200 || json.Unmarshal(body, &st) != nil || st.Status != "verified" || st.Result == nil || st.Result.Holder == "" {
				t.Fatalf("redeem: %d %s", sc, body)
			}
			if sc, body := s.redeem(c.ID, code, nil); sc != 400 || strings.Contains(string(body), "holder") {
				t.Fatalf("second redemption: %d %s", sc, body)
			}
			if sc, body := other.redeem(c.ID, code, nil); sc != 401 || strings.Contains(string(body), "holder") {
				t.Fatalf("another browser after redemption: %d %s", sc, body)
			}
			// Released: the website's token reads it now.
			if st := s.status(c); st.Status != "verified" || st.Result == nil {
				t.Fatalf("status after redemption: %+v", st)
			}
		})
	}
}

// TestResponseCodeResultPage: with no return_url the wallet sends the
// browser to our result page, which redeems the code with the cookie. A
// browser without the cookie (the login link was forwarded to a victim)
// sees nothing, and the attacker who started the login, holding cookie and
// token but not the code, sees nothing either.
func TestResponseCodeResultPage(t *testing.T) {
	p := instance{store: "memory", replace: directPost}.start(t)

	attacker := newSite(t, p)
	c, back := sameDeviceAnswer(t, attacker) // the victim's wallet answered
	jar, _ := cookiejar.New(nil)
	victim := &site{t: t, base: attacker.base, http: &http.Client{Jar: jar, Timeout: 10 * time.Second}}
	path := back.RequestURI()
	if !strings.HasPrefix(path, "/login/result?") {
		t.Fatalf("redirect to %s", back)
	}
	if code, hdr, body := victim.do("GET", path, "", "", nil); code != 200 || !strings.Contains(string(body), "cannot be shown") || strings.Contains(string(body), "did:key") {
		t.Fatalf("victim's browser: %d %s", code, body)
	} else if csp := hdr.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") {
		t.Errorf("result page CSP %q", csp)
	}
	if st := attacker.status(c); st.Status != "pending" || st.Result != nil {
		t.Fatalf("the attacker reads %+v", st)
	}

	// The honest case: the browser that started the login comes back.
	honest := newSite(t, p)
	c2, back2 := sameDeviceAnswer(t, honest)
	code, _, body := honest.do("GET", back2.RequestURI(), "", "", nil)
	if code != 200 || !strings.Contains(string(body), `data-status="verified"`) || !strings.Contains(string(body), "did:key:") {
		t.Fatalf("result page: %d %s", code, body)
	}
	// A reload shows it again (from the cookie); the code is spent.
	if code, _, body := honest.do("GET", back2.RequestURI(), "", "", nil); code != 200 || !strings.Contains(string(body), `data-status="verified"`) {
		t.Fatalf("reload: %d %s", code, body)
	}
	if sc, _ := honest.redeem(c2.ID, back2.Query().Get("response_code"), nil); sc != 400 {
		t.Fatalf("code reused after the result page: %d", sc)
	}
}

// TestResponseCodeEvents: the starting page's event stream stays pending
// through the wallet's answer and says verified once its browser redeemed.
func TestResponseCodeEvents(t *testing.T) {
	p := instance{store: "memory", replace: directPost}.start(t)
	s := newSite(t, p)
	c := s.start("verifiable-id", "same-device")
	events, _ := openEvents(t, s.http, s.base+c.StatusURL+"/events", nil)
	if ev, _ := nextEvent(t, events, 5*time.Second); ev.name != "pending" {
		t.Fatalf("event %s", ev.name)
	}
	r, err := testwallet.ParseRequest(context.Background(), http.DefaultClient, c.AuthorizationRequest)
	if err != nil {
		t.Fatal(err)
	}
	pp := newPeople(t)
	w := &testwallet.Wallet{Holder: pp.holder, Credentials: []map[string]any{pp.idCard}}
	a, _ := w.Answer(r)
	resp, body, err := testwallet.Post(context.Background(), http.DefaultClient, r.ResponseURI, a)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("answer: %v %s", err, body)
	}
	var out struct {
		RedirectURI string `json:"redirect_uri"`
	}
	json.Unmarshal(body, &out)
	back, _ := url.Parse(out.RedirectURI)
	if sc, body := s.redeem(c.ID, back.Query().Get("response_code"), nil); sc != 200 {
		t.Fatalf("redeem: %d %s", sc, body)
	}
	// The wallet's answer woke the stream too, but what it may show did not
	// change; the first event after pending is the released result.
	if ev, st := nextEvent(t, events, 5*time.Second); ev.name != "verified" || st.Result == nil {
		t.Fatalf("event %s %+v", ev.name, st)
	}
}
