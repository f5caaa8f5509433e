package main

import (
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"
)

func TestWebsiteAPIErrors(t *testing.T) {
	for _, store := range stores {
		t.Run(store, func(t *testing.T) {
			p := startProgram(t, store, "")
			s := newSite(t, p)
			c := s.start("verifiable-id", "cross-device")
			jar, _ := cookiejar.New(nil)
			stranger := &site{t: t, base: s.base, http: &http.Client{Jar: jar, Timeout: 10 * time.Second}}

			cases := []struct {
				name       string
				who        *site
				method     string
				path       string
				ctype      string
				body       string
				header     map[string]string
				wantStatus int
				wantError  string
			}{
				{"status without token", stranger, "GET", c.StatusURL, "", "", nil, 401, "unauthorized"},
				{"status with wrong token", stranger, "GET", c.StatusURL, "", "", map[string]string{"Authorization": "Bearer " + strings.Repeat("A", 43)}, 401, "unauthorized"},
				{"status with wrong scheme", stranger, "GET", c.StatusURL, "", "", map[string]string{"Authorization": "Basic " + c.StatusToken}, 401, "unauthorized"},
				{"token of another session", stranger, "GET", "/api/v1/sessions/not-a-session", "", "", map[string]string{"Authorization": "Bearer " + c.StatusToken}, 401, "unauthorized"},
				{"unknown definition", s, "POST", "/api/v1/sessions", "application/json", `{"definition":"nope"}`, nil, 404, "not_found"},
				{"malformed body", s, "POST", "/api/v1/sessions", "application/json", `{"definition":`, nil, 400, "invalid_request"},
				{"missing definition", s, "POST", "/api/v1/sessions", "application/json", `{}`, nil, 400, "invalid_request"},
				{"bad flow", s, "POST", "/api/v1/sessions", "application/json", `{"definition":"verifiable-id","flow":"telepathy"}`, nil, 400, "invalid_request"},
				{"body over the limit", s, "POST", "/api/v1/sessions", "application/json", `{"definition":"` + strings.Repeat("x", 300<<10) + `"}`, nil, 413, "invalid_request"},
				{"wallet answer over the limit", s, "POST", "/oid4vp/response", "application/x-www-form-urlencoded", "vp_token=" + strings.Repeat("x", 300<<10), nil, 413, "invalid_request"},
				{"wallet answer as JSON", s, "POST", "/oid4vp/response", "application/json", `{"state":"x"}`, nil, 400, "invalid_request"},
				{"wallet answer without state", s, "POST", "/oid4vp/response", "application/x-www-form-urlencoded", "vp_token=%7B%7D", nil, 400, "invalid_request"},
				{"duplicate parameter", s, "POST", "/oid4vp/response", "application/x-www-form-urlencoded", "state=a&state=b", nil, 400, "invalid_request"},
				{"unknown route", s, "GET", "/api/v1/nope", "", "", nil, 404, "not_found"},
				{"unknown presentation definition uri", s, "GET", "/oid4vp/definitions/nope", "", "", nil, 404, "not_found"},
				{"qr of unknown session", s, "GET", "/api/v1/sessions/nope/qr.svg", "", "", nil, 404, "not_found"},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					code, hdr, body := tc.who.do(tc.method, tc.path, tc.ctype, tc.body, tc.header)
					if code != tc.wantStatus {
						t.Fatalf("status %d, want %d: %s", code, tc.wantStatus, body)
					}
					e := decodeError(t, body)
					if e.Error != tc.wantError {
						t.Fatalf("error %q, want %q", e.Error, tc.wantError)
					}
					if hdr.Get("Cache-Control") != "no-store" {
						t.Errorf("Cache-Control %q", hdr.Get("Cache-Control"))
					}
					for _, leak := range []string{".go:", "redis", "EOF", "goroutine", "panic"} {
						if strings.Contains(string(body), leak) {
							t.Errorf("body leaks %q: %s", leak, body)
						}
					}
					if strings.Contains(string(body), `"pending"`) || strings.Contains(string(body), c.StatusToken) {
						t.Errorf("body reveals the session: %s", body)
					}
				})
			}
			// The server still serves, and the session is untouched.
			if st := s.status(c); st.Status != "pending" {
				t.Fatalf("session changed: %+v", st)
			}
		})
	}
}

func TestHealth(t *testing.T) {
	p := startProgram(t, "memory", "")
	s := newSite(t, p)
	for _, path := range []string{"/healthz", "/readyz"} {
		if code, _, body := s.do("GET", path, "", "", nil); code != 200 {
			t.Errorf("%s: %d %s", path, code, body)
		}
	}
}
